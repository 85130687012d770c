"""分别办理指引: for a death outside the region's joint service (abroad, declared dead; in NX also not
in Ningxia or not a local household), the page the window prints instead of a case: why the matters
cannot be taken together, and which departments to visit one by one with which materials. Nothing is
stored, so the page carries no case number and no personal data."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, Office, build, fmt_date
from houshi_desk.documents.fonts import font_set
from houshi_desk.documents.layout import Geometry, GeoTable, Ink
from houshi_desk.documents.texts import load_texts


def render_referral(result, catalog, *, office: Office, today: date | None = None,
                    font_path: str | None = None):
    """The referral of an out-of-scope checklist (``result.scope.in_scope`` is false) as a
    ``RenderedDocument``."""
    from houshi_desk.documents import RenderedDocument

    today = today or date.today()
    ink = Ink(font_set(font_path), Geometry())
    case = SimpleNamespace(number="", region=catalog.region)  # nothing is stored: no case number
    ctx = Context(kind="referral", case=case, catalog=catalog, office=office, today=today,
                  texts=load_texts(catalog.region, "referral"), ink=ink)
    t = ctx.texts
    width = 210 * mm - 2 * 18 * mm - 12
    story = [ink.para(f"{catalog.name}{t('title')}", 15, align=TA_CENTER, spaceAfter=8),
             ink.para(t("reason_label") + result.scope.reason, 11, spaceAfter=6),
             ink.para(result.scope.referral_text, 11, spaceAfter=6)]
    rows = [[ink.fit(c, f"referral.col{i}", 10.5, lines=1, align=TA_CENTER) for i, c in enumerate(t("columns"))]]
    for d in result.scope.referral:
        names = "、".join(catalog.materials[c].name if c in catalog.materials else c for c in d["materials"])
        rows.append([ink.fit(d["department_name"], f"referral.dept.{d['department']}", 10.5, lines=2),
                     ink.para(names or t("none"), 10)])
    if len(rows) == 1:
        rows.append([ink.para(t("none"), 10), ""])
    story.append(GeoTable(rows, font=ctx.fonts.main, colWidths=[45 * mm, width - 45 * mm],
                          style=[("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                 ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]))
    story += [Spacer(1, 10), ink.para(t("footer", office=office.name, phone=office.phone, date=fmt_date(today)), 9.5)]
    pdf, pages = build(ctx, story, margins=(18 * mm, 18 * mm, 18 * mm, 15 * mm), footer=False)
    return RenderedDocument("referral", pdf, pages, list(ink.missing), ink.geometry)
