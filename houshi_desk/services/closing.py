"""Closing a case (办结): only when every chosen matter has its final result, household
cancellation (户口注销) came last, and the deceased's ID card was surrendered (身份证缴销).

``close_problems(row)`` lists in Chinese what still stands in the way (the GUI shows it and greys
out the button); ``close_case(store, number, clerk=..., id_card_surrendered=...)`` closes in one
transaction with its audit entry. Written by the GUI helper for issue 8; the lead may fold it into
``services/cases.py``.
"""
from __future__ import annotations

from datetime import datetime

from houshi_desk.domain.case import CaseStatus, MatterStatus
from houshi_desk.errors import HoushiError

FINAL = {MatterStatus.DONE.value, MatterStatus.REFUSED.value, MatterStatus.WITHDRAWN.value}
HOUSEHOLD_CANCEL = "hukou_cancel"


class CloseError(HoushiError):
    pass


def close_problems(row, *, id_card_surrendered: bool | None = None) -> list[str]:
    """What stops ``row`` (a CaseRow with matters loaded) from being closed; empty = it may close."""
    problems: list[str] = []
    if row.status == CaseStatus.CLOSED.value:
        return ["案件已办结。"]
    if row.status != CaseStatus.SUBMITTED.value:
        problems.append(f"案件当前为“{CaseStatus(row.status).label}”，提交受理后才能办结。")
    chosen = [m for m in row.matters if m.chosen]
    open_ = [m for m in chosen if m.status not in FINAL]
    if open_:
        names = "、".join(_name(row.region, m.code) for m in open_[:5])
        problems.append(f"还有 {len(open_)} 个事项没有办理结果：{names}{' 等' if len(open_) > 5 else ''}。")
    hukou = next((m for m in chosen if m.code == HOUSEHOLD_CANCEL), None)
    if hukou is not None and hukou.status == MatterStatus.DONE.value:
        last = max((h.at for m in chosen if m.code != HOUSEHOLD_CANCEL and m.status == MatterStatus.DONE.value
                    for h in m.history if h.status == MatterStatus.DONE.value), default=None)
        done_at = max((h.at for h in hukou.history if h.status == MatterStatus.DONE.value), default=None)
        if last is not None and done_at is not None and done_at < last:
            problems.append("户口注销应在其他事项办结后最后办理，请核对各部门办结时间。")
    surrendered = row.id_card_surrendered if id_card_surrendered is None else id_card_surrendered
    if not surrendered:
        problems.append("逝者居民身份证尚未缴销（可在窗口或派出所缴销）。")
    return problems


def _name(region: str, code: str) -> str:
    try:
        from houshi_desk.domain.catalog import load_catalog

        return load_catalog(region).matter(code).name
    except Exception:  # noqa: BLE001 - a label only
        return code


def close_case(store, number: str, *, clerk: str, id_card_surrendered: bool, now: datetime | None = None) -> None:
    from houshi_desk import audit
    from houshi_desk.services.cases import get_case_row

    now = now or datetime.now()
    with store.session(write=True) as s:
        row = get_case_row(s, number)
        problems = close_problems(row, id_card_surrendered=id_card_surrendered)
        if problems:
            raise CloseError("案件还不能办结：" + "".join(problems), hint="请待各部门结果返回、身份证缴销后再办结")
        row.id_card_surrendered = True
        row.status = CaseStatus.CLOSED.value
        row.closed_at = now
        row.updated_at = now
        audit.record(s, actor=clerk, action="change", case_number=row.number, detail="案件办结；逝者身份证已缴销")
