"""Catalog files: the shipped ones are complete and valid; broken copies are refused naming file, matter, key;
a new matter is a catalog edit only."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from houshi_desk.domain.catalog import CatalogError, known_regions, load_catalog, load_catalog_file
from houshi_desk.domain.checklist import evaluate
from houshi_desk.resources import resource_path

NM_CODES = {  # DOMAIN.md table, NM column M/O, plus the "done at cremation" rows of attachment 3
    "cremation_cert", "funeral_fee_waiver", "assistance_stop", "employee_pension_end", "retiree_death_benefit",
    "survivor_benefit", "rural_pension_funeral", "unemployment_death", "medical_insurance_cancel",
    "medical_account_withdraw", "housing_fund_withdraw", "veteran_benefit_stop", "veteran_benefit_pay",
    "hukou_cancel", "household_head_change", "driving_licence_cancel",
    "pension_account_lump"}  # NM:165, no row of its own on the form: a row of the catalog
NM_MANDATORY = {"assistance_stop", "employee_pension_end", "medical_insurance_cancel", "veteran_benefit_stop",
                "hukou_cancel", "driving_licence_cancel"}
NX_CODES = {  # DOMAIN.md table, NX column "yes"
    "cremation_cert", "burial_cert", "assistance_stop", "employee_pension_end", "retiree_death_benefit",
    "survivor_benefit", "unemployment_death", "pension_account_lump",  # no 城乡居民 matter in NX (NX:83/93)
    "public_post_subsidy_stop", "medical_insurance_cancel", "medical_account_withdraw", "housing_fund_withdraw",
    "veteran_benefit_stop", "veteran_benefit_pay", "hukou_cancel", "driving_licence_cancel",
    "disability_card_cancel", "will_notary_check", "equity_lookup", "small_deposit_withdraw"}
PRECONDITIONS = {"death_cert_medical", "death_cert_police"}  # abroad / declared are out of scope

BASE = {"death_kind": "normal", "death_date": "2025-09-20", "disposal": "cremation",
        "applicant_relationship": "child", "applicant_age": 40}
NX_LOCAL = {"died_in_region": True, "deceased_local_household": True}


def test_regions_are_discovered_from_files():
    assert {"nm", "nx"} <= set(known_regions())


def test_nm_catalog_covers_domain_table():
    c = load_catalog("nm")
    assert {m.code for m in c.matters} == NM_CODES
    assert {m.code for m in c.matters if m.mandatory} == NM_MANDATORY
    assert {p.code for p in c.preconditions} == PRECONDITIONS
    assert c.policy == "内民政发〔2022〕118号" and c.region == "nm" and c.version
    assert {m.code for m in c.matters if m.kind == "info"} == {"cremation_cert", "funeral_fee_waiver"}
    assert c.matter("cremation_cert").handled_at == "火化时殡仪馆现场办理"
    # NM notes 1 and 2, verbatim from attachment 3.
    assert c.matter("housing_fund_withdraw").notes == (
        "住房公积金死亡销户提取, 需死者及配偶无未结清住房公积金贷款, 无住房公积金贷款担保责任, "
        "死者及配偶住房公积金账户未被依法查封、冻结或未依据有关规定限制提取的;")
    note2 = "逝者结清生前医保费用结算后, 方可注销其医保参保关系、参保人员个人账户一次性支取(基本医疗保险)。"
    assert c.matter("medical_insurance_cancel").notes == note2 == c.matter("medical_account_withdraw").notes
    for m in c.matters:  # NM sets no time limit for any matter
        assert (m.deadline_working_days, m.deadline_source, m.deadline_basis) == (None, "none", None), m.code


def test_nx_catalog_covers_domain_table_and_policy_deadlines():
    c = load_catalog("nx")
    assert {m.code for m in c.matters} == NX_CODES
    assert c.policy == "宁公(治)通〔2025〕7号"
    for code, days in {"hukou_cancel": 1, "driving_licence_cancel": 1, "housing_fund_withdraw": 3}.items():
        assert (c.matter(code).deadline_working_days, c.matter(code).deadline_source) == (days, "policy")
    assert c.matter("hukou_cancel").deadline_basis.cites == ("NX:91",)
    assert c.matter("housing_fund_withdraw").deadline_basis.cites == ("NX:93",)
    others = [m for m in c.matters if m.code not in {"hukou_cancel", "driving_licence_cancel", "housing_fund_withdraw"}]
    assert all(m.deadline_source == "none" and m.deadline_working_days is None for m in others)
    assert {m.code for m in c.matters if m.kind == "info"} == {"cremation_cert", "burial_cert"}  # NX:89/101


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_catalog_integrity(region):
    c = load_catalog(region)
    assert c.matter("hukou_cancel").order == ("last" if region == "nm" else None)  # NM:240 only
    used = {r.code for m in c.matters for r in m.materials}
    used |= {r.code for p in c.preconditions for r in p.materials}
    used |= {r.code for r in c.applicant.materials + c.applicant.proxy_materials}
    assert used == set(c.materials), "every material is used and every used material is defined"
    assert {m.department for m in c.matters} <= set(c.departments)
    for mat in c.materials.values():
        assert mat.name and mat.description and mat.source in ("申请人提供", "共享获取(免提交)", "窗口现场办理")
    if region == "nm":
        assert "medical_bills_settled" in c.facts_used()
        assert "medical_insurance_cancel" in c.matters_using("medical_bills_settled")


def test_load_catalog_is_cached_and_refuses_unknown_region():
    assert load_catalog("nm") is load_catalog("nm")
    assert load_catalog("NM") is not None
    with pytest.raises(CatalogError) as info:
        load_catalog("gd")
    assert "gd" in info.value.message and "nm" in info.value.message and "nx" in info.value.message


def _matter_block(text: str, code: str) -> tuple[int, int]:
    start = text.index(f'code = "{code}"')
    start = text.rindex("[[matters]]", 0, start)
    end = text.find("[[matters]]", start + 5)
    return start, (end if end != -1 else len(text))


def _edit(text: str, code: str, old: str, new: str) -> str:
    a, b = _matter_block(text, code)
    block = text[a:b]
    assert old in block, (code, old)
    return text[:a] + block.replace(old, new, 1) + text[b:]


BROKEN = [
    # (description, matter to edit, old, new, expected matter in message, expected key fragment)
    ("typo in a key", "hukou_cancel", "mandatory = true", "mandatroy = true", "hukou_cancel", "mandatroy"),
    ("unknown fact", "driving_licence_cancel", '"deceased_has_driving_licence"', '"deceased_has_driving_license"',
     "driving_licence_cancel", "when.fact"),
    ("unknown operator", "rural_pension_funeral", 'eq = "urban_rural"', 'equals = "urban_rural"',
     "rural_pension_funeral", "when.all[0].equals"),
    ("bad enum value", "rural_pension_funeral", 'eq = "urban_rural"', 'eq = "urbanrural"',
     "rural_pension_funeral", "when.all[0].eq"),
    ("bad operand type", "retiree_death_benefit", "is_true = true", 'is_true = "yes"',
     "retiree_death_benefit", "when.is_true"),
    ("deadline as text", "assistance_stop", 'department = "civil_affairs"',
     'department = "civil_affairs"\ndeadline_working_days = "20"\ndeadline_basis = ["NM:185"]',
     "assistance_stop", "deadline_working_days"),
    ("deadline without basis", "assistance_stop", 'department = "civil_affairs"',
     'department = "civil_affairs"\ndeadline_working_days = 20', "assistance_stop", "deadline_basis"),
    ("deadline with a local basis", "assistance_stop", 'department = "civil_affairs"',
     'department = "civil_affairs"\ndeadline_working_days = 20\ndeadline_basis = "local"\ndeadline_document = "x"',
     "assistance_stop", "deadline_basis"),
    ("matter without basis", "assistance_stop", 'basis = ["NM:185"]\n', "", "assistance_stop", "basis"),
    ("basis not a seed line", "assistance_stop", 'basis = ["NM:185"]', 'basis = ["第185行"]', "assistance_stop", "basis"),
    ("local basis without document", "assistance_stop", 'basis = ["NM:185"]', 'basis = "local"',
     "assistance_stop", "basis_document"),
    ("order without basis", "hukou_cancel", 'order_basis = ["NM:240"]\n', "", "hukou_cancel", "order_basis"),
    ("removed catalog default", "assistance_stop", 'department = "civil_affairs"',
     'department = "civil_affairs"\ndeadline_source = "catalog default"', "assistance_stop", "deadline_source"),
    ("unknown material", "driving_licence_cancel", '["driving_licence"]', '["driving_license"]',
     "driving_licence_cancel", "materials[0]"),
    ("unknown department", "household_head_change", 'department = "public_security"', 'department = "public_securty"',
     "household_head_change", "department"),
    ("duplicate code", "household_head_change", 'code = "household_head_change"', 'code = "driving_licence_cancel"',
     "driving_licence_cancel", "code"),
    ("missing required key", "veteran_benefit_stop", 'produces = "定期抚恤和生活补助金停发"', "",
     "veteran_benefit_stop", "produces"),
    ("after unknown matter", "medical_insurance_cancel", "mandatory = true",
     'mandatory = true\nafter = ["medical_acount_withdraw"]\norder_basis = ["NM:240"]',
     "medical_insurance_cancel", "after"),
    ("cycle via last", "retiree_death_benefit", "mandatory = false",
     'mandatory = false\nafter = ["hukou_cancel"]\norder_basis = ["NM:240"]', None, "after"),
    ("bad order", "hukou_cancel", 'order = "last"', 'order = "final"', "hukou_cancel", "order"),
    ("info row with deadline", "cremation_cert", 'kind = "info"', 'kind = "info"\ndeadline_working_days = 3',
     "cremation_cert", "deadline_working_days"),
]


@pytest.mark.parametrize("what, code, old, new, matter, key", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_catalog_names_file_matter_and_key(tmp_path: Path, what, code, old, new, matter, key):
    src = resource_path("resources", "catalogs", "nm-2022.toml").read_text(encoding="utf-8")
    f = tmp_path / "nm-broken.toml"
    f.write_text(_edit(src, code, old, new), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog_file(f)
    err = info.value
    assert str(f) in err.message
    if matter:
        assert err.matter == matter and f"事项“{matter}”" in err.message
    assert key in err.key and key in err.message
    assert "README" in str(err)  # the hint tells the administrator where the format is explained


def test_explicit_cycle_is_refused(tmp_path: Path):
    src = resource_path("resources", "catalogs", "nm-2022.toml").read_text(encoding="utf-8")
    src = _edit(src, "medical_insurance_cancel", "mandatory = true",
                'mandatory = true\nafter = ["medical_account_withdraw"]\norder_basis = ["NM:289"]')
    src = _edit(src, "medical_account_withdraw", "mandatory = false",
                'mandatory = false\nafter = ["medical_insurance_cancel"]\norder_basis = ["NM:289"]')
    f = tmp_path / "nm-cycle.toml"
    f.write_text(src, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog_file(f)
    assert "循环" in info.value.message and "medical_insurance_cancel" in info.value.message


@pytest.mark.parametrize("mutate, key", [
    (lambda s: s.replace('source = "窗口现场办理"', 'source = "窗口"', 1), "source"),
    (lambda s: s.replace("[departments]", "[departmnts]", 1), "departmnts"),
    (lambda s: s.replace("[catalog]", "[catalog\n", 1), None),
    (lambda s: s.replace('policy = "内民政发〔2022〕118号"\n', "", 1), "catalog.policy"),
    (lambda s: s.replace("near_only_without_direct = true", 'near_only_without_direct = "yes"', 1),
     "applicant.near_only_without_direct"),
    (lambda s: s.replace('"applicant_id_card", "deceased_id_card"', '"applicant_id", "deceased_id_card"', 1),
     "applicant.materials[0]"),
])
def test_broken_catalog_outside_matters(tmp_path: Path, mutate, key):
    src = resource_path("resources", "catalogs", "nm-2022.toml").read_text(encoding="utf-8")
    f = tmp_path / "nm-x.toml"
    out = mutate(src)
    assert out != src
    f.write_text(out, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog_file(f)
    assert str(f) in info.value.message
    if key:
        assert key in info.value.key


def test_missing_file(tmp_path: Path):
    with pytest.raises(CatalogError) as info:
        load_catalog_file(tmp_path / "nope.toml")
    assert "不存在" in info.value.message


def test_new_matter_is_a_catalog_edit_only(tmp_path: Path):
    src = resource_path("resources", "catalogs", "nx-2025.toml").read_text(encoding="utf-8")
    src = src.replace("[departments]\n", '[departments]\ntax = "税务部门"\n', 1)
    src = src.replace("[materials.applicant_id_card]",
                      '[materials.tax_clearance_form]\nbasis = "local"\nbasis_document = "宁税发〔2099〕1号"\n'
                      'name = "个人所得税清税申请表"\nsource = "窗口现场办理"\n'
                      'description = "窗口提供并协助填写。"\n\n[materials.applicant_id_card]', 1)
    src += '''
[[matters]]
code = "tax_clearance"
basis = ["NX:85"]
name = "已故人员个人所得税清税"
department = "tax"
mandatory = false
when = {fact = "retired", is_true = true, yes = "逝者为离退休人员，可申请清税"}
materials = ["tax_clearance_form", "relationship_proof"]
deadline_working_days = 5
deadline_basis = ["NX:85"]
after = ["equity_lookup"]
order_basis = ["NX:85"]
produces = "清税证明"
'''
    f = tmp_path / "nx-2099.toml"
    f.write_text(src, encoding="utf-8")
    cat = load_catalog_file(f)
    facts = {**BASE, **NX_LOCAL, "retired": True, "pension_type": "employee"}
    r = evaluate(cat, facts, dt.date(2025, 9, 30))
    new = r.matter("tax_clearance")
    assert new.applicable and new.department_name == "税务部门" and new.reason == "适用：逝者为离退休人员，可申请清税"
    assert new.due_date == dt.date(2025, 10, 14)  # Oct 9, 10, 11 (make-up Saturday), 13, 14
    assert r.matter("tax_clearance").after == ["equity_lookup"]
    assert [m.code for m in r.matters].index("tax_clearance") > [m.code for m in r.matters].index("equity_lookup")
    needs = {m.code: m.needed_by for m in r.materials}
    assert needs["tax_clearance_form"] == ["tax_clearance"] and "tax_clearance" in needs["relationship_proof"]
    not_retired = evaluate(cat, {**BASE, **NX_LOCAL}, dt.date(2025, 9, 30)).matter("tax_clearance")
    assert not not_retired.applicable and not_retired.reason == "不适用：逝者不是离退休人员"


def test_shipped_catalog_copy_round_trips(tmp_path: Path):
    f = tmp_path / "nm-2022.toml"
    shutil.copy(resource_path("resources", "catalogs", "nm-2022.toml"), f)
    assert [m.code for m in load_catalog_file(f).matters] == [m.code for m in load_catalog("nm").matters]
    assert re.search(r"nm-2022", load_catalog("nm").source_file)


def test_check_catalogs_and_fact_questions():
    from houshi_desk.domain.catalog import check_catalogs

    cats = check_catalogs()
    assert {"nm", "nx"} <= set(cats)
    questions = {spec.name: matters for spec, matters in cats["nm"].fact_questions()}
    assert questions["medical_bills_settled"] == ["medical_insurance_cancel", "medical_account_withdraw"]
    assert "housing_fund_sealed" not in questions  # only Ningxia asks about the sealed fund account
    assert "housing_fund_sealed" in {s.name for s, _ in cats["nx"].fact_questions()}
    assert questions["death_kind"] == [] and "applicant_age" in questions
