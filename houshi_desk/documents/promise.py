"""承诺书 (NM attachment 4): the region's promise text with the applicant's name for signature."""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, build


def render(ctx: Context) -> tuple[bytes, int]:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    rel = case.applicant.relationship.label if case.applicant.relationship else "—"
    story = [
        ink.para(t("title"), 17, align=TA_CENTER, spaceAfter=4),
        ink.para(t("number_line", number=case.number or "（未编号）"), 9, align=TA_RIGHT, spaceAfter=10),
        ink.para(t("subject", deceased=case.deceased.identity.name, applicant=case.applicant.identity.name,
                   relationship=rel), 11.5, spaceAfter=10),
    ]
    for text in t("paragraphs"):
        story.append(ink.para(text, 12.5, leading=22, firstLineIndent=0, spaceAfter=8))
    story += [
        Spacer(1, 6),
        ink.para(t("closing"), 12.5, leading=22, spaceAfter=30),
        # the signature line stays blank for the hand; the printed name goes under it, labelled,
        # so nobody signs next to (or over) a name that is already there
        ink.para(t("signature") + "_" * 16, 12.5, leftIndent=80 * mm, spaceAfter=2),
        ink.para("（申请人姓名：" + case.applicant.identity.name + "）", 9.5, leftIndent=80 * mm, spaceAfter=14),
        ink.para(t("date"), 12.5, leftIndent=80 * mm),
    ]
    return build(ctx, story, margins=(25 * mm, 25 * mm, 25 * mm, 20 * mm))
