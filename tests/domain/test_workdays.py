"""Working-day deadlines: weekends, public holidays, make-up working days, the calendar's edge, overrides."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from houshi_desk.domain.workdays import (CalendarError, WorkCalendar, add_working_days, default_calendar,
                                         load_overrides)

D = dt.date


@pytest.mark.parametrize("start, n, due", [
    (D(2025, 9, 17), 1, D(2025, 9, 18)),   # Wednesday → Thursday (DOMAIN.md example)
    (D(2025, 9, 19), 1, D(2025, 9, 22)),   # Friday → Monday, across the weekend
    (D(2025, 9, 20), 1, D(2025, 9, 22)),   # applied on a Saturday (online): Monday
    (D(2025, 9, 30), 1, D(2025, 10, 9)),   # last working day before National Day week → first day after
    (D(2025, 9, 30), 3, D(2025, 10, 11)),  # Oct 9, 10 and Saturday Oct 11 (make-up working day)
    (D(2025, 9, 26), 1, D(2025, 9, 28)),   # Friday → Sunday Sep 28, a make-up working day
    (D(2025, 9, 17), 0, D(2025, 9, 17)),
    (D(2025, 1, 24), 1, D(2025, 1, 26)),   # Spring Festival 2025: Sunday Jan 26 is a make-up working day
    (D(2025, 1, 27), 1, D(2025, 2, 5)),    # Monday Jan 27 → after the holiday (Jan 28 – Feb 4)
])
def test_due_dates(start, n, due):
    assert add_working_days(start, n) == (due, False)


def test_holiday_and_makeup_days_come_from_chinese_calendar():
    cal = WorkCalendar()
    assert cal.is_workday(D(2025, 9, 28)) == (True, True)   # Sunday, make-up
    assert cal.is_workday(D(2025, 10, 8)) == (False, True)  # Wednesday, holiday
    assert cal.is_workday(D(2025, 10, 11)) == (True, True)  # Saturday, make-up


def test_beyond_calendar_is_flagged_uncertain():
    last = WorkCalendar().last_known_day()
    due, uncertain = add_working_days(last - dt.timedelta(days=1), 5, WorkCalendar())
    assert due.year == last.year + 1
    assert uncertain is True
    # Counting inside the known years stays certain.
    assert add_working_days(D(last.year, 6, 1), 5, WorkCalendar())[1] is False


def test_override_file_extends_a_year(tmp_path: Path):
    last = WorkCalendar().last_known_day()
    year = last.year + 1
    f = tmp_path / "override.toml"
    # An administrator enters next year's notice: Jan 1 off, and (say) Jan 2 and 3 as make-up working days.
    f.write_text(f'[years.{year}]\nsource = "测试通知"\nholidays = ["{year}-01-01"]\n'
                 f'workdays = ["{year}-01-02", "{year}-01-03"]\n', encoding="utf-8")
    cal = load_overrides(f)
    assert cal.knows(D(year, 5, 5)) and cal.sources[year] == "测试通知"
    assert cal.is_workday(D(year, 1, 1)) == (False, True)
    due, uncertain = cal.add_working_days(last, 1)
    assert (due, uncertain) == (D(year, 1, 2), False)
    # Without the override the same count falls on Jan 1 and is flagged.
    assert WorkCalendar().add_working_days(last, 1) == (D(year, 1, 1), True)


def test_override_can_correct_a_known_year(tmp_path: Path):
    f = tmp_path / "o.toml"
    f.write_text('[years.2025]\nholidays = ["2025-09-18"]\n', encoding="utf-8")
    assert load_overrides(f).add_working_days(D(2025, 9, 17), 1) == (D(2025, 9, 19), False)


def test_incomplete_override_year_stays_uncertain(tmp_path: Path):
    year = WorkCalendar().last_known_day().year + 1
    f = tmp_path / "o.toml"
    f.write_text(f'[years.{year}]\ncomplete = false\nholidays = ["{year}-01-01"]\n', encoding="utf-8")
    cal = load_overrides(f)
    assert cal.is_workday(D(year, 1, 1)) == (False, True)
    assert cal.is_workday(D(year, 3, 3))[1] is False


@pytest.mark.parametrize("body, needle", [
    ('[years.2027]\nholidays = ["2027-02-30"]\n', "years.2027.holidays[0]"),
    ('[years.2027]\nholidays = "2027-01-01"\n', "years.2027.holidays"),
    ('[years.2027]\nholidays = ["2028-01-01"]\n', "别的年份"),
    ('[years.2027]\nholiday = ["2027-01-01"]\n', "holiday"),
    ('[years.abc]\n', "years.abc"),
    ('[years.2027]\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-01"]\n', "同时列为"),
    ('[years\n', "格式错误"),
])
def test_broken_override_names_file_and_key(tmp_path: Path, body, needle):
    f = tmp_path / "broken.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        load_overrides(f)
    assert str(f) in info.value.message and needle in info.value.message


def test_missing_override_file_means_no_overrides(tmp_path: Path):
    assert load_overrides(tmp_path / "none.toml") == WorkCalendar()


def test_shipped_override_file_loads():
    assert isinstance(default_calendar(), WorkCalendar)


def test_negative_count_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1)


def test_fast_lookup_agrees_with_chinese_calendar_every_day():
    import chinese_calendar

    cal = WorkCalendar()
    day = D(2023, 1, 1)
    while day <= WorkCalendar().last_known_day():
        assert cal.is_workday(day) == (chinese_calendar.is_workday(day), True), day
        day += dt.timedelta(days=1)
