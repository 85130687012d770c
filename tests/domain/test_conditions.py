"""The condition language: operators, groups, derived and explicit reasons, and refusal of bad data."""
from __future__ import annotations

import datetime as dt

import pytest

from houshi_desk.domain.conditions import ConditionError, parse_condition
from houshi_desk.domain.facts import validate_facts

BASE = {"death_kind": "normal", "death_date": "2025-09-20", "disposal": "cremation",
        "applicant_relationship": "child", "applicant_age": 40, "died_in_region": True, "deceased_local_household": True}


# Follow-up answers, so that any pension or entitled-group value below validates.
FOLLOW_UPS = {"pension_receiving": False, "entitled_group_kind": "ordinary"}


def facts(**over):
    return validate_facts({**BASE, **FOLLOW_UPS, **over})


@pytest.mark.parametrize("cond, over, expected", [
    ({"fact": "pension_type", "eq": "employee"}, {"pension_type": "employee"}, True),
    ({"fact": "pension_type", "eq": "employee"}, {"pension_type": "none"}, False),
    ({"fact": "pension_type", "ne": "none"}, {"pension_type": "urban_rural"}, True),
    ({"fact": "pension_type", "in": ["employee", "institution"]}, {"pension_type": "institution"}, True),
    ({"fact": "pension_type", "not_in": ["employee", "institution"]}, {"pension_type": "institution"}, False),
    ({"fact": "applicant_age", "gt": 17}, {"applicant_age": 18}, True),
    ({"fact": "applicant_age", "ge": 18}, {"applicant_age": 18}, True),
    ({"fact": "applicant_age", "lt": 18}, {"applicant_age": 18}, False),
    ({"fact": "applicant_age", "le": 18}, {"applicant_age": 18}, True),
    ({"fact": "death_date", "ge": "2025-01-01"}, {}, True),
    ({"fact": "death_date", "lt": dt.date(2025, 1, 1)}, {}, False),
    ({"fact": "retired", "is_true": True}, {"retired": True}, True),
    ({"fact": "retired", "is_true": False}, {"retired": True}, False),
    ({"fact": "deposit_banks", "ne": []}, {"deposit_banks": ["工商银行"], "applicant_heir_basis": "legatee"}, True),
    ({"all": [{"fact": "retired", "is_true": True}, {"fact": "applicant_age", "ge": 18}]}, {"retired": True}, True),
    ({"all": [{"fact": "retired", "is_true": True}, {"fact": "applicant_age", "ge": 18}]}, {}, False),
    ({"any": [{"fact": "retired", "is_true": True}, {"fact": "applicant_age", "ge": 18}]}, {}, True),
    ({"not": {"fact": "retired", "is_true": True}}, {}, True),
    ({"always": True}, {}, True),
    ({"always": False}, {}, False),
])
def test_operators(cond, over, expected):
    assert parse_condition(cond).test(facts(**over)) is expected


def test_derived_reason_describes_the_actual_value():
    c = parse_condition({"fact": "deceased_has_driving_licence", "is_true": True})
    assert c.explain(facts()) == (False, "逝者未持有机动车驾驶证")
    assert c.explain(facts(deceased_has_driving_licence=True)) == (True, "逝者持有机动车驾驶证")
    enum = parse_condition({"fact": "pension_type", "eq": "urban_rural"})
    assert enum.explain(facts(pension_type="employee", pension_receiving=True)) == (
        False, "逝者养老保险类型为职工基本养老保险")


def test_group_reasons_all_any_not_and_overrides():
    c = parse_condition({"all": [{"fact": "retired", "is_true": True},
                                 {"fact": "deceased_has_driving_licence", "is_true": True}]})
    assert c.explain(facts(retired=True)) == (False, "逝者未持有机动车驾驶证")  # the failing part
    assert c.explain(facts(retired=True, deceased_has_driving_licence=True)) == (
        True, "逝者为离退休人员，逝者持有机动车驾驶证")
    a = parse_condition({"any": [{"fact": "retired", "is_true": True},
                                 {"fact": "entitled_group", "is_true": True}]})
    assert a.explain(facts()) == (False, "逝者不是离退休人员，逝者不是优抚对象")
    n = parse_condition({"not": {"fact": "retired", "is_true": True}, "yes": "未退休"})
    assert n.explain(facts()) == (True, "未退休")
    o = parse_condition({"all": [{"fact": "pension_type", "eq": "urban_rural"},
                                 {"fact": "pension_receiving", "is_true": True}],
                         "no": "逝者未领取城乡居民养老保险待遇"})
    assert o.explain(facts(pension_type="employee", pension_receiving=True))[1] == "逝者未领取城乡居民养老保险待遇"


def test_facts_used():
    c = parse_condition({"any": [{"fact": "retired", "is_true": True}, {"not": {"fact": "martyr", "is_true": True}}]})
    assert c.facts() == {"retired", "martyr"}


@pytest.mark.parametrize("cond, where_part, text_part", [
    ({"fact": "pension_typ", "eq": "employee"}, "when.fact", "pension_type"),
    ({"fact": "pension_type", "equals": "employee"}, "when.equals", "未知的运算"),
    ({"fact": "pension_type", "eq": "employe"}, "when.eq", "employee"),
    ({"fact": "applicant_age", "gt": "18"}, "when.gt", "数字"),
    ({"fact": "pension_type", "gt": 3}, "when.gt", "只能用于数字或日期"),
    ({"fact": "pension_type", "is_true": True}, "when.is_true", "只能用于是/否"),
    ({"fact": "retired", "is_true": "yes"}, "when.is_true", "true 或 false"),
    ({"fact": "retired", "eq": True, "ne": False}, "when", "恰好一个运算"),
    ({"fact": "pension_type", "in": []}, "when.in", "非空列表"),
    ({"all": []}, "when.all", "非空"),
    ({"all": [{"fact": "retired"}]}, "when.all[0]", "恰好一个运算"),
    ({"any": [{"fact": "retired", "is_true": True}], "not": {"always": True}}, "when", "只能有一种组合"),
    ({"colour": "red"}, "when", "未知的条件写法"),
    ("retired == true", "when", "条件应为表"),
    ({"fact": "retired", "is_true": True, "yes": ""}, "when.yes", "非空文字"),
    ({"fact": "death_date", "lt": "2025-13-01"}, "when.lt", "日期"),
    ({"fact": "deposit_banks", "in": ["工商银行"]}, "when.in", "列表类事实"),
    ({"fact": "deposit_banks", "ne": "工商银行"}, "when.ne", "列表类事实"),
])
def test_malformed_conditions_name_the_key(cond, where_part, text_part):
    with pytest.raises(ConditionError) as info:
        parse_condition(cond, "when")
    assert info.value.where == where_part
    assert text_part in info.value.message
