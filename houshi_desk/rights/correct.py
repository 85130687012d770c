"""Correction of one field of a case at a near relative's request, with a reason, audited.

Fields are named ``party.<role>.<field>``, ``death.<key>`` or ``case.notes``. A corrected ID number
must pass its check digit. A case already sent to the platform gets a new version queued, so the
departments see the corrected data too.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from houshi_desk import audit
from houshi_desk.domain.identity import mask_id_number, normalize_id_number
from houshi_desk.rights.export import RightsError, need_reason

PARTY_FIELDS = ("name", "id_number", "phone", "address", "employer", "bank_account", "bank_name", "note")
DEATH_FIELDS = ("place", "proof_number", "proof_issuer", "disposal_proof_number", "housing_fund_centre", "employer",
                "bank_account", "bank_name")
CORRECTABLE = (
    [f"party.{r}.{f}" for r in ("deceased", "applicant", "proxy") for f in PARTY_FIELDS]
    + [f"death.{k}" for k in DEATH_FIELDS] + ["case.notes"]
)


def _masked(field: str, value: str) -> str:
    """How a value appears in the audit text: enough to see that it changed, not the value itself."""
    v = str(value or "")
    if not v:
        return "（空）"
    last = field.rsplit(".", 1)[-1]
    if last in ("id_number", "proof_number", "disposal_proof_number"):
        return mask_id_number(v)
    if last == "name":
        return v[0] + "*" * (len(v) - 1)
    if last in ("phone", "bank_account"):
        return "*" * max(len(v) - 4, 0) + v[-4:]
    return v[:4] + ("…" if len(v) > 4 else "")


def correct(session: Session, number: str, field: str, value: str, *, actor: str, reason: str,
            now: datetime | None = None) -> tuple[str, str]:
    """Set ``field`` to ``value``; returns (old, new) as stored."""
    from houshi_desk.services.cases import get_case_row

    reason = need_reason(reason, "更正")
    field = (field or "").strip()
    if field not in CORRECTABLE:
        raise RightsError(f"不能更正“{field}”。可更正的项：{'、'.join(CORRECTABLE)}。")
    row = get_case_row(session, number)
    if row.anonymised:
        raise RightsError(f"案件 {row.number} 的个人数据已按保存期限删除，无法更正。")
    value = (value or "").strip()
    kind, _, rest = field.partition(".")
    if kind == "party":
        role, attr = rest.split(".")
        party = row.party(role)
        if party is None:
            raise RightsError(f"案件 {row.number} 没有{ {'deceased': '逝者', 'applicant': '申请人', 'proxy': '受托人'}[role] }信息，无法更正。")
        if attr == "id_number":
            value = normalize_id_number(value)
            if party.card_type == "resident":
                from stdnum.cn import ric
                from stdnum.exceptions import ValidationError

                try:
                    ric.validate(value)
                except ValidationError:
                    raise RightsError("更正后的身份证号码无效（位数、出生日期或校验位不对），未作更改。请核对证件后重新输入。") from None
        if attr == "name" and not value:
            raise RightsError("姓名不能更正为空。")
        old = getattr(party, attr) or ""
        setattr(party, attr, value)
        if attr in ("name", "id_number") and isinstance(party.identity, dict):
            party.identity = {**party.identity, attr: value}
    elif kind == "death":
        old = str((row.death or {}).get(rest) or "")
        row.death = {**(row.death or {}), rest: value}
    else:
        old, row.notes = row.notes or "", value
    if old == value:
        raise RightsError(f"“{field}”的新值与原值相同，无需更正。")
    now = now or datetime.now()
    row.updated_at = now
    row.version = (row.version or 1) + 1
    session.flush()
    resent = False
    if row.status == "submitted":
        from houshi_desk.sync.outbox import enqueue_case

        enqueue_case(session, row)
        resent = True
    audit.record(session, actor=actor, action="correct", case_number=row.number,
                 detail=f"近亲属申请更正 {field}：{_masked(field, old)} → {_masked(field, value)}；理由：{reason}"
                 + ("；已重新推送平台" if resent else ""))
    return old, value
