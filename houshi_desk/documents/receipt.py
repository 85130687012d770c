"""受理回执: the case number as a Code128 barcode and as text, the matters accepted with their
promised dates, how results will be told, the office's phone. A4, and an 80 mm receipt roll whose
page is exactly as long as its content."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import HRFlowable

from houshi_desk.documents.base import Context, build, fmt_date
from houshi_desk.documents.layout import Barcode, GeoTable
from houshi_desk.domain.case import MaterialState

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm
FRAME_PAD = 6  # reportlab Frame padding on each side (points)


UNCERTAIN_MARK = "*"


def _due(ctx: Context, m) -> str:
    t = ctx.texts
    if m.due_date is None:
        # no limit stated by the seed or configured by provincial IT: nothing is promised
        return t("due_none")
    text = fmt_date(m.due_date)  # always with the year: a receipt is kept, and read again next year
    # counted past the holiday calendar the program knows (next year's State Council notice not
    # out yet): the family is told the date may move rather than given a wrong promise
    return text + UNCERTAIN_MARK if m.due_date_uncertain else text


def _notify(ctx: Context) -> str:
    """How results reach the family, as the case records it (NM:175 自取或邮递); an SMS is promised
    only when the office's platform sends one (setting platform.sms_notify)."""
    t, d = ctx.texts, ctx.case.delivery
    text = t("notify_post", address=d.address, postcode=d.postcode, recipient=d.recipient, phone=d.phone) \
        if d.method == "post" else t("notify_pickup")
    if ctx.office.sms_notify:
        text += t("notify_sms")
    return text + t("notify_query")


def _still_owed(ctx: Context) -> list[str]:
    """Every material the family still owes — 缺 (missing) and 容缺 (deferred) — each once, so the
    receipt never omits what the 一次告知单 asks for (issue 16 item 15)."""
    names = []
    for m in ctx.case.materials:
        if m.state in (MaterialState.MISSING, MaterialState.DEFERRED):
            mat = ctx.catalog.materials.get(m.code)
            name = mat.name if mat else m.code
            names.append(name + ("（容缺）" if m.state is MaterialState.DEFERRED else ""))
    return names


def _story(ctx: Context, width: float, roll: bool) -> list:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    s = 0.82 if roll else 1.0  # text scale on the roll
    number = case.number or ""
    story = [ink.para(t("title"), 15 * s if not roll else 11.5, align=TA_CENTER, spaceAfter=6)]
    if number:
        bc = Barcode(number, max_width=width if roll else min(width, 120 * mm), height=(12 if roll else 16) * mm)
        bc.hAlign = "CENTER"
        story += [bc, Spacer(1, 2)]
    story.append(ink.para(f"{t('number_label')}：{number or '（未编号）'}", 12.5 * s, align=TA_CENTER, spaceAfter=6))
    info = [(t("date_label"), fmt_date(ctx.application_date)), (t("deceased_label"), case.deceased.identity.name),
            (t("applicant_label"), case.applicant.identity.name)]
    label_w = 18 * mm if roll else 26 * mm
    story.append(GeoTable([[ink.fit(k, f"receipt.info.{i}", 10 * s, lines=1), ink.fit(v, f"receipt.info.{i}.value", 10.5 * s, lines=2)]
                           for i, (k, v) in enumerate(info)], font=ctx.fonts.main, colWidths=[label_w, width - label_w],
                          style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story.append(Spacer(1, 4))
    matters = ctx.accepted_matters()
    cols = t("columns")
    if roll:
        cw = [width - 16 * mm, 16 * mm]
        data = [[ink.fit(cols[0], "receipt.col0", 9, lines=1), ink.fit(cols[2], "receipt.col2", 9, lines=1)]]
        for m in matters:
            data.append([ink.fit(f"{ctx.matter_name(m.code)}（{ctx.department_name(m.code)}）", f"receipt.matter.{m.code}", 8.5, lines=4),
                         ink.fit(_due(ctx, m), f"receipt.due.{m.code}", 8.5, lines=2)])
        style = [("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1)]
    else:
        cw = [width - 70 * mm, 40 * mm, 30 * mm]
        data = [[ink.fit(c, f"receipt.col{i}", 10.5, lines=1, align=TA_CENTER) for i, c in enumerate(cols)]]
        for m in matters:
            data.append([ink.fit(ctx.matter_name(m.code), f"receipt.matter.{m.code}", 10, lines=3),
                         ink.fit(ctx.department_name(m.code), f"receipt.dept.{m.code}", 10, lines=2),
                         ink.fit(_due(ctx, m), f"receipt.due.{m.code}", 10, lines=1, align=TA_CENTER)])
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]
    if not matters:
        data.append([ink.fit(t("none_accepted"), "receipt.none", 10 * s, lines=1)] + [""] * (len(cw) - 1))
    story.append(GeoTable(data, font=ctx.fonts.main, colWidths=cw, style=style, repeatRows=1))
    if any(m.due_date_uncertain and m.due_date for m in matters):
        story += [Spacer(1, 2), ink.para(t("due_uncertain_note", mark=UNCERTAIN_MARK), 9 * s if not roll else 7.5)]
    owed = _still_owed(ctx)
    if owed:
        story += [Spacer(1, 4), ink.para(t("deferred_title") + "、".join(owed), 9.5 * s if not roll else 8.5)]
    size = 10 if not roll else 8.5
    story += [Spacer(1, 6), ink.para(_notify(ctx), size, spaceAfter=6)]
    if roll:
        story.append(HRFlowable(width="100%", thickness=0.4, color=colors.black, spaceAfter=4, dash=(2, 2)))
    story += [ink.para(t("office", office=ctx.office.name), size), ink.para(t("phone", phone=ctx.office.phone), size),
              ink.para(t("clerk", clerk=case.clerk or ""), size), Spacer(1, 4), ink.para(t("keep"), size)]
    return story


def render_a4(ctx: Context) -> tuple[bytes, int]:
    width = 210 * mm - 2 * 20 * mm - 2 * FRAME_PAD
    return build(ctx, _story(ctx, width, False), margins=(20 * mm, 20 * mm, 18 * mm, 15 * mm))


def render_roll(ctx: Context) -> tuple[bytes, int]:
    """One page, 80 mm wide, as long as the content (a roll printer cuts after the job)."""
    width = ROLL_WIDTH - 2 * ROLL_MARGIN - 2 * FRAME_PAD
    story = _story(ctx, width, True)
    height = 0.0
    prev_after = 0.0
    for f in story:
        _, h = f.wrap(width, 10_000)
        height += h + max(prev_after, f.getSpaceBefore())
        prev_after = f.getSpaceAfter()
    page_h = height + prev_after + 2 * ROLL_MARGIN + 2 * FRAME_PAD + 8 * mm  # room for the footer line
    return build(ctx, story, pagesize=(ROLL_WIDTH, page_h),
                 margins=(ROLL_MARGIN, ROLL_MARGIN, ROLL_MARGIN, ROLL_MARGIN + 4 * mm))
