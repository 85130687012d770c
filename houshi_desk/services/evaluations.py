"""政务服务“好差评” (issue 17): recording what the family rated, sending it to the platform, and the
supervisor's follow-up of a 差评.

Data items after GB/T 39735-2020《政务服务评价工作指南》: case number, matter codes, channel
(窗口 — the family-facing screen or the paper slip at the window — or 评价器, a vendor evaluator),
level 5 = 非常满意 … 1 = 非常不满意, reasons for a low level, free text, time, clerk. Levels 1 and 2
are 差评: each becomes a rectification task for the supervisor, due ``evaluation.rectify_working_days``
working days later (国办发〔2019〕51号: 差评 are followed up and rectified within a set time).

The evaluation and its outbox item (kind ``evaluation``, ``POST /api/v1/evaluations``) are written in
one transaction, so a recorded evaluation is one that will reach the platform, exactly once (the
Idempotency-Key and the evaluation's own id), whenever the link allows.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from houshi_desk.errors import HoushiError
from houshi_desk.store.models import CaseRow, EvaluationRow

log = logging.getLogger(__name__)

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD = (1, 2)  # 差评
# Reasons offered for a low level (the 差评 reasons national practice asks about).
LOW_REASONS = {
    "guide": "办事指南不清楚、不准确",
    "waiting": "等候或办理时间过长",
    "materials": "要求的材料过多或重复提交",
    "attitude": "工作人员服务态度不好",
    "result": "对办理结果不满意",
    "other": "其他",
}
CHANNELS = {"window": "窗口", "slip": "窗口", "evaluator": "评价器"}  # how the platform names the channel
CHANNEL_LABELS = {"window": "窗口（评价屏）", "slip": "窗口（纸质评价单）", "evaluator": "评价器"}
STAGES = {"accepted": "受理后", "closed": "办结后"}


class EvaluationError(HoushiError):
    pass


@dataclass(frozen=True)
class OpenRectification:
    id: int
    case_number: str
    level: int
    reasons: list
    text: str
    at: datetime
    clerk: str
    due: date

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]

    def reasons_text(self) -> str:
        return "、".join(LOW_REASONS.get(r, r) for r in self.reasons)


def rectify_due(settings, day: date) -> date:
    from houshi_desk.domain.workdays import add_working_days

    due, _uncertain = add_working_days(day, int(settings.evaluation_rectify_working_days))
    return due


def record_evaluation(store, settings, *, case_number: str, level: int, channel: str, stage: str = "accepted",
                      reasons: list[str] | tuple = (), text: str = "", at: datetime | None = None,
                      clerk: str | None = None) -> int:
    """Record an evaluation and queue it for the platform; returns its id. ``clerk`` defaults to the
    clerk who accepted the case (whom the family rates)."""
    if level not in LEVELS:
        raise EvaluationError("评价等级须为 1 到 5。")
    if channel not in CHANNELS:
        raise EvaluationError(f"未知的评价渠道：{channel}")
    if stage not in STAGES:
        raise EvaluationError(f"未知的评价环节：{stage}")
    reasons = [r for r in reasons if r in LOW_REASONS] if level in BAD else []
    text = (text or "").strip()[:2000]
    at = (at or datetime.now()).replace(microsecond=0)
    from houshi_desk.sync.outbox import enqueue_evaluation

    with store.session(write=True) as s:
        case = s.execute(select(CaseRow).where(CaseRow.number == case_number)).scalar_one_or_none()
        if case is None:
            raise EvaluationError(f"没有受理编号为 {case_number} 的案件，评价未能保存。")
        who = clerk or case.clerk
        codes = [m.code for m in case.matters if m.chosen]
        row = EvaluationRow(case_number=case_number, stage=stage, matter_codes=codes, channel=channel, level=level,
                            reasons=reasons, text=text, at=at, clerk=who,
                            rectify_due=rectify_due(settings, at.date()) if level in BAD else None)
        s.add(row)
        s.flush()
        enqueue_evaluation(s, {
            "evaluation_id": uuid.uuid4().hex,
            "case_id": case_number,
            "stage": stage,
            "matter_codes": codes,
            "channel": CHANNELS[channel],
            "level": level,
            "level_label": LEVELS[level],
            "reasons": [LOW_REASONS[r] for r in reasons],
            "text": text,
            "at": at.isoformat(),
            "clerk": who,
            "office": case.office,
            "region_code": case.region_code,
            "terminal_id": case.terminal_id,
        })
        eid = row.id
    log.info("evaluation %s of case %s: level %s via %s", eid, case_number, level, channel)
    return eid


def open_rectifications(session: Session, *, office: str | None = None) -> list[OpenRectification]:
    """差评 not yet rectified, the earliest deadline first (the supervisor's task list); with
    ``office``, only those of that office's cases."""
    q = select(EvaluationRow).where(EvaluationRow.level.in_(BAD), EvaluationRow.rectified_at.is_(None))
    if office is not None:
        q = q.join(CaseRow, CaseRow.number == EvaluationRow.case_number).where(CaseRow.office == office)
    rows = session.execute(q.order_by(EvaluationRow.rectify_due, EvaluationRow.id)).scalars()
    return [OpenRectification(r.id, r.case_number, r.level, list(r.reasons or []), r.text, r.at, r.clerk, r.rectify_due)
            for r in rows]


def rectify(store, evaluation_id: int, *, by: str, note: str, at: datetime | None = None) -> None:
    """The supervisor records how a 差评 was rectified; the task leaves the open list."""
    note = (note or "").strip()
    if not note:
        raise EvaluationError("请写明整改情况后再办结。")
    from houshi_desk import audit

    with store.session(write=True) as s:
        row = s.get(EvaluationRow, evaluation_id)
        if row is None or row.level not in BAD:
            raise EvaluationError("没有这条差评。")
        if row.rectified_at is not None:
            return
        row.rectified_at, row.rectified_by, row.rectify_note = at or datetime.now(), by, note
        audit.record(s, actor=by, action="change", case_number=row.case_number, detail=f"差评整改办结：{note}")


def rectification_list(store, user) -> tuple[list[OpenRectification], dict[str, str]]:
    """The supervisor's 差评整改 list and the clerks' display names (needs 查看和打印报表, a
    supervisor's permission); a supervisor tied to an office gets that office's 差评 only."""
    from houshi_desk.services.people import clerk_names
    from houshi_desk.users.roles import Permission
    from houshi_desk.users.scope import visible_office
    from houshi_desk.users.sessions import require

    acting = require(user, Permission.REPORT)
    with store.session() as s:
        return open_rectifications(s, office=visible_office(acting)), clerk_names(s)


def rectify_as(store, user, evaluation_id: int, *, note: str) -> None:
    """:func:`rectify` by the logged-in supervisor (needs 查看和打印报表, and the case in the
    supervisor's office when tied to one); the account is the actor."""
    from houshi_desk.users.roles import Permission
    from houshi_desk.users.scope import check_case_access
    from houshi_desk.users.sessions import require

    acting = require(user, Permission.REPORT)
    with store.session() as s:
        case = s.execute(select(CaseRow).join(EvaluationRow, EvaluationRow.case_number == CaseRow.number)
                         .where(EvaluationRow.id == evaluation_id)).scalar_one_or_none()
        if case is not None:
            check_case_access(acting, case)
    rectify(store, evaluation_id, by=acting.username, note=note)


def evaluation_case_info(store, user, number: str, *, settings) -> tuple[str, str]:
    """What the family's evaluation screen names: the chosen matters (in words, joined) and the
    clerk's display name. The same checks as looking at the case (查看案件, this terminal's region,
    the account's office); not audited — it is the family's own screen at the counter, after the
    clerk opened the case."""
    from houshi_desk.services.case_view import viewable_case_row
    from houshi_desk.services.cases import office_catalog
    from houshi_desk.services.people import display_name

    with store.session() as s:
        _acting, row = viewable_case_row(s, user, number, settings=settings)
        catalog = office_catalog(settings, row.region)
        names = []
        for m in row.matters:
            if m.chosen:
                try:
                    names.append(catalog.matter(m.code).name)
                except KeyError:
                    names.append(m.code)
        return "、".join(names), display_name(s, row.clerk)


def counts_by_clerk(session: Session, start: datetime, end: datetime) -> dict[str, dict[int, int]]:
    """Evaluations in [start, end) per clerk and level: ``{clerk: {level: n}}``."""
    out: dict[str, dict[int, int]] = {}
    for clerk, level, n in session.execute(
            select(EvaluationRow.clerk, EvaluationRow.level, func.count())
            .where(EvaluationRow.at >= start, EvaluationRow.at < end)
            .group_by(EvaluationRow.clerk, EvaluationRow.level)).all():
        out.setdefault(clerk, {})[level] = n
    return out


# ---------------------------------------------------------------- a vendor evaluator (评价器)
#
# The adapter's protocol (a vendor's device is wrapped to serve it):
#   POST {evaluation.evaluator_url}/evaluations  {request_id, case_id, matters, clerk}  → 201 {request_id}
#       the device shows the rating to the family;
#   GET  {evaluation.evaluator_url}/evaluations/{request_id}
#       → {state: pending | done | expired, level, reasons: [guide|waiting|materials|attitude|result|other], text}.


class EvaluatorUnavailable(EvaluationError):
    pass


class HttpEvaluator:
    def __init__(self, url: str, *, timeout: float = 3.0, transport=None):
        import httpx

        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=timeout, transport=transport)

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        import httpx

        try:
            resp = self.http.request(method, path, json=body)
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise EvaluatorUnavailable("评价器没有响应。", detail=type(exc).__name__) from exc
        if resp.status_code >= 400 or not isinstance(data, dict):
            raise EvaluatorUnavailable("评价器拒绝了评价请求。", detail=f"HTTP {resp.status_code}")
        return data

    def request(self, request_id: str, case_number: str, matters: list[str], clerk: str) -> None:
        self._call("POST", "/evaluations", {"request_id": request_id, "case_id": case_number, "matters": matters,
                                            "clerk": clerk})

    def result(self, request_id: str) -> dict:
        return self._call("GET", f"/evaluations/{request_id}")

    def close(self) -> None:
        self.http.close()


def evaluate_on_device(store, settings, number: str, *, stage: str = "accepted", wait_seconds: float = 300.0,
                       poll_seconds: float = 1.0, evaluator: HttpEvaluator | None = None, sleep=None) -> int | None:
    """Ask the vendor evaluator for the family's rating of case ``number`` and record it (channel
    ``evaluator``); None when the family did not rate within ``wait_seconds``. ``EvaluatorUnavailable``
    when the device cannot be reached (the window then prints a slip)."""
    import time

    url = settings.evaluation_evaluator_url.strip()
    if evaluator is None and not url:
        raise EvaluatorUnavailable("未设置评价器地址（evaluation.evaluator_url）。")
    evaluator = evaluator or HttpEvaluator(url)
    sleep = sleep or time.sleep
    with store.session() as s:
        case = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one()
        matters, clerk = [m.code for m in case.matters if m.chosen], case.clerk
    request_id = uuid.uuid4().hex
    evaluator.request(request_id, number, matters, clerk)
    deadline = time.monotonic() + wait_seconds
    while True:
        r = evaluator.result(request_id)
        if r.get("state") == "done" and r.get("level") in LEVELS:
            reasons = [x for x in (r.get("reasons") or []) if isinstance(x, str)]
            return record_evaluation(store, settings, case_number=number, level=int(r["level"]), channel="evaluator",
                                     stage=stage, reasons=reasons, text=str(r.get("text") or ""))
        if r.get("state") == "expired" or time.monotonic() >= deadline:
            return None
        sleep(poll_seconds)


# ---------------------------------------------------------------- the paper slip


def print_slip(store, settings, number: str, *, user: str, stage: str = "accepted", printer: str | None = None,
               sender=None, today: date | None = None):
    """纸质评价单: render, keep and print (or save, without a printer) the slip of case ``number``
    (houshi_desk/documents/evaluation_slip.py); logs the print. Returns the ``PrintOutcome``."""
    from sqlalchemy import select

    from houshi_desk.documents.evaluation_slip import KIND, render_slip
    from houshi_desk.documents.printjobs import PrinterChoices, keep_pdf, pdf_name, plain_for_sending, print_pdf
    from houshi_desk.services.cases import get_case_row, office_catalog
    from houshi_desk.store.models_users import UserRow

    choices = PrinterChoices.for_settings(settings)
    remembered, paper = choices.get(KIND)
    printer = remembered if printer is None else printer
    with store.session(write=True) as s:
        row = get_case_row(s, number)
        catalog = office_catalog(settings, row.region)
        names = []
        for m in row.matters:
            if not m.chosen:
                continue
            try:
                names.append(catalog.matter(m.code).name)
            except KeyError:
                names.append(m.code)
        display = s.execute(select(UserRow.display_name).where(UserRow.username == row.clerk)).scalar_one_or_none()
        pdf = render_slip(number, names, clerk=display or row.clerk, office_name=settings.office_name,
                          levels=LEVELS, reasons=LOW_REASONS, stage_label=STAGES.get(stage, ""),
                          office_phone=settings.office_phone, today=today,
                          font_path=settings.printing_font_path or None)
        ref = keep_pdf(settings, number, KIND, pdf)
        with plain_for_sending(pdf, pdf_name(number, KIND)) as tmp:
            return print_pdf(s, row, KIND, tmp, user=user, printer=printer, paper=paper or "A5",
                             sender=sender if printer else None, title=f"{number}-{KIND}", choices=choices, kept=ref)
