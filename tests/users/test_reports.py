"""Report figures against a hand-built dataset (expected numbers worked out by hand), and the PDF."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from houshi_desk.reports import daily_figures, figures, render_pdf, week_range

from dataset import D, build


@pytest.fixture
def dataset(store):
    with store.session() as s:
        build(s)
    return store


def test_daily_figures_whole_hall(dataset):
    with dataset.session() as s:
        f = daily_figures(s, D)
    assert f.total_cases == 4
    assert f.by_status == {"submitted": 2, "draft": 1, "cancelled": 1}
    clerks = {c.clerk: c for c in f.by_clerk}
    assert (clerks["clerk1"].total, clerks["clerk1"].submitted, clerks["clerk1"].draft) == (2, 1, 1)
    assert (clerks["clerk2"].total, clerks["clerk2"].submitted, clerks["clerk2"].cancelled) == (2, 1, 1)
    chosen = {m.code: m.chosen for m in f.by_matter if m.chosen}
    assert chosen == {"hukou_cancel": 2, "driving_licence_cancel": 1, "housing_fund_withdraw": 1}
    names = {m.code: m.name for m in f.by_matter}
    assert names["hukou_cancel"] == "注销死亡人员户口"
    assert f.due == 1  # case B's 户口注销 due today
    assert f.overdue == 3
    late = {(o.case_number, o.matter_code): o.working_days_late for o in f.overdue_items}
    assert late == {
        ("150702-W01-20260116-0001", "driving_licence_cancel"): 4,  # due Fri 16th: 19, 20, 21, 22
        ("150702-W01-20260116-0001", "hukou_cancel"): 3,  # due Mon 19th: 20, 21, 22
        # due 2025-12-31: 1–3 Jan off, Sun 4 Jan a make-up working day → 4–9, 12–16, 19–22 = 15
        ("150702-W01-20251230-0002", "survivor_benefit"): 15,
    }
    assert [o.due_date for o in f.overdue_items] == sorted(o.due_date for o in f.overdue_items)
    assert f.returned == 1
    assert f.not_accepted == 2
    assert {i.case_number for i in f.not_accepted_items} == {"150702-W01-20260122-0001", "150703-W02-20260122-0001"}
    assert f.needs_attention == 1 and f.needs_attention_items[0].what == "平台拒收：材料格式错误"
    assert (f.reprints, f.failed_prints, f.cancelled) == (1, 1, 1)
    assert f.reprint_items[0].case_number == "150702-W01-20260122-0001"
    assert f.cancelled_items[0].case_number == "150702-W01-20260122-0003"


def test_office_by_name_and_by_region_code(dataset):
    with dataset.session() as s:
        b = daily_figures(s, D, office="大厅B")
        code = daily_figures(s, D, office="150702")
    assert b.total_cases == 1 and b.overdue == 0 and b.due == 0
    assert (b.not_accepted, b.needs_attention, b.reprints, b.cancelled) == (1, 1, 0, 0)
    assert code.total_cases == 3 and code.overdue == 3 and code.not_accepted == 1 and code.needs_attention == 0


def test_week_range(dataset):
    start, end = week_range(D)
    assert (start, end) == (date(2026, 1, 19), date(2026, 1, 25))
    with dataset.session() as s:
        f = figures(s, start, end)
    assert f.total_cases == 4 and f.per_day == [(D, 4)]
    assert f.due == 3  # E due 19th, B due 22nd, A due 23rd; C is cancelled
    assert f.overdue == 5  # as of Sunday 25th, also A (23rd) and B (22nd)
    assert f.reprints == 2  # 21st and 22nd


def test_day_without_cases(dataset):
    with dataset.session() as s:
        f = daily_figures(s, date(2026, 2, 3))
    assert f.empty and f.total_cases == 0 and f.by_clerk == []
    text = _pdf_text(render_pdf(f))
    assert "本日无受理案件" in text and "日终报表" in text


def test_end_before_start_is_refused(store):
    from houshi_desk.errors import HoushiError

    with store.session() as s:
        with pytest.raises(HoushiError) as exc:
            figures(s, date(2026, 1, 22), date(2026, 1, 1))
    assert "早于开始日期" in exc.value.message


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_the_figures_and_no_id_numbers(dataset):
    from houshi_desk import audit

    with dataset.session() as s:
        audit.record(s, actor="sup1", action="view", case_number="150702-W01-20260122-0001")
        f = daily_figures(s, D)
    assert f.audit_seq == 1
    data = render_pdf(f, user="主管乙")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for expected in ("日终报表", "2026-01-22", "按经办人", "按事项", "逾期事项", "注销死亡人员户口",
                     "150702-W01-20251230-0002", "平台拒收：材料格式错误", "审计链锚点"):
        assert expected in text, expected
    for secret in ("11010519491231002X", "440524188001010014", "6222020200112233445"):
        assert secret not in text


def test_long_lists_are_cut_but_counts_complete(store):
    from dataset import case_row

    with store.session() as s:
        s.add_all(case_row(f"150702-W09-20260105-{i:04d}", day=date(2026, 1, 5), clerk="c", status="submitted",
                           matters=[("hukou_cancel", True, "submitted", date(2026, 1, 6))]) for i in range(1, 31))
    with store.session() as s:
        f = daily_figures(s, D, list_limit=10)
    assert f.overdue == 30 and len(f.overdue_items) == 10
    assert "另有 20 项未列出" in _pdf_text(render_pdf(f))
