"""The report as a PDF (A4, reportlab): summary, charts, tables by clerk and matter, exception lists.

Text uses the documents' embedded CJK font (``houshi_desk.documents.fonts.cjk_font``). Lists are cut
at ``LIST_LIMIT`` rows with a line saying how many more there are; the counts are always complete.
ID numbers never appear: the report names cases by number and clerks by account.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from houshi_desk.reports.figures import ReportFigures

STATUS_LABELS = {"draft": "录入中", "submitted": "已受理", "closed": "已办结", "cancelled": "已作废"}
MATTER_STATUS = {"pending": "待提交", "submitted": "已推送", "accepted": "已受理", "in_progress": "办理中",
                 "returned": "退回补正"}
KIND_LABELS = {"application": "申请表", "promise": "承诺书", "proxy": "委托书", "notice": "一次告知单",
               "receipt": "受理回执", "receipt_roll": "受理回执小票", "receipt-roll": "受理回执小票",
               "completion": "办结通知", "daily_report": "日终报表"}
PALETTE = [colors.HexColor(c) for c in ("#2f6fae", "#e08a2c", "#4a9a5b", "#b94a48", "#7d5ba6", "#8c8c8c")]


def title_of(f: ReportFigures) -> str:
    if f.is_day:
        return f"日终报表　{f.start:%Y-%m-%d}"
    return f"区间报表　{f.start:%Y-%m-%d} 至 {f.end:%Y-%m-%d}"


def _styles(font: str):
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _fit(text: str, width: float, font: str, size: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _table(rows: list[list], font: str, widths: list[float], st, *, wrap: bool = True) -> Table:
    """``wrap``: cells are Paragraphs (long text wraps); else plain one-line strings cut to fit,
    which is many times faster for the long lists (hundreds of rows)."""
    if wrap:
        cells = [[Paragraph(escape(str(c)), st["cell"]) for c in r] for r in rows]
    else:
        size = st["cell"].fontSize
        cells = [[_fit(str(c), w - 6, font, size) for c, w in zip(r, widths)] for r in rows]
    t = Table(cells, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, st["cell"].fontSize),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t


BAR_LABEL_SIZE = 7.5


def bar_labels(labels: list[str], font: str, width: float) -> tuple[list[str], float]:
    """The category labels of a bar chart and the room kept for them left of the bars: as wide as
    the longest label (at most 45 % of the chart), so a matter's name is shown whole; a name longer
    than that ends in "…" instead of being cut at the page edge or under the bars."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = max((stringWidth(t, font, BAR_LABEL_SIZE) for t in labels), default=0)
    room = min(max(widest, 40), width * 0.45)
    return [_fit(t, room, font, BAR_LABEL_SIZE) for t in labels], room + 8


def _bar_chart(labels: list[str], values: list[int], font: str, title: str, width: float) -> Drawing:
    n = max(len(values), 1)
    height = 28 + 16 * n
    d = Drawing(width, height, initialFontName=font)  # else the drawing starts in (unembedded) Helvetica
    d.add(String(0, height - 12, title, fontName=font, fontSize=9))
    labels, left = bar_labels(labels, font, width)
    c = HorizontalBarChart()
    c.x, c.y, c.width, c.height = left, 6, width - left - 40, height - 26  # 40: room for the value after the bar
    c.data = [list(reversed(values)) or [0]]
    c.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    c.categoryAxis.labels.fontName = font
    c.categoryAxis.labels.fontSize = BAR_LABEL_SIZE
    c.categoryAxis.labels.boxAnchor = "e"
    c.valueAxis.labels.fontName = font
    c.valueAxis.labels.fontSize = 7
    c.valueAxis.valueMin = 0
    c.valueAxis.forceZero = True
    c.valueAxis.valueStep = max(1, -(-max(values or [1]) // 5))  # whole numbers: these are counts
    c.bars[0].fillColor = PALETTE[0]
    c.barLabelFormat = "%d"
    c.barLabels.fontName = font
    c.barLabels.fontSize = 7
    c.barLabels.boxAnchor = "w"
    c.barLabels.dx = 3
    d.add(c)
    return d


def _pie(labels: list[str], values: list[int], font: str, title: str) -> Drawing:
    d = Drawing(220, 150, initialFontName=font)
    d.add(String(0, 138, title, fontName=font, fontSize=9))
    p = Pie()
    p.x, p.y, p.width, p.height = 10, 10, 110, 110
    p.data = values
    p.labels = None
    for i in range(len(values)):
        p.slices[i].fillColor = PALETTE[i % len(PALETTE)]
        p.slices[i].strokeColor = colors.white
    d.add(p)
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = 110 - 16 * i
        from reportlab.graphics.shapes import Rect

        d.add(Rect(135, y, 8, 8, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        d.add(String(148, y, f"{lab} {v}", fontName=font, fontSize=8))
    return d


def _more(total: int, shown: int, st) -> list:
    return [Paragraph(f"另有 {total - shown} 项未列出（合计 {total} 项）。", st["small"])] if total > shown else []


def render_pdf(f: ReportFigures, *, user: str = "", font: str | None = None) -> bytes:
    if font is None:
        from houshi_desk.documents.fonts import cjk_font

        font = cjk_font()
    st = _styles(font)
    buf = io.BytesIO()
    width = A4[0] - 30 * mm
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=title_of(f), author="houshi-desk", subject="身后一件事 报表",
                            # the canvas's first font: otherwise reportlab starts every page in Helvetica,
                            # which is listed in the file and not embedded
                            initialFontName=font)
    story: list = [Paragraph(escape(title_of(f)), st["title"])]
    scope = f"办理点：{f.office}" if f.office else "范围：全部办理点"
    story.append(Paragraph(escape(f"{scope}　生成时间：{f.generated_at:%Y-%m-%d %H:%M}" + (f"　制表：{user}" if user else "")),
                           st["small"]))
    story.append(Spacer(1, 4))

    period = "本日" if f.is_day else "本期"
    if f.empty:
        story.append(Paragraph(f"{period}无受理案件。", st["h2"]))
    summary = [
        ["项目", "数量", "说明"],
        [f"{period}受理案件", f.total_cases, "按申请日期统计，含录入中和已作废"],
        ["其中已提交受理", f.by_status.get("submitted", 0) + f.by_status.get("closed", 0), "已受理及已办结"],
        ["其中录入中", f.by_status.get("draft", 0), "尚未提交"],
        ["其中已作废", f.by_status.get("cancelled", 0), ""],
        [f"{period}到期事项", f.due, "未办结、办理时限落在" + period],
        ["逾期事项", f.overdue, f"截至 {f.end:%Y-%m-%d} 已过办理时限（按工作日）"],
        ["退回补正事项", f.returned, "部门退回、待补正材料"],
        ["未被平台接收的案件", f.not_accepted, "截至生成时仍在待发送队列"],
        ["需人工处理的同步项", f.needs_attention, "平台拒收或多次失败"],
        [f"{period}补打文书", f.reprints, ""],
        [f"{period}打印失败", f.failed_prints, ""],
        [f"{period}作废案件", f.cancelled, ""],
    ]
    story.append(_table(summary, font, [50 * mm, 22 * mm, width - 72 * mm], st))

    if not f.empty:
        statuses = [(STATUS_LABELS.get(k, k), v) for k, v in sorted(f.by_status.items()) if v]
        top = [m for m in f.by_matter if m.chosen][:15]
        charts = [_pie([a for a, _ in statuses], [b for _, b in statuses], font, "案件状态")]
        row = Table([charts], colWidths=[width], style=[("FONT", (0, 0), (-1, -1), font, 9)])  # not Helvetica
        story += [Spacer(1, 6), row]
        if top:
            story.append(_bar_chart([m.name for m in top], [m.chosen for m in top], font,
                                    f"{period}各事项受理数（前 {len(top)} 项）", width))
        if len(f.per_day) > 1:
            story.append(_bar_chart([f"{d:%m-%d}" for d, _ in f.per_day[-31:]], [n for _, n in f.per_day[-31:]],
                                    font, "每日受理数", width))

    if f.by_clerk:
        rows = [["经办人", "账户", "受理", "已提交", "录入中", "已作废", "已办结"]]
        rows += [[c.name, c.clerk, c.total, c.submitted, c.draft, c.cancelled, c.closed] for c in f.by_clerk]
        story += [Paragraph("按经办人", st["h2"]), _table(rows, font, [38 * mm, 34 * mm] + [(width - 72 * mm) / 5] * 5, st)]
    if f.evaluations or f.open_rectifications:  # 好差评 per clerk and level (issue 17)
        rows = [["经办人", "账户", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "合计"]]
        rows += [[e.name, e.clerk, *[e.levels.get(lv, 0) for lv in (5, 4, 3, 2, 1)], e.total] for e in f.evaluations]
        story += [Paragraph("好差评（按经办人）", st["h2"]),
                  _table(rows, font, [34 * mm, 30 * mm] + [(width - 64 * mm) / 6] * 6, st),
                  Paragraph(f"待整改差评 {f.open_rectifications} 条。", st["body"])]
    if f.by_matter:
        rows = [["事项", f"{period}受理", "到期", "逾期"]]  # names only: a code means nothing to a reader
        rows += [[m.name, m.chosen, m.due, m.overdue] for m in f.by_matter]
        story += [Paragraph("按事项", st["h2"]), _table(rows, font, [110 * mm] + [(width - 110 * mm) / 3] * 3, st)]
    if f.overdue_items:
        rows = [["受理编号", "事项", "应办结日", "逾期工作日", "状态", "经办人"]]
        rows += [[o.case_number, o.matter_name, f"{o.due_date:%Y-%m-%d}", o.working_days_late,
                  MATTER_STATUS.get(o.status, o.status), o.clerk] for o in f.overdue_items]
        story += [Paragraph("逾期事项", st["h2"]),
                  _table(rows, font, [46 * mm, 52 * mm, 22 * mm, 18 * mm, 16 * mm, width - 154 * mm], st, wrap=False)]
        story += _more(f.overdue, len(f.overdue_items), st)
    for heading, total, items, what in (
        ("未被平台接收的案件", f.not_accepted, f.not_accepted_items, "首次排队时间"),
        ("需人工处理的同步项", f.needs_attention, f.needs_attention_items, "时间"),
        ("补打记录", f.reprints, f.reprint_items, "时间"),
        ("作废案件", f.cancelled, f.cancelled_items, "时间"),
    ):
        if not items:
            continue
        rows = [["受理编号", "情况", what, "经办人"]]
        rows += [[i.case_number, KIND_LABELS.get(i.what, i.what), f"{i.at:%Y-%m-%d %H:%M}" if i.at else "", i.who]
                 for i in items]
        story += [Paragraph(heading, st["h2"]),
                  _table(rows, font, [46 * mm, width - 124 * mm, 38 * mm, 40 * mm], st, wrap=False)]
        story += _more(total, len(items), st)

    notes = list(f.notes) + [
        "统计口径：案件按申请日期；到期、逾期只计已勾选且未办结的事项，逾期天数按工作日（含法定节假日与调休）计算；"
        "“未被平台接收”和“需人工处理”为生成报表时的状态。",
    ]
    if f.audit_seq:
        notes.append(f"审计链锚点：第 {f.audit_seq} 条，哈希 {f.audit_hash[:16]}…（核验时与此对照，可发现整链被改写）。")
        a = f.audit_anchored
        notes.append(f"省级平台最近确认的锚定：第 {a.get('seq')} 条，哈希 {str(a.get('hash', ''))[:16]}…（{a.get('acked_at')}）。"
                     if a else "审计链尚未向省级平台锚定（联网同步后自动发送）。")
    story += [Spacer(1, 6)] + [Paragraph(escape(n), st["small"]) for n in notes]

    def footer(canvas, d):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"{title_of(f)}　第 {d.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
