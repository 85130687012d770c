"""Phone numbers, bank cards and the order of dates (issue 16 items 2 and 8): refused with the reason in
words through the case workflow; a bank card failing its check digit is only a warning."""
from __future__ import annotations

import pytest

from houshi_desk.domain.contact import (ContactError, bank_card_problem, bank_card_warning, check_case_contacts,
                                        phone_problem)
from houshi_desk.services.cases import case_from_dict, sample_case_dict


@pytest.mark.parametrize("value, hmt, ok", [
    ("13800000000", False, True), ("138 0000 0000", False, True), ("0470-8123456", False, True),
    ("010-88886666转123", False, True), ("+86 13800000000", False, True),
    ("12345", False, False), ("138000000001", False, False), ("abc", False, False), ("0470-12", False, False),
    ("+852 91234567", True, True), ("+853 61234567", True, True), ("+886 912345678", True, True),
    ("+852 91234567", False, False), ("+852 9123", True, False), ("+44 2071234567", True, False),
])
def test_phone_numbers(value, hmt, ok):
    problem = phone_problem(value, hmt=hmt)
    assert (problem is None) is ok, problem
    if problem:
        assert value in problem


@pytest.mark.parametrize("value, problem, warning", [
    ("6222020200112233446", None, None),  # passes Luhn
    ("6222000000000000000", None, "未通过校验"),  # a warning the clerk confirms, not a refusal
    ("abcd-1234", "只能是数字", None), ("1234", "16 至 19 位", None), ("", None, None),
])
def test_bank_cards(value, problem, warning):
    p, w = bank_card_problem(value), bank_card_warning(value)
    assert (p is None) if problem is None else (problem in p)
    assert (w is None) if warning is None else (warning in w)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["applicant"].update(phone="12345"), "应为 11 位"),
    (lambda d: d["applicant"].update(bank_account="abcd-1234"), "只能是数字"),
    (lambda d: d["death"].update(died_at="1940-01-01T08:00"), "早于逝者出生日期"),
    (lambda d: d["death"].update(disposal_date="2026-01-19"), "早于死亡日期"),
])
def test_a_case_with_impossible_contacts_or_dates_is_refused(change, words):
    data = sample_case_dict()
    change(data)
    with pytest.raises(ContactError) as info:
        check_case_contacts(case_from_dict(data))
    assert words in info.value.message


def test_a_luhn_failure_is_returned_as_a_warning_only():
    data = sample_case_dict()
    data["applicant"]["bank_account"] = "6222000000000000000"
    assert any("未通过校验" in w for w in check_case_contacts(case_from_dict(data)))
