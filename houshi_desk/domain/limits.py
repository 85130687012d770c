"""Limits on what a clerk (or a case file) may put into a case: lengths, no control characters, a
time without a time zone, and an applicant who is not the deceased.

A name is 1–100 characters — whatever an ID card returns must pass (foreign permanent residents'
English names run to 60; rare characters come as private-use code points, which are accepted);
a phone ≤ 32, an address ≤ 200, free text ≤ 500. No control characters anywhere (NUL included);
free text may keep line breaks and tabs. Lengths count characters (code points), as the clerk sees
them. Pure module: no I/O; every refusal is a :class:`LimitError` with a Chinese sentence saying
which field and what to do.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime

from houshi_desk.errors import HoushiError

NAME_MAX = 100
PHONE_MAX = 32
ADDRESS_MAX = 200
TEXT_MAX = 500
CODE_MAX = 64  # numbers and codes: proof numbers, bank accounts, card numbers, matter codes

_MULTILINE_OK = {"\n", "\r", "\t"}


class LimitError(HoushiError):
    """A field over its limit or with characters that do not belong in it."""

    def __init__(self, message: str, *, field: str = "", hint: str | None = None):
        super().__init__(message, hint=hint or "请核对后重新输入")
        self.field = field


def _bad_char(text: str, *, multiline: bool) -> str | None:
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            return ch  # a lone surrogate: not a character at all
        if cat == "Cc" and not (multiline and ch in _MULTILINE_OK):
            return ch
    return None


def _describe(ch: str) -> str:
    if ch == "\x00":
        return "NUL（空字符）"
    if ch in "\n\r":
        return "换行"
    if ch == "\t":
        return "制表符"
    return f"U+{ord(ch):04X}"


def check_text(value, label: str, *, max_len: int, min_len: int = 0, multiline: bool = False,
               field: str = "") -> str:
    """``value`` if it is text within ``min_len``..``max_len`` characters without control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise LimitError(f"{label}应为文字，实际是 {type(value).__name__}。", field=field)
    n = len(value)
    if n > max_len:
        raise LimitError(f"{label}过长：最多 {max_len} 个字符，实际 {n} 个。", field=field,
                         hint="请核对是否粘贴了多余内容后重新输入")
    if n < min_len:
        raise LimitError(f"{label}不能为空。" if min_len == 1 else f"{label}至少需要 {min_len} 个字符。", field=field)
    bad = _bad_char(value, multiline=multiline)
    if bad is not None:
        raise LimitError(f"{label}中含有控制字符（{_describe(bad)}），这类字符不能保存。", field=field,
                         hint="请删除后重新输入；从其他系统复制的文字请先粘贴到记事本中再复制")
    return value


def check_name(value, label: str = "姓名", *, field: str = "", required: bool = True) -> str:
    return check_text(value, label, max_len=NAME_MAX, min_len=1 if required else 0, field=field)


def check_phone(value, label: str = "联系电话", *, field: str = "") -> str:
    return check_text(value, label, max_len=PHONE_MAX, field=field)


def check_address(value, label: str = "地址", *, field: str = "") -> str:
    return check_text(value, label, max_len=ADDRESS_MAX, field=field)


def check_code(value, label: str, *, field: str = "") -> str:
    return check_text(value, label, max_len=CODE_MAX, field=field)


def check_free_text(value, label: str = "备注", *, field: str = "") -> str:
    return check_text(value, label, max_len=TEXT_MAX, multiline=True, field=field)


def check_local_time(value: datetime, label: str = "时间", *, field: str = "") -> datetime:
    """A time as the clerk reads it off a certificate: Beijing time, written without a zone."""
    if value.tzinfo is not None:
        raise LimitError(f"{label}不能带时区（如 +08:00 或 Z）。", field=field,
                         hint="请按证明上的北京时间写成 2026-01-20T08:30 的形式")
    return value


def check_identity(doc, who: str, where: str) -> None:
    check_name(doc.name, f"{who}姓名", field=f"{where}.name")
    check_name(doc.name_en, f"{who}英文姓名", field=f"{where}.name_en", required=False)
    check_code(doc.id_number, f"{who}证件号码", field=f"{where}.id_number")
    check_address(doc.address, f"{who}证件地址", field=f"{where}.address")
    check_address(doc.authority, f"{who}证件签发机关", field=f"{where}.authority")
    for attr, label in (("nation", "民族"), ("nationality", "国籍"), ("pass_number", "通行证号码"),
                        ("issue_count", "签发次数")):
        check_code(getattr(doc, attr), f"{who}{label}", field=f"{where}.{attr}")


def check_party(party, who: str, where: str) -> None:
    if party is None:
        return
    check_identity(party.identity, who, where)
    check_phone(party.phone, f"{who}联系电话", field=f"{where}.phone")
    check_address(party.address, f"{who}常住地址", field=f"{where}.contact_address")
    check_address(party.employer, f"{who}工作单位", field=f"{where}.employer")
    check_code(party.bank_account, f"{who}银行账号", field=f"{where}.bank_account")
    check_address(party.bank_name, f"{who}开户银行", field=f"{where}.bank_name")
    check_free_text(party.note, f"{who}备注", field=f"{where}.note")


def check_death(death) -> None:
    check_local_time(death.died_at, "死亡时间", field="death.died_at")
    for attr, label in (("place", "死亡地点"), ("proof_issuer", "死亡证明签发单位"),
                        ("housing_fund_centre", "公积金管理中心"), ("employer", "逝者工作单位"),
                        ("bank_name", "逝者开户银行")):
        check_address(getattr(death, attr), label, field=f"death.{attr}")
    for attr, label in (("proof_number", "死亡证明编号"), ("disposal_proof_number", "火化/安葬证明编号"),
                        ("bank_account", "逝者银行账号")):
        check_code(getattr(death, attr), label, field=f"death.{attr}")


def check_facts(facts, where: str = "facts", depth: int = 0) -> None:
    """Text inside the facts (e.g. a relationship note): free-text limits; keys are short codes."""
    if depth > 8:
        raise LimitError("案件事实嵌套过深。", field=where)
    if isinstance(facts, dict):
        for key, value in facts.items():
            check_code(str(key), f"事实名称“{str(key)[:20]}”", field=where)
            check_facts(value, f"{where}.{key}", depth + 1)
    elif isinstance(facts, (list, tuple)):
        if len(facts) > 100:
            raise LimitError(f"{where} 中的项目过多（最多 100 项）。", field=where)
        for i, value in enumerate(facts):
            check_facts(value, f"{where}[{i}]", depth + 1)
    elif isinstance(facts, str):
        check_free_text(facts, f"事实“{where}”", field=where)


def _same_person(a, b) -> bool:
    if a is None or b is None:
        return False
    na, nb = a.identity.id_number.strip().upper(), b.identity.id_number.strip().upper()
    return bool(na) and na == nb


def check_case(case) -> None:
    """Every limit on a case's fields, and that the living parties are not the deceased."""
    check_party(case.deceased, "逝者", "deceased")
    check_party(case.applicant, "申请人", "applicant")
    check_party(case.proxy, "受托人", "proxy")
    check_death(case.death)
    check_free_text(case.notes, "案件备注", field="notes")
    check_facts(case.facts)
    delivery = getattr(case, "delivery", None)
    if delivery is not None:
        check_address(delivery.address, "邮寄地址", field="delivery.address")
        check_name(delivery.recipient, "收件人", field="delivery.recipient", required=False)
        check_phone(delivery.phone, "收件人电话", field="delivery.phone")
        check_code(delivery.postcode, "邮政编码", field="delivery.postcode")
    for m in case.matters:
        check_code(m.code, "事项代码", field="chosen")
    for m in case.materials:
        check_code(m.code, "材料代码", field="materials")
    if _same_person(case.applicant, case.deceased):
        raise LimitError("申请人与逝者的证件号码相同：申请人不能是逝者本人。", field="applicant.id_number",
                         hint="请核对两人的证件，分别读取逝者和申请人的身份证")
    if _same_person(case.proxy, case.deceased):
        raise LimitError("受托人与逝者的证件号码相同：受托人不能是逝者本人。", field="proxy.id_number",
                         hint="请核对两人的证件")
