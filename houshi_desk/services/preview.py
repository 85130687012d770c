"""Preview a case's papers without printing them (issue 16 item 16).

A case not yet accepted (录入中, or still being entered in the new-case dialog) may be looked at on screen — 申请表, 承诺书, 委托书, 一次告知单 and even
the 受理回执 — with every page marked 草稿, so nobody mistakes it for a receipt; printing a draft's
受理回执 or 办结通知书 stays refused (``services.printing``). Nothing is kept or logged as printed;
the look at the case is audited like any other.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from houshi_desk.domain.case import CaseStatus
from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require


@dataclass(frozen=True)
class Preview:
    kind: str
    label: str
    pdf: bytes
    draft: bool  # watermarked 草稿
    warnings: tuple[str, ...] = ()


def preview_kinds(case) -> list[str]:
    """What a preview shows: the acceptance set (委托书 only with a proxy)."""
    kinds = ["application", "promise"]
    if case.proxy is not None:
        kinds.append("proxy")
    return kinds + ["notice", "receipt"]


def preview_documents(store, settings, number: str, kinds: list[str] | None = None, *, user,
                      today: date | None = None) -> list[Preview]:
    """Render ``kinds`` (default :func:`preview_kinds`) of a case for the screen; a draft case's pages
    carry 草稿. Needs 查看案件 and the case must be the account's office's and the terminal's region's."""
    from houshi_desk.documents import KIND_LABELS, Office, render_document
    from houshi_desk.services.cases import get_case_row, load_case
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_VIEW)
    with store.session(write=True) as s:  # short: the look is audited
        row = get_case_row(s, number, region=settings.office_region)
        check_case_access(acting, row)
        case = load_case(s, row.number, actor=acting.username, reason="预览文书")
        if case.clerk:  # 受理人 is the person's name, as on a printed receipt
            from houshi_desk.services.printing import _display_name

            case = dataclasses.replace(case, clerk=_display_name(s, case.clerk))
    draft = case.status is CaseStatus.DRAFT
    office = Office.from_settings(settings)
    out = []
    for kind in kinds or preview_kinds(case):
        if kind == "proxy" and case.proxy is None:
            continue
        doc = render_document(kind, case, office=office, today=today, draft=draft)  # no lock held
        out.append(Preview(kind, KIND_LABELS.get(kind, kind), doc.pdf, draft, tuple(doc.warnings)))
    return out


def preview_unsaved(case, *, settings, today: date, user, kinds: list[str] | None = None) -> list[Preview]:
    """The papers of a case still being entered (nothing saved, no number yet), planned by the checklist
    as ``create_case`` would, every page marked 草稿: the clerk and the family check them before the
    case is accepted. Raises what acceptance would (out of scope, ineligible, an impossible 委托期限)."""
    import copy

    from houshi_desk.documents import KIND_LABELS, Office, render_document
    from houshi_desk.domain.case import CaseMaterial, CaseMatter, MaterialState, MatterStatus
    from houshi_desk.services.cases import plan_case, settle_proxy_period

    acting = require(user, Permission.CASE_VIEW)
    c = copy.deepcopy(case)
    facts, result = plan_case(c, today, settings)
    settle_proxy_period(c, today, settings.proxy_default_validity_days)
    chosen_codes = {m.code for m in case.matters if m.chosen}
    states = {m.code: m.state for m in case.materials}
    c.matters, chosen_now = [], set()
    for o in result.matters:  # as create_case decides them
        if o.kind == "info":
            continue
        chosen = o.applicable and (o.mandatory or o.code in chosen_codes)
        if chosen:
            chosen_now.add(o.code)
        status = (MatterStatus.PENDING if chosen else MatterStatus.NOT_CHOSEN if o.applicable
                  else MatterStatus.NOT_APPLICABLE)
        c.matters.append(CaseMatter(o.code, o.applicable, o.mandatory, chosen, o.reason,
                                    o.due_date if chosen else None, status,
                                    due_date_uncertain=bool(o.due_date_uncertain) and chosen))
    codes = {o.code for o in result.matters}
    c.materials = [CaseMaterial(n.code, states.get(n.code, MaterialState.MISSING)) for n in result.materials
                   if any(x in chosen_now or x not in codes for x in n.needed_by)]
    c.facts, c.checklist, c.catalog_version = facts.to_json(), result.to_json(), result.catalog_version
    c.status, c.application_date, c.number = CaseStatus.DRAFT, today, ""
    c.clerk, c.office = acting.display_name or acting.username, settings.office_name
    office = Office.from_settings(settings)
    out = []
    for kind in kinds or preview_kinds(c):
        if kind == "proxy" and c.proxy is None:
            continue
        doc = render_document(kind, c, office=office, today=today, draft=True)
        out.append(Preview(kind, KIND_LABELS.get(kind, kind), doc.pdf, True, tuple(doc.warnings)))
    return out
