"""授权委托书 (NM attachment 5), only when a proxy is used: grantor and grantee filled in, the
matters the catalog lets a proxy handle listed with the case's chosen ones ticked."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, build, fmt_date
from houshi_desk.documents.layout import GeoTable, TickBox

COLS = [30 * mm, 50 * mm, 30 * mm, 50 * mm]


def _choosable(ctx: Context):
    """Matters flagged ``proxy_choosable`` in the catalog; a catalog without the flag: every
    optional (勾选) matter. A chosen matter of the case outside that list is added, never dropped."""
    cat = ctx.catalog
    out = [m for m in cat.matters if m.kind == "matter" and m.extra.get("proxy_choosable")]
    if not out:
        out = [m for m in cat.matters if m.kind == "matter" and not m.mandatory]
    codes = {m.code for m in out}
    extra = [m for m in ctx.case.matters if m.chosen and not m.mandatory and m.code not in codes]
    return [(m.code, m.extra.get("proxy_label") or m.extra.get("form_label") or m.name) for m in out] + [(m.code, ctx.matter_name(m.code)) for m in extra]


def _party_table(ctx: Context, who: str, p, rel_label: str, key: str, bank: bool) -> GeoTable:
    ink, t = ctx.ink, ctx.texts
    rel = p.relationship.label if p and p.relationship else ""
    rows = [
        [t(who), p.identity.name, t(rel_label), rel],
        [t("id_number"), p.identity.id_number, t("phone"), p.phone],
        [t("address"), p.address or p.identity.address, "", ""],
        [t("employer"), p.employer, "", ""],
    ]
    if bank:
        rows.append([t("bank"), " ".join(x for x in (p.bank_name, p.bank_account) if x), "", ""])
    data = [[ink.fit(v, f"{key}.{i}.{j}", 10.5, lines=2) for j, v in enumerate(r)] for i, r in enumerate(rows)]
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    style += [("SPAN", (1, i), (3, i)) for i in range(2, len(rows))]
    return GeoTable(data, font=ctx.fonts.main, colWidths=COLS, style=style)


def render(ctx: Context) -> tuple[bytes, int]:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    chosen = {m.code for m in case.matters if m.chosen}
    illness = case.applicant.note.strip() or t("blank")
    story = [
        ink.para(t("title"), 16, align=TA_CENTER, spaceAfter=3),
        ink.para(t("number_line", number=case.number or "（未编号）"), 9, align=TA_RIGHT, spaceAfter=6),
        _party_table(ctx, "grantor", case.applicant, "relationship_to_deceased", "grantor", True),
        Spacer(1, 6),
        _party_table(ctx, "grantee", case.proxy, "relationship_to_grantor", "grantee", False),
        Spacer(1, 10),
        ink.para(t("authorisation", illness=illness, grantee=case.proxy.identity.name,
                   deceased=case.deceased.identity.name), 11.5, leading=19, spaceAfter=4),
    ]
    rows = []
    for i, (code, name) in enumerate(_choosable(ctx), start=1):
        rows.append([TickBox(ink, code in chosen, "", f"proxy.{code}", size=10.5),
                     ink.fit(f"{i}. {name}", f"proxy.{code}", 11, lines=3)])
    if rows:
        story.append(GeoTable(rows, font=ctx.fonts.main, colWidths=[10 * mm, 150 * mm],
                              style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    blank = "        年      月      日"
    p = case.proxy
    story += [
        Spacer(1, 12),
        ink.para(t("validity", start=fmt_date(p.authorised_from) or blank, end=fmt_date(p.authorised_to) or blank),
                 11.5, spaceAfter=14),
        # both sign: the applicant who grants, and the 受托人 who is the person at the window
        ink.para(t("grantor_signature") + "                    " + t("signature_date"), 11.5, spaceAfter=12),
        ink.para(t("grantee_signature") + "                        " + t("signature_date"), 11.5, spaceAfter=10),
        ink.para(t("date"), 11.5),
    ]
    return build(ctx, story, margins=(25 * mm, 25 * mm, 20 * mm, 18 * mm))
