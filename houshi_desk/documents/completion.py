"""办结通知书: the result of every matter of the case, and the reminder to surrender the deceased's
ID card (or that it was surrendered)."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, build, fmt_date
from houshi_desk.documents.layout import GeoTable
from houshi_desk.domain.case import MatterStatus

COLS = [70 * mm, 40 * mm, 70 * mm]


def render(ctx: Context) -> tuple[bytes, int]:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    story = [
        ink.para(t("title"), 16, align=TA_CENTER, spaceAfter=10),
        ink.para(t("intro", applicant=case.applicant.identity.name, deceased=case.deceased.identity.name), 11.5,
                 leading=19, spaceAfter=8),
    ]
    data = [[ink.fit(c, f"completion.col{i}", 10.5, lines=1, align=TA_CENTER) for i, c in enumerate(t("columns"))]]
    pending = False
    for m in case.matters:
        if not m.chosen:
            continue
        if m.status is not MatterStatus.DONE:
            pending = True
        result = _result_text(m)
        data.append([ink.fit(ctx.matter_name(m.code), f"completion.matter.{m.code}", 10, lines=3),
                     ink.fit(ctx.department_name(m.code), f"completion.dept.{m.code}", 10, lines=2),
                     ink.fit(result, f"completion.result.{m.code}", 10, lines=4)])
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]
    story.append(GeoTable(data, font=ctx.fonts.main, colWidths=COLS, style=style, repeatRows=1))
    if pending:
        story += [Spacer(1, 4), ink.para(t("pending_note"), 10)]
    story += [Spacer(1, 10),
              ink.para(t("id_card_done") if case.id_card_surrendered else t("id_card_reminder"), 12, leading=19),
              Spacer(1, 18),
              ink.para(t("footer", office=ctx.office.name, phone=ctx.office.phone, date=fmt_date(ctx.today),
                         number=case.number or "（未编号）"), 9.5)]
    return build(ctx, story, margins=(15 * mm, 15 * mm, 20 * mm, 15 * mm))


def _result_text(m) -> str:
    """What the family reads for one matter: the department's own words when they already say the
    outcome (no "办结：已办结"), else the status with the department's words after it."""
    label = "已办结" if m.status is MatterStatus.DONE else m.status.label
    text = (m.result or "").strip()
    if not text:
        return label
    if text.startswith(("已办结", "办结", label)) or label in text[:6]:
        return text
    return f"{label}：{text}"
