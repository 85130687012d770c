"""申请表, laid out like NM attachment 3: deceased, preconditions, matters by department with
必选/勾选 boxes, applicant, proxy, notes. The rows come from the region's catalog, so a matter
added to the catalog gets its row without code changes; boxes are ticked from the case.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from houshi_desk.documents.base import Context, build, fmt_date
from houshi_desk.documents.layout import GeoTable, TickBox
from houshi_desk.domain.case import Disposal, Party

W = 184 * mm  # A4 minus 13 mm margins
FIELD_COLS = [28 * mm, 64 * mm, 28 * mm, 64 * mm]
MATTER_COLS = [16 * mm, 30 * mm, 100 * mm, 38 * mm]
BASE = 9  # text size in cells
GRID = [
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _field_table(ctx: Context, header: str, rows: list[list[tuple[str, str, str]]], key: str) -> GeoTable:
    """A 4-column label/value block; a row with one pair spans the value over three columns."""
    ink, t = ctx.ink, ctx.texts
    data = [[ink.fit(header, f"{key}.header", 10.5, align=TA_CENTER, lines=1), "", "", ""]]
    style = list(GRID) + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]
    for r, row in enumerate(rows, start=1):
        cells = []
        for label_key, value, fkey in row:
            cells.append(ink.fit(t(f"labels.{label_key}"), f"{key}.{fkey}.label", BASE, lines=2))
            cells.append(ink.fit(value, f"{key}.{fkey}", BASE, lines=2))
        if len(row) == 1:
            cells += ["", ""]
            style.append(("SPAN", (1, r), (3, r)))
        data.append(cells)
    return GeoTable(data, font=ctx.fonts.main, colWidths=FIELD_COLS, style=style)


def _deceased(ctx: Context) -> GeoTable:
    c, d = ctx.case, ctx.case.death
    ident = c.deceased.identity
    disposal_key = "cremation_date" if d.disposal is Disposal.CREMATION else "burial_date"
    rows = [
        [("name", ident.name, "name"), ("id_number", ident.id_number, "id_number")],
        [("sex", ident.sex.label if ident.sex.value in "12" else "", "sex"), ("nation", ident.nation, "nation")],
        [("died_at", fmt_date(d.died_at, with_time=True), "died_at"),
         (disposal_key, fmt_date(d.disposal_date), "disposal_date")],
        [("bank_account", d.bank_account, "bank_account"), ("bank_name", d.bank_name, "bank_name")],
        [("housing_fund_centre", d.housing_fund_centre, "housing_fund_centre")],
        [("employer", d.employer or c.deceased.employer, "employer")],
    ]
    return _field_table(ctx, ctx.texts("deceased_header"), rows, "deceased")


def period_text(t, start, end) -> str:
    """委托期限 as the template words it; a missing end is left blank for the pen."""
    blank = "        年      月      日"
    return t("authorised_period", start=fmt_date(start) or blank, end=fmt_date(end) or blank)


def _party_rows(p: Party | None, proxy: bool, t=None) -> list:
    def g(attr):
        return getattr(p, attr) if p else ""

    name = p.identity.name if p else ""
    idn = p.identity.id_number if p else ""
    if proxy:
        rows = [
            [("name", name, "name"), ("id_number", idn, "id_number")],
            [("phone", g("phone"), "phone"), ("address", g("address") or (p.identity.address if p else ""), "address")],
            [("party_employer", g("employer"), "employer")],
        ]
        if p is not None and t is not None:  # only a case with a proxy has an authorisation period
            rows.append([("authorised_period", period_text(t, p.authorised_from, p.authorised_to), "period")])
        return rows
    rel = p.relationship.label if p and p.relationship else ""
    return [
        [("name", name, "name"), ("relationship", rel, "relationship")],
        [("id_number", idn, "id_number"), ("phone", g("phone"), "phone")],
        [("address", g("address") or (p.identity.address if p else ""), "address"),
         ("party_employer", g("employer"), "employer")],
        [("bank_account", g("bank_account"), "bank_account"), ("bank_name", g("bank_name"), "bank_name")],
    ]


def _ticks(ctx: Context) -> dict[str, bool]:
    """code → ticked: from the case's matters; a case not yet planned falls back to its checklist."""
    if ctx.case.matters:
        return {m.code: bool(m.chosen and m.applicable) for m in ctx.case.matters}
    return {o.code: o.applicable and o.mandatory and o.kind == "matter" for o in ctx.checklist().matters}


def _matters(ctx: Context) -> GeoTable:
    ink, t, cat = ctx.ink, ctx.texts, ctx.catalog
    data, style = [], list(GRID)
    small = dict(size=BASE, lines=3)

    def section_rows(section: str, groups: list[tuple[str, list[list]]]) -> None:
        first = len(data)
        for dept_name, rows in groups:
            start = len(data)
            for i, cells in enumerate(rows):
                data.append([ink.fit(section, f"section.{section}", BASE, lines=4, align=TA_CENTER) if len(data) == first else "",
                             ink.fit(dept_name, f"department.{dept_name}", BASE, lines=3, align=TA_CENTER) if i == 0 else "",
                             *cells])
            if len(rows) > 1:
                style.append(("SPAN", (1, start), (1, len(data) - 1)))
        if len(data) - first > 1:
            style.append(("SPAN", (0, first), (0, len(data) - 1)))

    # Preconditions: ticked when the death proof of this case's kind is the one needed.
    try:
        pre_ok = {p.code: p.applicable for p in ctx.checklist().preconditions}
    except Exception:  # facts incomplete: print the boxes empty for the clerk to tick by hand
        pre_ok = {}
    groups: dict[str, list] = {}
    for p in cat.preconditions:
        groups.setdefault(cat.departments[p.department].name, []).append([
            ink.fit(p.name, f"precondition.{p.code}", **small),
            TickBox(ink, pre_ok.get(p.code, False), t("mandatory_label"), f"precondition.{p.code}"),
        ])
    section_rows(t("precondition_section"), list(groups.items()))

    ticks = _ticks(ctx)
    groups = {}
    for m in cat.matters:
        label = m.extra.get("form_label") or m.name
        if m.kind == "info":
            box = ink.fit(m.handled_at or "", f"matter.{m.code}.handled_at", 8.5, lines=2)
        else:
            box = TickBox(ink, ticks.get(m.code, False), t("mandatory_label") if m.mandatory else t("optional_label"),
                          f"matter.{m.code}")
        groups.setdefault(cat.departments[m.department].name, []).append(
            [ink.fit(label, f"matter.{m.code}", **small), box])
    # A matter on the case that the catalog no longer lists is printed under 其他, never dropped.
    known = {m.code for m in cat.matters}
    strays = [m for m in ctx.case.matters if m.code not in known and m.chosen]
    other_rows = [[ink.fit(m.code + t("not_in_catalog"), f"matter.{m.code}", **small),
                   TickBox(ink, True, t("optional_label"), f"matter.{m.code}")] for m in strays] or [["", ""]]
    section_rows(t("matters_section"), list(groups.items()) + [(t("other_label"), other_rows)])
    return GeoTable(data, font=ctx.fonts.main, colWidths=MATTER_COLS, style=style)


def render(ctx: Context) -> tuple[bytes, int]:
    ink, t, case = ctx.ink, ctx.texts, ctx.case
    story = [
        ink.para(t("title"), 15, align=TA_CENTER, spaceAfter=1),
        ink.para(t("number_line", number=case.number or "（未编号）", date=fmt_date(ctx.application_date)), 8.5,
                 align=2, spaceAfter=2),
        _deceased(ctx),
        _matters(ctx),
        _field_table(ctx, t("applicant_header"), _party_rows(case.applicant, False), "applicant"),
        _field_table(ctx, t("proxy_header"), _party_rows(case.proxy, True, t), "proxy"),
        Spacer(1, 3),
    ]
    # the notes, the printed rules and the signature stay on one page: a note split by a page break
    # reads as two notes, and the signature must sit under what is signed
    from reportlab.platypus import KeepTogether

    story.append(KeepTogether(
        [ink.para(t("notes_label") + (case.notes.strip() if case.notes and case.notes.strip() else ""), 9)]
        + [ink.para(n, 8.5, leftIndent=8) for n in t("notes")]
        + [Spacer(1, 6), ink.para(t("signature"), 10.5)]
        # the 受托人 is the person at the window: a proxy case has their signature line too
        + ([Spacer(1, 6), ink.para(t("proxy_signature"), 10.5)] if case.proxy is not None else [])))
    return build(ctx, story, margins=(13 * mm, 13 * mm, 10 * mm, 10 * mm))
