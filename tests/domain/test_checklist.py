"""The checklist engine against the seeds: every eligibility rule of both catalogs both ways, with its reason;
blockers and ordering; materials union; applicant eligibility; due dates; facts validation."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from houshi_desk.domain.catalog import load_catalog
from houshi_desk.domain.checklist import APPLICATION, evaluate
from houshi_desk.domain.facts import FACTS, FactsError, facts_to_ask, validate_facts

TODAY = dt.date(2025, 9, 30)
BASE = {"death_kind": "normal", "death_date": "2025-09-20", "disposal": "cremation",
        "applicant_relationship": "child", "applicant_age": 40}
FUND_OK = {"housing_fund_account": True, "housing_fund_loan_outstanding": False, "housing_fund_guarantee": False,
           "housing_fund_frozen": False, "housing_fund_sealed": True}
EMPLOYEE_MED = {"medical_insurance": "employee", "medical_account_balance": 350.5, "medical_bills_settled": True}


NX_LOCAL = {"died_in_region": True, "deceased_local_household": True}


def run(region: str, **over):
    # NX facts are part of every facts file here: NM ignores them (a facts file may carry facts the
    # region does not read), which the NM rows thereby prove as well.
    return evaluate(load_catalog(region), {**BASE, **NX_LOCAL, **over}, TODAY)


# (code, facts where it applies, reason, facts where it does not, reason)
NM_RULES = [
    ("cremation_cert", {}, "火化时殡仪馆现场办理（遗体已火化）", {"disposal": "burial"}, "不适用：遗体未火化（安葬）"),
    ("funeral_fee_waiver", {"low_income": True}, "火化时殡仪馆予以直接减免（遗体已火化，逝者属于城乡低收入困难群体）",
     {}, "不适用：逝者不属于城乡低收入困难群体或重点优抚对象"),
    ("funeral_fee_waiver", {"entitled_group": True, "entitled_group_kind": "key"},
     "火化时殡仪馆予以直接减免（遗体已火化，逝者为重点优抚对象）", {"disposal": "burial", "low_income": True}, "不适用：遗体未火化"),
    # NM:185 核实停发: 必选 whatever the family answers; the answer goes to the department as information
    ("assistance_stop", {"social_assistance": False}, "适用：民政部门核实停发逝者生前享受的救助补助资金（申请表必选事项）",
     None, None),
    ("employee_pension_end", {"pension_type": "employee", "pension_receiving": False},
     "适用：逝者参加职工基本养老保险，在达到法定退休年龄前死亡",
     {"pension_type": "employee", "pension_receiving": True, "retired": True},
     "不适用：逝者为离退休人员，其养老待遇按“离退休人员死亡待遇申领”办理"),
    ("employee_pension_end", {"pension_type": "employee", "pension_receiving": False}, None,
     {"pension_type": "urban_rural", "pension_receiving": True}, "不适用：逝者未参加职工基本养老保险"),
    # NM:165 个人账户一次性待遇申领(养老保险): a 机关事业 deceased who died in service
    ("pension_account_lump", {"pension_type": "institution", "pension_receiving": False},
     "适用：逝者参加机关事业单位养老保险，在职死亡，个人账户余额可一次性申领",
     {"pension_type": "institution", "pension_receiving": True, "retired": True},
     "不适用：逝者为离退休人员，其待遇按“离退休人员死亡待遇申领”办理"),
    ("retiree_death_benefit", {"retired": True}, "适用：逝者为离退休人员", {}, "不适用：逝者不是离退休人员"),
    # NM:187 遗属待遇申领: no further condition in the seed (the old "供养遗属" question was invented)
    ("survivor_benefit", {}, "适用：家属可申请遗属待遇，由人社部门核准", None, None),
    ("rural_pension_funeral", {"pension_type": "urban_rural", "pension_receiving": True},
     "适用：逝者已领取城乡居民养老保险待遇",
     {"pension_type": "urban_rural", "pension_receiving": False}, "不适用：逝者未领取城乡居民养老保险待遇"),
    ("rural_pension_funeral", {"pension_type": "urban_rural", "pension_receiving": True}, None,
     {"pension_type": "employee", "pension_receiving": True}, "不适用：逝者未领取城乡居民养老保险待遇"),
    ("unemployment_death", {"unemployment_benefit": True}, "适用：逝者生前在领取失业保险金",
     {}, "不适用：逝者生前未领取失业保险金"),
    ("medical_insurance_cancel", {"medical_insurance": "resident", "medical_bills_settled": True},
     "适用：逝者参加了基本医疗保险", {}, "不适用：逝者未参加基本医疗保险"),
    ("medical_account_withdraw", EMPLOYEE_MED, "适用：逝者参加职工基本医疗保险，医保个人账户有余额",
     {"medical_insurance": "resident", "medical_bills_settled": True}, "不适用：逝者未参加职工基本医疗保险，无医保个人账户"),
    ("medical_account_withdraw", EMPLOYEE_MED, None, {**EMPLOYEE_MED, "medical_account_balance": 0},
     "不适用：逝者医保个人账户无余额"),
    ("housing_fund_withdraw", FUND_OK, "适用：逝者有住房公积金账户", {}, "不适用：逝者没有住房公积金账户"),
    # NM:195: 必选, verified by the department
    ("veteran_benefit_stop", {"entitled_group": False},
     "适用：退役军人事务部门核实停发逝者（优抚对象）的定期抚恤和生活补助金（申请表必选事项）", None, None),
    ("veteran_benefit_pay", {"martyr": True}, "适用：逝者属于一次性抚恤金发放对象",
     {}, "不适用：逝者不是优抚对象，也不属于一次性抚恤对象"),
    ("veteran_benefit_pay", {"entitled_group": True, "entitled_group_kind": "ordinary"}, "适用：逝者为优抚对象", {}, None),
    ("hukou_cancel", {}, "适用：死亡人员均须注销户口，最后办结", None, None),
    ("driving_licence_cancel", {"deceased_has_driving_licence": True}, "适用：逝者持有机动车驾驶证",
     {}, "不适用：逝者未持有机动车驾驶证"),
    ("household_head_change", {"deceased_is_household_head": True}, "适用：逝者为户主，可同时提出变更户主",
     {}, "不适用：逝者不是户主"),
]

NX_RULES = [
    ("hukou_cancel", {}, "适用：死亡人员均须注销户口，公安部门收到死亡证明后1个工作日内办结", None, None),
    ("driving_licence_cancel", {"deceased_has_driving_licence": True}, "适用：逝者持有机动车驾驶证",
     {}, "不适用：逝者未持有机动车驾驶证"),
    # NX:89/101: issued at cremation / burial, shown as information, not window matters
    ("cremation_cert", {}, "火化后由殡仪馆及时出具（遗体在殡仪馆火化）", {"disposal": "burial"}, "不适用：遗体未火化（安葬）"),
    ("burial_cert", {"disposal": "burial"}, "安葬时由公墓、陵园及时出具或指导出具（遗体在公墓或公益性墓地安葬）",
     {}, "不适用：遗体或骨灰未在公墓或公益性墓地安葬"),
    ("burial_cert", {"ashes_buried_in_cemetery": True}, "安葬时由公墓、陵园及时出具或指导出具（骨灰在公墓或公益性墓地安葬）",
     {"ashes_buried_in_cemetery": False}, None),
    ("assistance_stop", {"social_assistance": True}, "适用：逝者生前享受救助补助资金",
     {}, "不适用：逝者生前未享受低保、特困供养、高龄津贴等救助补助资金"),
    ("employee_pension_end", {"pension_type": "employee"},
     "适用：逝者参加了养老保险，以死亡日期为准停发待遇", {}, "不适用：逝者未参加养老保险"),
    ("pension_account_lump", {"pension_type": "urban_rural"},
     "适用：逝者参加了养老保险，有个人账户", {}, "不适用：逝者未参加养老保险"),
    ("retiree_death_benefit", {"pension_type": "urban_rural"}, "适用：逝者参加了养老保险，家属可申领丧葬补助金",
     {}, "不适用：逝者未参加养老保险"),
    ("survivor_benefit", {}, "适用：家属可申请职工遗属（抚恤）待遇，由人力资源社会保障部门核准", None, None),
    ("unemployment_death", {"unemployment_benefit": True}, "适用：逝者生前在领取失业保险金",
     {}, "不适用：逝者生前未领取失业保险金"),
    ("public_post_subsidy_stop", {"public_post_subsidy": True}, "适用：逝者生前在领取公益性岗位补贴",
     {}, "不适用：逝者生前未领取公益性岗位补贴"),
    ("medical_insurance_cancel", {"medical_insurance": "resident"},
     "适用：逝者参加了基本医疗保险", {}, "不适用：逝者未参加基本医疗保险"),
    ("medical_account_withdraw", EMPLOYEE_MED, "适用：逝者参加职工基本医疗保险，医保个人账户有余额",
     {**EMPLOYEE_MED, "medical_account_balance": 0}, "不适用：逝者医保个人账户无余额"),
    ("housing_fund_withdraw", FUND_OK, "适用：逝者有住房公积金账户", {}, "不适用：逝者没有住房公积金账户"),
    ("veteran_benefit_stop", {"entitled_group": True}, "适用：逝者为优抚对象", {}, "不适用：逝者不是优抚对象"),
    ("veteran_benefit_pay", {"martyr": True}, "适用：逝者属于一次性抚恤金发放对象",
     {}, "不适用：逝者不是烈士、因公牺牲或病故军人，也不是优抚对象"),
    ("veteran_benefit_pay", {"entitled_group": True}, "适用：逝者为优抚对象，按政策发放补助、抚恤金", None, None),
    ("disability_card_cancel", {"disability_card": True}, "适用：逝者持有残疾人证", {}, "不适用：逝者未持有残疾人证"),
    ("will_notary_check", {}, "适用：继承人可申请核查逝者所立遗嘱的公证信息", None, None),
    ("equity_lookup", {}, "适用：继承人可申请查询逝者的股权登记信息", None, None),
    ("small_deposit_withdraw", {"deposit_banks": ["中国工商银行"], "applicant_heir_basis": "statutory_first_order"},
     "适用：逝者在银行有存款，申请人为第一顺序继承人、公证遗嘱指定的继承人或受遗赠人",
     {}, "不适用：未登记逝者的存款银行"),
    # the 2024 national rule: notarised-will heirs and legatees too; other heirs are told the notarised route
    ("small_deposit_withdraw", {"deposit_banks": ["中国工商银行"], "applicant_heir_basis": "legatee",
                                "applicant_relationship": "specific", "applicant_relationship_note": "受遗赠人"}, None,
     {"deposit_banks": ["中国工商银行"], "applicant_heir_basis": "other"},
     "不适用：小额存款简化提取只适用于第一顺序继承人、公证遗嘱指定的继承人和受遗赠人；其他继承人请持继承权公证书（公证途径）到存款银行办理"),
    ("small_deposit_withdraw", {"deposit_banks": ["中国工商银行"], "applicant_heir_basis": "notarised_will"}, None, None, None),
]


def _cases(region, rules):
    for i, (code, yes_facts, yes_reason, no_facts, no_reason) in enumerate(rules):
        if yes_facts is not None:
            yield pytest.param(region, code, yes_facts, True, yes_reason, id=f"{region}-{code}-{i}-applies")
        if no_facts is not None:
            yield pytest.param(region, code, no_facts, False, no_reason, id=f"{region}-{code}-{i}-not")


@pytest.mark.parametrize("region, code, over, applies, reason",
                         [*_cases("nm", NM_RULES), *_cases("nx", NX_RULES)])
def test_eligibility_rule(region, code, over, applies, reason):
    m = run(region, **over).matter(code)
    assert m.applicable is applies
    if reason is not None:
        assert m.reason == reason
    assert m.reason.startswith("不适用：") != applies
    if not applies:
        assert m.due_date is None and m.status == "not_applicable" and m.materials == []


@pytest.mark.parametrize("region, rules", [("nm", NM_RULES), ("nx", NX_RULES)])
def test_every_matter_has_both_ways_tested(region, rules):
    catalog_codes = {m.code for m in load_catalog(region).matters}
    applies = {r[0] for r in rules if r[1] is not None}
    not_applies = {r[0] for r in rules if r[3] is not None}
    always = {m.code for m in load_catalog(region).matters if not m.when.facts()}
    assert applies == catalog_codes
    assert not_applies == catalog_codes - always
    assert always  # hukou at least; and in NM the two 核实停发 matters (NM:185, NM:195)
    if region == "nm":
        assert {"assistance_stop", "veteran_benefit_stop", "survivor_benefit"} <= always


def test_every_matter_is_listed_with_mandatory_flag_even_when_not_applicable():
    r = run("nm")
    c = load_catalog("nm")
    assert {m.code for m in r.matters} == {m.code for m in c.matters}
    dl = r.matter("driving_licence_cancel")
    assert dl.mandatory is True and dl.applicable is False and dl.reason == "不适用：逝者未持有机动车驾驶证"


def test_nm_medical_matters_blocked_until_bills_settled():
    r = run("nm", **{**EMPLOYEE_MED, "medical_bills_settled": False})
    for code in ("medical_insurance_cancel", "medical_account_withdraw"):
        m = r.matter(code)
        assert m.applicable and m.status == "blocked" and m.blocked_reason == "须先结清逝者生前医保费用"
        assert m.reason.startswith("适用，暂缓办理：须先结清逝者生前医保费用")
        assert m.due_date is None and m.materials  # not dropped: materials are still asked for
    assert run("nm", **EMPLOYEE_MED).matter("medical_insurance_cancel").status == "applicable"


def test_nx_states_no_settle_bills_first_rule():
    """NM:289 is Inner Mongolia's rule; NX neither blocks on it nor asks about it."""
    r = run("nx", **{**EMPLOYEE_MED, "medical_bills_settled": False})
    assert r.matter("medical_insurance_cancel").status == "applicable"
    assert r.matter("medical_account_withdraw").status == "applicable"
    assert "medical_bills_settled" not in load_catalog("nx").facts_read()
    assert "medical_bills_settled" in load_catalog("nm").facts_read()


@pytest.mark.parametrize("fact, blocked", [
    ("housing_fund_loan_outstanding", "须先结清死者及配偶的住房公积金贷款"),
    ("housing_fund_guarantee", "死者或配偶尚有住房公积金贷款担保责任，须先解除"),
    ("housing_fund_frozen", "死者或配偶住房公积金账户被依法查封、冻结或限制提取，须先解除"),
])
def test_nm_housing_fund_note1_blocks(fact, blocked):
    m = run("nm", **{**FUND_OK, fact: True}).matter("housing_fund_withdraw")
    assert m.status == "blocked" and m.blocked_reason == blocked


def test_nx_housing_fund_needs_sealed_account_and_three_days():
    m = run("nx", **{**FUND_OK, "housing_fund_sealed": False}).matter("housing_fund_withdraw")
    assert m.blocked_reason == "须先由逝者原缴存单位办理住房公积金个人账户封存"
    ok = run("nx", **FUND_OK).matter("housing_fund_withdraw")
    assert ok.due_date == dt.date(2025, 10, 11)  # Oct 9, 10, make-up Saturday Oct 11
    assert ok.deadline_source == "policy" and ok.deadline_basis == ["NX:93"]
    # NM's loan/guarantee/freeze rule (NM:288) is not applied in NX
    assert run("nx", **{**FUND_OK, "housing_fund_loan_outstanding": True}).matter("housing_fund_withdraw").status == "applicable"


def test_nm_does_not_need_the_nx_sealed_account_answer():
    facts = {**BASE, "housing_fund_account": True, "housing_fund_loan_outstanding": False,
             "housing_fund_guarantee": False, "housing_fund_frozen": False}
    m = evaluate(load_catalog("nm"), facts, TODAY).matter("housing_fund_withdraw")
    assert m.status == "applicable"
    assert "housing_fund_sealed" not in load_catalog("nm").facts_read()


def test_nm_hukou_is_last_and_names_what_comes_first():
    r = run("nm", deceased_has_driving_licence=True, **EMPLOYEE_MED)
    codes = [m.code for m in r.matters]
    assert codes[-1] == "hukou_cancel"
    after = r.matter("hukou_cancel").after
    assert {"driving_licence_cancel", "assistance_stop", "medical_insurance_cancel"} <= set(after)
    assert "household_head_change" not in after  # not applicable: does not hold anything up
    assert all(r.matter(c).applicable for c in after)
    assert load_catalog("nm").matter("hukou_cancel").order_basis.cites == ("NM:240",)


def test_nx_hukou_is_not_last():
    """NX:91 sets 1 working day; "last" is NM:240 and is not carried into NX."""
    r = run("nx", deceased_has_driving_licence=True, social_assistance=True, **EMPLOYEE_MED)
    assert r.matter("hukou_cancel").after == []
    assert [m.code for m in r.matters][0] == "hukou_cancel"
    assert load_catalog("nx").matter("hukou_cancel").order is None


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_no_invented_deadlines(region):
    """NM sets no time limit; NX only 户口/驾驶证 1 day (NX:91) and 公积金 3 days (NX:93)."""
    dated = {"nm": set(), "nx": {"hukou_cancel", "driving_licence_cancel", "housing_fund_withdraw"}}[region]
    r = run(region, deceased_has_driving_licence=True, social_assistance=True, **EMPLOYEE_MED, **FUND_OK,
            pension_type="employee", pension_receiving=False)
    for m in r.matters:
        if m.code in dated:
            assert m.deadline_source == "policy" and m.deadline_basis
            if m.status == "applicable":
                assert m.due_date is not None and m.deadline_text.endswith("个工作日内办结")
        else:
            assert m.deadline_source == "none" and m.due_date is None and m.deadline_working_days is None
            assert m.deadline_basis is None
            if m.kind == "matter":
                assert m.deadline_text == "按部门规定时限办结"


def test_nx_deadlines_from_policy():
    r = run("nx", deceased_has_driving_licence=True)
    assert r.matter("hukou_cancel").due_date == dt.date(2025, 10, 9)
    assert r.matter("driving_licence_cancel").due_date == dt.date(2025, 10, 9)
    wed = evaluate(load_catalog("nx"), {**BASE, **NX_LOCAL}, dt.date(2025, 9, 24))
    assert wed.matter("hukou_cancel").due_date == dt.date(2025, 9, 25)


def test_due_date_beyond_calendar_is_uncertain():
    late = dt.date(2026, 12, 30)
    r = evaluate(load_catalog("nx"), {**BASE, **NX_LOCAL, "death_date": "2026-12-29"}, late)
    hukou = r.matter("hukou_cancel")
    assert hukou.due_date == dt.date(2026, 12, 31) and hukou.due_date_uncertain is False
    assert r.matter("will_notary_check").due_date is None  # no limit is known: nothing to be uncertain about


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_materials_union_each_once_with_needers(region):
    over = {**EMPLOYEE_MED, **FUND_OK, "pension_type": "employee", "pension_receiving": True,
            "retired": True, "applicant_heir_basis": "statutory_first_order",
            "deceased_has_driving_licence": True, "deceased_is_household_head": True, "proxy": True,
            "sole_relative_incapacitated": True, "deposit_banks": ["农业银行"], "disability_card": True}
    r = run(region, **over)
    codes = [m.code for m in r.materials]
    assert len(codes) == len(set(codes))
    applicable = {m.code for m in r.matters if m.applicable}
    pre = {p.code for p in r.preconditions if p.applicable}
    for need in r.materials:
        assert need.needed_by and len(need.needed_by) == len(set(need.needed_by))
        assert set(need.needed_by) <= applicable | pre | {APPLICATION}
        assert need.name and need.description and need.source
    by_material = {m.code: set(m.needed_by) for m in r.materials}
    for m in r.matters:
        for code in m.materials:
            assert m.code in by_material[code]
    assert APPLICATION in by_material["power_of_attorney"]
    assert "social_security_card" in by_material and len(by_material["bank_card"]) > 1


def test_driving_licence_material_may_be_missing():
    r = run("nm", deceased_has_driving_licence=True)
    dl = next(m for m in r.materials if m.code == "driving_licence")
    assert dl.optional_note == "遗失可不提交"


@pytest.mark.parametrize("region", ["nm", "nx"])
@pytest.mark.parametrize("kind, pre", [("normal", "death_cert_medical"), ("abnormal", "death_cert_police")])
def test_preconditions_follow_death_kind(region, kind, pre):
    r = run(region, death_kind=kind)
    assert [p.code for p in r.preconditions if p.applicable] == [pre]
    needers = {n for m in r.materials for n in m.needed_by}
    assert pre in needers
    assert r.scope.in_scope


# --- scope: which deaths the joint service covers -------------------------------------------------

@pytest.mark.parametrize("region, over, reason_part", [
    ("nm", {"death_kind": "abroad"}, "逝者在国（境）外死亡"),
    ("nm", {"death_kind": "declared"}, "逝者被人民法院宣告死亡"),
    ("nx", {"death_kind": "abroad"}, "逝者在国（境）外死亡"),
    ("nx", {"death_kind": "declared"}, "逝者被人民法院宣告死亡"),
    ("nx", {"died_in_region": False}, "逝者不是在宁夏境内死亡"),
    ("nx", {"deceased_local_household": False}, "逝者不是宁夏户籍人员"),
])
def test_out_of_scope_says_why_and_refers(region, over, reason_part):
    r = run(region, deceased_has_driving_licence=True, **over)
    assert r.scope.in_scope is False and reason_part in r.scope.reason
    assert not any(m.applicable for m in r.matters) and r.materials == []
    assert all(m.reason.startswith("不在联办范围：") and reason_part in m.reason for m in r.matters)
    departments = {d["department"] for d in r.scope.referral}
    assert "public_security" in departments  # 户口 and 驾驶证 are still the family's business
    police = next(d for d in r.scope.referral if d["department"] == "public_security")
    assert "deceased_id_card" in police["materials"] and police["department_name"]
    assert r.scope.referral_text
    data = r.to_json()["scope"]
    assert data["in_scope"] is False and data["referral"] == r.scope.referral
    # NM no longer asks for the abroad proof NM:231 excludes
    assert "death_proof_abroad" not in load_catalog(region).materials


def test_nm_ignores_the_nx_scope_facts():
    r = run("nm", died_in_region=False, deceased_local_household=False)
    assert r.scope.in_scope is True
    assert "died_in_region" not in load_catalog("nm").facts_read()


def test_nx_requires_the_scope_facts():
    with pytest.raises(FactsError) as info:
        evaluate(load_catalog("nx"), BASE, TODAY)
    assert info.value.key == "died_in_region"
    evaluate(load_catalog("nm"), BASE, TODAY)  # NM does not read them


def test_out_of_scope_checklist_still_lists_every_matter():
    r = run("nx", died_in_region=False)
    assert {m.code for m in r.matters} == {m.code for m in load_catalog("nx").matters}


@pytest.mark.parametrize("over, eligible, reason", [
    ({}, True, "符合：申请人为逝者子女（直系亲属），申请人40周岁"),
    ({"applicant_relationship": "spouse", "applicant_age": 70}, True, "符合：申请人为逝者配偶（直系亲属），申请人70周岁"),
    ({"applicant_age": 17, "applicant_own_income": True}, True,
     "符合：申请人为逝者子女（直系亲属），申请人17周岁，以本人劳动收入为主要生活来源"),
    ({"applicant_age": 16, "applicant_own_income": False}, False,
     "不符合：申请人16周岁，16至18周岁的申请人须以本人劳动收入为主要生活来源"),
    ({"applicant_age": 15}, False, "不符合：申请人15周岁，申请人须年满18周岁，或16至18周岁以本人劳动收入为主要生活来源"),
    ({"applicant_relationship": "sibling", "has_direct_relative": False}, True,
     "符合：申请人为逝者兄弟姐妹（近亲属），逝者无直系亲属，申请人40周岁"),
    ({"applicant_relationship": "sibling", "has_direct_relative": True}, False,
     "不符合：申请人为逝者兄弟姐妹（近亲属），但逝者有直系亲属，应由直系亲属申请；无直系亲属的，方可由其他近亲属申请"),
    ({"applicant_relationship": "other"}, False, "不符合：申请人须为逝者的直系亲属，无直系亲属的由其他近亲属申请"),
    ({"applicant_relationship": "specific", "applicant_relationship_note": "受遗赠人"}, False,
     "不符合：申请人须为逝者的直系亲属，无直系亲属的由其他近亲属申请"),
    ({"proxy": True, "sole_relative_incapacitated": True}, True,
     "符合：申请人为逝者子女（直系亲属），申请人40周岁；委托人身患重疾、行动不便，可委托他人办理，须出具授权委托书"),
    ({"proxy": True, "sole_relative_incapacitated": False}, False,
     "不符合：只有逝者仅有一位直系亲属或近亲属且其身患重疾、长期卧床行动不便时，方可委托他人办理"),
])
def test_applicant_eligibility_nm(over, eligible, reason):
    a = run("nm", **over).applicant
    assert (a.eligible, a.reason) == (eligible, reason)
    assert a.proxy_required == (eligible and over.get("proxy", False))


def test_nx_lets_near_relatives_apply_directly():
    a = run("nx", applicant_relationship="sibling", has_direct_relative=True).applicant
    assert a.eligible and a.relation_kind == "near"


def test_nx_accepts_a_specific_relationship_person_with_proof():
    r = run("nx", applicant_relationship="specific", applicant_relationship_note="料理后事的邻居")
    a = r.applicant
    assert a.eligible and a.relation_kind == "specific" and "料理后事的邻居" in a.reason
    proof = next(m for m in r.materials if m.code == "relationship_proof")
    assert APPLICATION in proof.needed_by
    with pytest.raises(FactsError) as info:  # the note is asked when the relationship is specific
        run("nx", applicant_relationship="specific")
    assert info.value.key == "applicant_relationship_note"
    assert run("nx", applicant_relationship="other").applicant.eligible is False


@pytest.mark.parametrize("over, hint", [
    ({"applicant_age": 15}, "未规定申请人年龄"),
    ({"proxy": True}, "未规定委托办理的条件"),
])
def test_nx_applies_no_nm_age_or_proxy_rule_only_hints(over, hint):
    a = run("nx", **over).applicant
    assert a.eligible is True and any(hint in h for h in a.hints)
    assert run("nm", **over, sole_relative_incapacitated=False).applicant.eligible is False


def test_nm_optional_facts_are_not_asked_in_nx():
    nx = load_catalog("nx").facts_read()
    for fact in ("applicant_own_income", "has_direct_relative", "sole_relative_incapacitated",
                 "housing_fund_loan_outstanding", "medical_bills_settled"):
        assert fact not in nx, fact
    asked = {s.name for s in facts_to_ask({**BASE, "applicant_age": 17, "proxy": True}, read=nx)}
    assert "applicant_own_income" not in asked and "sole_relative_incapacitated" not in asked


def test_proxy_materials_only_with_proxy():
    plain = {m.code for m in run("nm").materials}
    proxied = {m.code for m in run("nm", proxy=True, sole_relative_incapacitated=True).materials}
    assert proxied - plain == {"power_of_attorney", "proxy_id_card"}


def test_to_json_is_the_cli_shape():
    r = run("nm", **EMPLOYEE_MED)
    data = json.loads(json.dumps(r.to_json(), ensure_ascii=False))
    m = data["matters"][0]
    for k in ("code", "name", "department", "applicable", "mandatory", "reason", "due_date", "after",
              "blocked_reason", "due_date_uncertain", "department_name", "status"):
        assert k in m
    assert set(data["materials"][0]) >= {"code", "name", "needed_by"}
    assert set(data["applicant"]) >= {"eligible", "reason", "hints"}
    assert set(data["scope"]) == {"in_scope", "reason", "referral", "referral_text"}
    assert {"deadline_source", "deadline_basis", "basis"} <= set(m)
    assert data["today"] == "2025-09-30"


# --- facts validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("facts, key, text", [
    ({k: v for k, v in BASE.items() if k != "disposal"}, "disposal", "缺少必填事实“disposal”"),
    ({**BASE, "pension_tpye": "employee"}, "pension_tpye", "您是不是要填“pension_type”"),
    ({**BASE, "colour": "red"}, "colour", "未知的事实“colour”"),
    ({**BASE, "applicant_age": "40"}, "applicant_age", "类型不对"),
    ({**BASE, "applicant_age": 40.5}, "applicant_age", "类型不对"),
    ({**BASE, "applicant_age": 200}, "applicant_age", "超出合理范围"),
    ({**BASE, "retired": 1}, "retired", "类型不对"),
    ({**BASE, "retired": "true"}, "retired", "类型不对"),
    ({**BASE, "death_date": "2025-02-30"}, "death_date", "日期 '2025-02-30' 无效"),
    ({**BASE, "death_date": 20250920}, "death_date", "类型不对"),
    ({**BASE, "death_date": "2025-10-30"}, "death_date", "晚于今天"),
    ({**BASE, "death_kind": "natural"}, "death_kind", "无效"),
    ({**BASE, "medical_insurance": "employee"}, "medical_account_balance", "此项必须回答"),
    ({**BASE, "medical_insurance": "resident"}, "medical_bills_settled", "此项必须回答"),
    ({**BASE, "housing_fund_account": True}, "housing_fund_loan_outstanding", "此项必须回答"),
    ({**BASE, "applicant_age": 17}, "applicant_own_income", "此项必须回答"),
    ({**BASE, "proxy": True}, "sole_relative_incapacitated", "此项必须回答"),
    ({**BASE, "pension_type": "urban_rural"}, "pension_receiving", "此项必须回答"),
    ({**BASE, "entitled_group": True}, "entitled_group_kind", "此项必须回答"),
])
def test_bad_facts_are_refused_naming_the_key(facts, key, text):
    with pytest.raises(FactsError) as info:
        evaluate(load_catalog("nm"), facts, TODAY)
    assert info.value.key == key and key in info.value.message and text in info.value.message


@pytest.mark.parametrize("over, key, text", [
    ({"deposit_banks": "工商银行"}, "deposit_banks", "类型不对"),
    ({"deposit_banks": ["工商银行"]}, "applicant_heir_basis", "此项必须回答"),
    ({"disposal": "cremation", "ashes_buried_in_cemetery": "yes"}, "ashes_buried_in_cemetery", "类型不对"),
])
def test_bad_nx_facts_are_refused_naming_the_key(over, key, text):
    with pytest.raises(FactsError) as info:
        evaluate(load_catalog("nx"), {**BASE, **NX_LOCAL, **over}, TODAY)
    assert info.value.key == key and text in info.value.message


def test_facts_the_region_does_not_read_are_ignored_not_refused():
    r = evaluate(load_catalog("nm"), {**BASE, "deposit_banks": "not even a list", "housing_fund_sealed": True}, TODAY)
    assert r.scope.in_scope


def test_not_a_mapping_refused():
    with pytest.raises(FactsError):
        validate_facts(["death_kind"])


def test_defaults_and_dependent_facts():
    f = validate_facts({**BASE, **NX_LOCAL})
    assert f["pension_type"] == "none" and f["medical_bills_settled"] is False and f["deposit_banks"] == []
    assert f.given == frozenset(BASE) | frozenset(NX_LOCAL)
    assert f.to_json()["death_date"] == "2025-09-20"
    assert validate_facts({**BASE, **NX_LOCAL, "death_date": dt.date(2025, 9, 20)})["death_date"] == dt.date(2025, 9, 20)


def test_facts_to_ask_only_when_it_matters():
    asked = {s.name for s in facts_to_ask(BASE)}
    assert "medical_bills_settled" not in asked and "housing_fund_sealed" not in asked
    assert "applicant_own_income" not in asked
    asked = {s.name for s in facts_to_ask({**BASE, "medical_insurance": "resident", "applicant_age": 17})}
    assert {"medical_bills_settled", "applicant_own_income"} <= asked
    assert "medical_account_balance" not in asked


def test_every_fact_has_question_and_label():
    for spec in FACTS.values():
        assert spec.question.endswith(("？", "）")) and spec.label
        if spec.type == "enum":
            assert spec.values
