"""Supervisor reports: the end-of-day report (日终报表) and the same figures over a week or month.

``figures(session, start, end, office=None) -> ReportFigures`` counts in SQL (GROUP BY, no Python
loops over case rows), so a day with 10,000 cases stays fast; ``render_pdf(figures) -> bytes``
draws it with reportlab (tables and simple charts). The GUI's supervisor view calls the same two.
"""
from houshi_desk.reports.figures import (
    CaseRef,
    ClerkCount,
    MatterCount,
    OverdueItem,
    ReportFigures,
    daily_figures,
    figures,
    month_range,
    week_range,
)
from houshi_desk.reports.pdf import render_pdf

__all__ = ["CaseRef", "ClerkCount", "MatterCount", "OverdueItem", "ReportFigures", "daily_figures", "figures",
           "month_range", "render_pdf", "week_range"]
