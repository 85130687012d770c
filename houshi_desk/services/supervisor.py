"""The supervisor's screen as use cases (issue 13: one home per use case): the day's report, printing
it, the account list and the audit-trail check with its latest entries. Each takes the store and the
logged-in account and checks the supervisor's permission itself:

- the report and its print need 查看和打印报表; an account tied to an office sees its office's
  figures only (as ``houshi-desk report``),
- the account list needs the same supervisor permission (it is the supervisor's tab),
- the audit check and its list need 核验审计记录 (as ``houshi-desk audit verify``); the check is
  audited after it ran, so it covers what was there.
"""
from __future__ import annotations

from datetime import date

from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require


def daily_report(store, user, day: date):
    """The day's figures (``reports.ReportFigures``) for the account's office (all for a hall account)."""
    from houshi_desk.reports import daily_figures
    from houshi_desk.users.scope import report_office

    acting = require(user, Permission.REPORT)
    office = report_office(acting, None)
    with store.session() as s:
        return daily_figures(s, day, office)


def print_daily_report(store, settings, user, figures, *, sender, title: str):
    """Render the figures to PDF, keep it and print it on the 日终报表 printer; returns the
    ``PrintOutcome`` (a printer problem is ``status == "failed"``, not raised). ``sender``: the
    front-end's way to reach a printer."""
    from houshi_desk.documents.printjobs import PrinterChoices, print_pdf, save_pdf
    from houshi_desk.reports import render_pdf

    acting = require(user, Permission.REPORT)
    pdf = render_pdf(figures, user=acting.username)
    path = save_pdf(settings, f"report-{figures.start:%Y%m%d}", "daily_report", pdf)
    printer, paper = PrinterChoices.for_settings(settings).get("daily_report")
    with store.session() as s:
        return print_pdf(s, None, "daily_report", path, user=acting.username, printer=printer, paper=paper,
                         title=title, sender=sender)


def account_list(store, user) -> list:
    """(User, active, locked_until) for every account, by user name."""
    from houshi_desk.users import list_users

    require(user, Permission.REPORT)
    with store.session() as s:
        return list_users(s)


def verify_audit(store, user, *, limit: int = 200):
    """(VerifyResult, rows): the hash chain checked and its newest ``limit`` entries as
    ``(seq, at, actor, action label, case number, detail)``; the check itself is then audited."""
    from sqlalchemy import select

    from houshi_desk import audit
    from houshi_desk.store.models_users import AuditEntryRow

    acting = require(user, Permission.AUDIT_VERIFY)
    with store.session() as s:
        result = audit.verify(s)
        entries = s.execute(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(limit)).scalars().all()
        rows = [(e.seq, e.at, e.actor, audit.ACTIONS.get(e.action, e.action), e.case_number or "", e.detail)
                for e in entries]
    with store.session() as s:
        audit.record(s, actor=acting.username, action="audit_verify", detail="核验审计链")
    return result, rows
