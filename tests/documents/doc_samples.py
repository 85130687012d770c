"""Synthetic cases for the document tests (published sample ID numbers only)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from houshi_desk.domain.case import CaseMatter, CaseStatus, MaterialState, MatterStatus, CaseMaterial

TODAY = date(2026, 1, 23)  # a Friday


def planned_case(region: str = "nm", *, number: str | None = None, everything: bool = False, proxy: bool = False,
                 fewest: bool = False, chosen: list[str] | None = None, today: date = TODAY):
    """The lead's sample case, planned by the real checklist like create_case does (without a store)."""
    from houshi_desk.services.cases import case_from_dict, plan_case, sample_case_dict

    data = sample_case_dict(region)
    if everything:
        data["facts"].update({
            "deceased_is_household_head": True, "deceased_has_driving_licence": True,
            "pension_type": "employee", "pension_receiving": True, "retired": True,
            "unemployment_benefit": True, "public_post_subsidy": True, "applicant_heir_basis": "statutory_first_order",
            "medical_insurance": "employee", "medical_account_balance": 1200, "medical_bills_settled": True,
            "housing_fund_account": True, "housing_fund_loan_outstanding": False, "housing_fund_guarantee": False,
            "housing_fund_frozen": False, "housing_fund_sealed": True, "social_assistance": True, "low_income": True,
            "entitled_group": True, "entitled_group_kind": "key", "martyr": True, "disability_card": True,
            "deposit_banks": ["中国工商银行", "中国农业银行"],
        })
    if fewest:
        data["facts"].update({
            "deceased_is_household_head": False, "deceased_has_driving_licence": False, "pension_type": "none",
            "pension_receiving": False, "medical_insurance": "none", "housing_fund_account": False,
        })
        data["facts"].pop("medical_bills_settled", None)
    if proxy:
        data["facts"]["sole_relative_incapacitated"] = True
        data["proxy"] = {
            "card_type": "resident", "name": "代办人", "id_number": "440524188001010014", "sex": "男",
            "nation": "汉", "birth_date": "1880-01-01", "address": "广东省汕头市潮阳区样例路9号",
            "phone": "13900000000", "contact_address": "内蒙古呼伦贝尔市海拉尔区代办街5号",
            "relationship": "other", "employer": "呼伦贝尔样例有限公司",
        }
        data["applicant"]["note"] = "脑梗后遗症"
    case = case_from_dict(data)
    facts, result = plan_case(case, today)
    case.facts = facts.to_json()
    wanted = None if chosen is None else set(chosen)
    matters = []
    for o in result.matters:
        if o.kind == "info":
            continue
        is_chosen = o.applicable and (o.mandatory or wanted is None or o.code in wanted)
        status = (MatterStatus.PENDING if is_chosen else
                  MatterStatus.NOT_CHOSEN if o.applicable else MatterStatus.NOT_APPLICABLE)
        matters.append(CaseMatter(o.code, o.applicable, o.mandatory, is_chosen, o.reason,
                                  o.due_date if is_chosen else None, status,
                                  due_date_uncertain=bool(o.due_date_uncertain) and is_chosen))
    case.matters = matters
    chosen_codes = {m.code for m in matters if m.chosen}
    codes = {o.code for o in result.matters}
    case.materials = [CaseMaterial(n.code, MaterialState.MISSING) for n in result.materials
                      if any(c in chosen_codes or c not in codes for c in n.needed_by)]
    region_code = {"nm": "150702", "nx": "640104"}.get(region, "150702")
    case.number = number or f"{region_code}-W03-20260123-0007"
    case.status = CaseStatus.SUBMITTED
    case.application_date = TODAY
    case.created_at = datetime(2026, 1, 23, 9, 30)
    case.clerk = "clerk01"
    case.office = "海拉尔区政务服务中心"
    return case


def long_fields(case):
    """Names at the card's 15-character maximum, addresses at 35, rare characters in both."""
    name15 = "䶮𠇔阿卜杜热合曼买买提艾力克木"[:15]
    addr35 = ("内蒙古自治区呼伦贝尔市海拉尔区胜利大街𠇔䶮街道办事处第十二居民委员会样例小区九号楼")[:35]
    assert len(name15) == 15 and len(addr35) == 35
    for party in case.parties():
        party.identity = replace(party.identity, name=name15, address=addr35)
        party.address = addr35
        party.employer = "呼伦贝尔市海拉尔区某某某某某某某某某某某某有限责任公司第三分公司"
        party.bank_name = "中国工商银行股份有限公司呼伦贝尔海拉尔区胜利大街支行营业部"
        party.bank_account = "6222 0000 0000 0000 0000 123"
    case.death.housing_fund_centre = "呼伦贝尔市住房公积金管理中心海拉尔区管理部（第二服务大厅）"
    case.death.employer = addr35
    case.notes = "备注：" + addr35 * 3
    return case


def sample_dict(region: str = "nm", *, proxy: bool = False) -> dict:
    """The lead's sample case as JSON data, optionally with a proxy (for the store and the CLI)."""
    from houshi_desk.services.cases import sample_case_dict

    data = sample_case_dict(region)
    if proxy:
        data["facts"]["sole_relative_incapacitated"] = True
        data["applicant"]["note"] = "脑梗后遗症"
        data["proxy"] = {
            "card_type": "resident", "name": "代办人", "id_number": "440524188001010014", "sex": "男",
            "nation": "汉", "birth_date": "1880-01-01", "address": "广东省汕头市潮阳区样例路9号",
            "phone": "13900000000", "contact_address": "内蒙古呼伦贝尔市海拉尔区代办街5号", "relationship": "other",
        }
    return data


def stored_case(store, settings, region: str = "nm", *, proxy: bool = False, submit: bool = False) -> str:
    """The sample case saved (a draft), or accepted with ``submit`` (the receipt exists only then)."""
    from houshi_desk.services.cases import case_from_dict, create_case

    return create_case(store, case_from_dict(sample_dict(region, proxy=proxy)), settings=settings, today=TODAY,
                       clerk="clerk01", submit=submit)
