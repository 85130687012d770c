"""Accept a case at the window (受理): the one use case behind the window's 完成受理 and any front-end
that takes a whole case with its scanned pages at once.

Everything heavy and repeatable happens before the transaction: the checklist, decoding and cleaning
the pages, and writing them encrypted into the content-addressed file store (writing the same page
twice stores it once, so a retry or a crash leaves at most an unreferenced file, which ``scan
--collect`` removes). Then **one** write transaction holds the case, its parties, matters and
materials, the page rows, the audit entries, whatever the caller adds (``within``) and, with
``submit``, the submission and its outbox items: a crash at any point leaves either no case or the
whole case.

The acting account must hold 新建案件 (and 提交受理 to submit); the audit trail names it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from houshi_desk.domain.case import Case
from houshi_desk.services.cases import DuplicateOverride, create_case
from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Accepted:
    number: str
    pages: int  # page rows attached
    submitted: bool


def accept_case(
    store,
    case: Case,
    *,
    user,
    settings,
    today: date,
    pages: dict[str, tuple[list, str]] | None = None,
    audits: dict[str, list[tuple[str, str]]] | None = None,
    submit: bool = True,
    override_reason: str = "",
    duplicate_override: DuplicateOverride | None = None,
    within: Callable | None = None,
    filestore=None,
    now: datetime | None = None,
) -> Accepted:
    """Save (and by default submit) a new case with its pages in one transaction.

    ``pages``: material code → (page inputs, source) as the window collected them; ``audits``:
    material code → [(action, detail)] entries recorded with the pages (quality gate, cross-check);
    ``within(session, row)``: the caller's own rows in the same transaction."""
    from houshi_desk.audit import record
    from houshi_desk.scanning.attach import attach_pages, prepare
    from houshi_desk.scanning.filestore import FileStore

    clerk = require(user, Permission.CASE_CREATE).username
    if submit:
        require(user, Permission.CASE_SUBMIT)
    pages = {code: plist for code, plist in (pages or {}).items() if plist and plist[0]}
    prepared: dict[str, tuple[list, str]] = {}
    fs = None
    if pages:
        from houshi_desk.scanning.pipeline import PipelineOptions

        fs = filestore or FileStore.for_settings(settings)
        options = PipelineOptions.for_settings(settings)  # pages the window processed already pass through
        for code, (plist, source) in pages.items():  # outside any transaction: decode, clean, encrypt
            processed = prepare(plist, options)
            for p in processed:
                fs.put(p.data)
            prepared[code] = (processed, source)
    count = sum(len(p) for p, _ in prepared.values())

    def inside(session, row) -> None:
        for code, (processed, source) in prepared.items():
            attach_pages(session, fs, row, code, processed, source, actor=clerk)  # files already stored
            for action, detail in (audits or {}).get(code, ()):
                record(session, actor=clerk, action=action, case_number=row.number, detail=detail)
        if within is not None:
            within(session, row)

    number = create_case(store, case, settings=settings, today=today, clerk=clerk, submit=submit,
                         override_reason=override_reason, duplicate_override=duplicate_override,
                         within=inside, now=now)
    log.info("case %s accepted with %d page(s)%s", number, count, " and submitted" if submit else "")
    return Accepted(number, count, submit)
