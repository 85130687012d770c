"""Phone numbers, bank card numbers and the order of the dates on a case: data validity (not policy),
refused with the reason in words (issue 16 items 2 and 8).

* Phone: a mainland mobile (11 digits, 1[3-9]…) or landline (area code 0xx/0xxx, 7–8 digits, an
  optional extension); for a 港澳台 applicant also +852 / +853 (8 digits) and +886 (9 digits, or 10
  with the leading 0). Spaces and dashes are allowed between digits.
* Bank card: 16–19 digits (spaces allowed). A Luhn check failure is only a warning the clerk confirms:
  some domestic cards do not pass it.
* Dates: death not before birth; cremation / burial not before death.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from houshi_desk.errors import HoushiError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(?:转\d{1,6}|#\d{1,6}|-\d{1,6})?$")
_HMT = {"852": re.compile(r"^\d{8}$"), "853": re.compile(r"^\d{8}$"), "886": re.compile(r"^0?\d{9}$")}


class ContactError(HoushiError):
    """A phone number, bank card number or date order that cannot be right."""


def _compact(value: str) -> str:
    return re.sub(r"[\s\u3000()（）]", "", value or "")


def phone_problem(value: str, *, hmt: bool = False) -> str | None:
    """Why ``value`` is not a usable phone number, or None (empty is not this function's business)."""
    raw = _compact(value)
    if not raw:
        return None
    if raw.startswith("+") or raw.startswith("00"):
        digits = raw.lstrip("+")[2:] if raw.startswith("00") else raw.lstrip("+")
        digits = digits.replace("-", "")
        if digits.startswith("86"):
            rest = digits[2:]
            if _MOBILE.match(rest) or _LANDLINE.match("0" + rest.lstrip("0")):
                return None
        for code, pattern in _HMT.items():
            if digits.startswith(code):
                if not hmt:
                    return f"电话号码“{value}”是境外号码，只有港澳台居民申请人可以登记港澳台电话"
                return None if pattern.match(digits[len(code):]) else \
                    f"电话号码“{value}”的位数不对（香港、澳门为 8 位，台湾为 9 位）"
        return f"电话号码“{value}”的国家或地区代码不认识：内地号码直接写 11 位手机号或带区号的座机号"
    plain = raw.replace("-", "")
    if _MOBILE.match(plain) or _LANDLINE.match(plain):
        return None
    if plain.isdigit() and plain.startswith("1"):
        return f"手机号码“{value}”应为 11 位数字（1 开头），现在是 {len(plain)} 位"
    if plain.isdigit() and plain.startswith("0"):
        return f"座机号码“{value}”应为区号加 7 至 8 位号码，如 0470-8123456"
    return f"电话号码“{value}”不是有效的手机或座机号码（手机 11 位，座机如 0470-8123456）"


def bank_card_problem(value: str) -> str | None:
    """Why ``value`` is not a bank card number (digits, 16–19 long), or None."""
    raw = _compact(value).replace("-", "")
    if not raw:
        return None
    if not raw.isdigit():
        bad = "、".join(sorted({c for c in raw if not c.isdigit()}))
        return f"银行卡号“{value}”只能是数字，其中有“{bad}”"
    if not 16 <= len(raw) <= 19:
        return f"银行卡号“{value}”应为 16 至 19 位数字，现在是 {len(raw)} 位"
    return None


def bank_card_warning(value: str) -> str | None:
    """A Luhn failure, as a warning for the clerk to confirm (some domestic cards fail it)."""
    from stdnum import luhn

    raw = _compact(value).replace("-", "")
    if not raw or bank_card_problem(value):
        return None
    return None if luhn.is_valid(raw) else f"银行卡号“{value}”未通过校验，请与卡面核对（个别银行卡不适用此校验，核对无误可继续）"


def date_order_problems(birth: date | None, died_at: datetime | None, disposal_date: date | None,
                        disposal_label: str = "火化或安葬") -> list[str]:
    out = []
    if birth and died_at and died_at.date() < birth:
        out.append(f"死亡日期 {died_at.date().isoformat()} 早于逝者出生日期 {birth.isoformat()}，请核对死亡证明和身份证")
    if disposal_date and died_at and disposal_date < died_at.date():
        out.append(f"{disposal_label}日期 {disposal_date.isoformat()} 早于死亡日期 {died_at.date().isoformat()}，"
                   "请核对火化证或安葬证明")
    return out


def check_case_contacts(case) -> list[str]:
    """Refuse (``ContactError``) phone numbers, bank card numbers and date orders that cannot be right;
    return the warnings the clerk confirms (a bank card failing its check digit)."""
    from houshi_desk.domain.identity import CardType

    problems, warnings = [], []
    for party, who in ((case.applicant, "申请人"), (case.proxy, "受托人")):
        if party is None:
            continue
        hmt = party.identity.card_type is CardType.HMT_PERMIT
        p = phone_problem(party.phone, hmt=hmt)
        if p:
            problems.append(f"{who}{p}")
        p = bank_card_problem(party.bank_account)
        if p:
            problems.append(f"{who}{p}")
        w = bank_card_warning(party.bank_account)
        if w:
            warnings.append(f"{who}{w}")
    delivery = getattr(case, "delivery", None)
    if delivery is not None and delivery.method == "post":
        p = phone_problem(delivery.phone, hmt=case.applicant.identity.card_type is CardType.HMT_PERMIT)
        if p:
            problems.append(f"收件人{p}")
    death = case.death
    problems += date_order_problems(case.deceased.identity.birth_date, death.died_at, death.disposal_date,
                                    death.disposal.label)
    if problems:
        raise ContactError("；".join(problems) + "。", hint="请改正后再受理")
    return warnings
