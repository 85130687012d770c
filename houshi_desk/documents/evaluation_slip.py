"""纸质评价单 (issue 17): the 好差评 form printed for the family when no family-facing screen is
present — case number, matters, clerk, the five levels (5 非常满意 … 1 非常不满意) to tick, the reasons
for a low level and lines for free text. No QR code, no personal data (no names, no ID numbers). The
clerk keys the ticked level in afterwards (channel ``slip``, counted as 窗口 at the platform).

Drawn with reportlab on A5 with the CJK font embedded (``documents.fonts.font_set``)."""
from __future__ import annotations

from datetime import date

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

KIND = "evaluation_slip"


def render_slip(case_number: str, matters: list[str], *, clerk: str, office_name: str, levels: dict[int, str],
                reasons: dict[str, str], stage_label: str = "", office_phone: str = "", today: date | None = None,
                font_path: str | None = None) -> bytes:
    """The slip's PDF. ``levels`` (5 → 非常满意 …) and ``reasons`` come from the evaluation service,
    which also prints it (``services.evaluations.print_slip``)."""
    from io import BytesIO

    from houshi_desk.documents.fonts import font_set

    LEVELS, LOW_REASONS = levels, reasons

    font = font_set(font_path).main
    today = today or date.today()
    buf = BytesIO()
    c = Canvas(buf, pagesize=A5, pageCompression=1, initialFontName=font, initialFontSize=10.5)  # no Helvetica
    c.setTitle(f"政务服务评价单 {case_number}")
    w, h = A5
    x, y = 14 * mm, h - 18 * mm

    def text(s: str, size: float = 10.5, dx: float = 0.0, center: bool = False) -> None:
        nonlocal y
        c.setFont(font, size)
        if center:
            c.drawCentredString(w / 2, y, s)
        else:
            c.drawString(x + dx, y, s)
        y -= size * 1.6

    def box(dx: float, label: str, size: float = 10.5) -> None:
        c.rect(x + dx, y - 1, 3.6 * mm, 3.6 * mm)
        c.setFont(font, size)
        c.drawString(x + dx + 5.5 * mm, y, label)

    text("政务服务“好差评”评价单", 15, center=True)
    text(f"{office_name}（{stage_label}评价）" if stage_label else office_name, 10, center=True)
    y -= 2
    text(f"受理编号：{case_number}")
    names = "、".join(matters) or "—"
    c.setFont(font, 10.5)
    line, lines = "办理事项：", []
    for ch in names:  # wrap by width
        if c.stringWidth(line + ch, font, 10.5) > w - 2 * x:
            lines.append(line)
            line = "　　　　　"
        line += ch
    lines.append(line)
    for ln in lines[:4]:
        text(ln)
    text(f"经办人：{clerk}　　日期：{today.year} 年 {today.month} 月 {today.day} 日")
    y -= 3
    text("请在一项前的方框内打“√”：", 11)
    for level in sorted(LEVELS, reverse=True):
        box(4 * mm, f"{level} 分　{LEVELS[level]}", 11)
        y -= 11 * 1.7
    y -= 2
    text("选“不满意”或“非常不满意”的，请勾选原因（可多选）：", 10)
    for code, label in LOW_REASONS.items():
        box(4 * mm, label, 10)
        y -= 10 * 1.65
    y -= 2
    text("意见和建议：", 10)
    for _ in range(3):
        y -= 4
        c.line(x, y, w - x, y)
        y -= 10 * 1.4
    y -= 4
    text("请将本评价单交回窗口。您的评价将报送政务服务“好差评”系统；差评将限期整改并回访。", 8.5)
    if office_phone:
        text(f"监督电话：{office_phone}", 8.5)
    c.showPage()
    c.save()
    return buf.getvalue()

