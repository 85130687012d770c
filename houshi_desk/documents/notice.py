"""一次性告知单: every material the case still needs, grouped by the matter that needs it, with
where to get it in plain words, and the things that hold a matter back."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, build, fmt_date
from houshi_desk.documents.layout import GeoTable
from houshi_desk.domain.case import MaterialState

COLS = [58 * mm, 96 * mm, 26 * mm]
STATE_TEXT = {MaterialState.MISSING: "尚需提供", MaterialState.DEFERRED: "容缺受理，须后补"}


def still_needed(ctx: Context) -> list[tuple[str, str, list]]:
    """[(group code, group title, [(MaterialNeed, state, other group titles)])] — each material
    once, under the first group (applicant, preconditions, matters in handling order) needing it."""
    result = ctx.checklist()
    chosen = {m.code for m in ctx.case.matters if m.chosen} if ctx.case.matters else \
        {o.code for o in result.matters if o.applicable and o.mandatory}
    matter_codes = {o.code for o in result.matters}
    groups: list[tuple[str, str]] = [("application", ctx.texts("application_group"))]
    groups += [(p.code, p.name) for p in result.preconditions if p.applicable]
    groups += [(o.code, f"{o.name}（{o.department_name}）") for o in result.matters if o.code in chosen]
    titles = dict(groups)
    out: dict[str, list] = {code: [] for code, _ in groups}
    for need in result.materials:
        users = [c for c in need.needed_by if c in titles and (c in chosen or c not in matter_codes)]
        if not users:
            continue
        row = ctx.case.material(need.code)
        state = row.state if row else MaterialState.MISSING
        if state.satisfied:
            continue
        order = [c for c, _ in groups if c in users]
        out[order[0]].append((need, state, [titles[c] for c in order[1:]]))
    return [(code, title, out[code]) for code, title in groups if out[code]]


def render(ctx: Context) -> tuple[bytes, int]:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    story = [
        ink.para(t("title"), 16, align=TA_CENTER, spaceAfter=8),
    ]
    groups = still_needed(ctx)
    if not groups:
        story.append(ink.para(t("all_done"), 12, spaceAfter=10))
    else:
        story.append(ink.para(t("intro", applicant=case.applicant.identity.name, deceased=case.deceased.identity.name),
                              11.5, leading=19, spaceAfter=8))
        head = [ink.fit(c, f"notice.col{i}", 10.5, lines=1, align=TA_CENTER) for i, c in enumerate(t("columns"))]
        data, style = [head], [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]
        for code, title, items in groups:
            r = len(data)
            data.append([ink.fit(title, f"notice.group.{code}", 10.5, lines=3), "", ""])
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.Color(0.97, 0.97, 0.97))]
            for need, state, others in items:
                name = need.name + (f"（{need.optional_note}）" if need.optional_note else "")
                where = need.description + (t("shared", count=len(others), others="、".join(others)) if others else "")
                status = STATE_TEXT.get(state, state.label)
                if state is MaterialState.MISSING:
                    status = t("source_status").get(need.source, status)
                data.append([ink.fit(name, f"notice.material.{need.code}", 10, lines=3),
                             ink.fit(where, f"notice.where.{need.code}", 9.5, lines=6),
                             ink.fit(status, f"notice.state.{need.code}", 9.5, lines=3)])
        story.append(GeoTable(data, font=ctx.fonts.main, colWidths=COLS, style=style, repeatRows=1))
    cautions = list(ctx.checklist().notices)
    chosen = {m.code for m in case.matters if m.chosen}
    cautions += [f"{o.name}：{o.blocked_reason}" for o in ctx.checklist().matters
                 if o.blocked_reason and (o.code in chosen or not case.matters)]
    if cautions:
        story += [Spacer(1, 8), ink.para(t("notices_title"), 11.5, spaceAfter=3)]
        story += [ink.para(f"{i}. {c}", 10.5, leftIndent=10, spaceAfter=2) for i, c in enumerate(cautions, 1)]
    story += [Spacer(1, 14), ink.para(t("footer", office=ctx.office.name, phone=ctx.office.phone,
                                        date=fmt_date(ctx.today), number=case.number or "（未编号）"), 9.5)]
    return build(ctx, story, margins=(15 * mm, 15 * mm, 18 * mm, 15 * mm))
