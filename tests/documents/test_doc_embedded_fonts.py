"""Issue 16 item 12 (and the report parts of 9 and 14): every printed PDF kind — the case documents
and the daily report — embeds every font it uses (pdffonts: emb yes, no base-14 font such as
Helvetica); the report names matters without a 代码 column and its bar labels are not cut off."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from doc_pdf import OFFICE, pdf_fonts, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import KINDS, render_document

LONG = "为逝者办理养老保险待遇停发及丧葬补助金、抚恤金申领"


def report_figures():
    from houshi_desk.reports.figures import CaseRef, ClerkCount, MatterCount, OverdueItem, ReportFigures

    return ReportFigures(
        start=date(2026, 1, 22), end=date(2026, 1, 22), office="海拉尔区", generated_at=datetime(2026, 1, 22, 18, 0),
        total_cases=3, by_status={"submitted": 2, "draft": 1},
        by_clerk=[ClerkCount("clerk1", "窗口一", 3, 2, 1, 0, 0)],
        by_matter=[MatterCount("pension_stop", LONG, 2, 1, 1), MatterCount("hukou_cancel", "注销死亡人员户口", 3, 1, 0)],
        overdue=1, overdue_items=[OverdueItem("150702-W01-20260122-0001", "pension_stop", LONG, date(2026, 1, 20), 2,
                                              "clerk1", "submitted")],
        reprints=1, reprint_items=[CaseRef("150702-W01-20260122-0001", "receipt_roll", datetime(2026, 1, 22, 9), "clerk1")],
    )


def daily_report() -> bytes:
    from houshi_desk.reports import render_pdf

    return render_pdf(report_figures(), user="主管一")


@pytest.mark.parametrize("kind", [*KINDS, "daily_report"])
def test_every_printed_kind_embeds_all_its_fonts(kind, tmp_path):
    if kind == "daily_report":
        pdf = daily_report()
    else:
        pdf = render_document(kind, planned_case("nm", proxy=True), office=OFFICE, today=TODAY).pdf
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts
    for f in fonts:
        assert f["emb"] == "yes", f"{kind}: font not embedded: {f}"
    names = {f["name"].split("+")[-1] for f in fonts}
    assert not names & {"Helvetica", "Helvetica-Bold", "Times-Roman", "Courier", "STSong-Light"}, names


def test_report_names_matters_and_keeps_bar_labels_whole(tmp_path):
    from houshi_desk.documents.fonts import cjk_font
    from houshi_desk.reports.pdf import _bar_chart

    text = pdf_text(daily_report(), tmp_path, layout=True)
    assert "代码" not in text and "pension_stop" not in text and "receipt_roll" not in text
    assert "受理回执小票" in text
    # the chart's category labels: the whole name, and room for it left of the bars
    font = cjk_font()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    d = _bar_chart([LONG, "注销死亡人员户口"], [2, 3], font, "各事项受理数", 500)
    chart = d.contents[-1]
    assert LONG in chart.categoryAxis.categoryNames
    for name in chart.categoryAxis.categoryNames:
        assert stringWidth(name, font, chart.categoryAxis.labels.fontSize) < chart.x, name
    # a name too long for 45 % of the width ends in "…" rather than running under the bars
    d = _bar_chart([LONG * 3], [1], font, "t", 400)
    chart = d.contents[-1]
    assert chart.categoryAxis.categoryNames[0].endswith("…")
    assert stringWidth(chart.categoryAxis.categoryNames[0], font, 7.5) < chart.x
    assert squash(LONG) in squash(text)
