"""Working days: Chinese public holidays and weekend make-up days, for deadlines counted in working days.

Source of truth is the ``chinesecalendar`` package (import ``chinese_calendar``), which knows the
State Council holiday notices for the years it was released with. An administrator can add a year the
package does not know yet (or correct a day) in ``resources/calendar/workdays-override.toml``::

    [years.2027]
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    holidays = ["2027-01-01", ...]   # days off, including weekdays moved off
    workdays = ["2027-02-06", ...]   # weekend days that are working days (调休上班)

A year listed there counts as known; for a day in a year nobody knows, we fall back to Monday–Friday
and report the answer as *uncertain* rather than silently wrong.

Deadline rule (DOMAIN.md): counted from the application date, that day itself not counted.

Public API: ``WorkCalendar``, ``load_overrides(path) -> WorkCalendar``, ``default_calendar()``,
``add_working_days(start, n, calendar=None) -> (date, uncertain)``, ``CalendarError``.
"""
from __future__ import annotations

import datetime as _dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from houshi_desk.errors import HoushiError

_LIB_FIRST = min(chinese_calendar.holidays).year
_LIB_LAST = max(chinese_calendar.holidays).year
# The package's own is_workday() re-checks its year range with min()/max() over all dates on every call
# (~30 µs); we check the range once here and read its two tables directly, which is what it does anyway.
_LIB_HOLIDAYS = chinese_calendar.holidays
_LIB_WORKDAYS = chinese_calendar.workdays


class CalendarError(HoushiError):
    """The working-day override file is malformed (message names the file and key)."""


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[_dt.date] = frozenset()  # override: not a working day
    workdays: frozenset[_dt.date] = frozenset()  # override: a working day
    override_years: frozenset[int] = frozenset()  # years the override file fully describes
    sources: dict[int, str] = field(default_factory=dict)

    def knows(self, day: _dt.date) -> bool:
        return _LIB_FIRST <= day.year <= _LIB_LAST or day.year in self.override_years

    def is_workday(self, day: _dt.date) -> tuple[bool, bool]:
        """(is a working day, certain)."""
        if day in self.workdays:
            return True, True
        if day in self.holidays:
            return False, True
        if _LIB_FIRST <= day.year <= _LIB_LAST:
            return day in _LIB_WORKDAYS or (day.weekday() < 5 and day not in _LIB_HOLIDAYS), True
        return day.weekday() < 5, day.year in self.override_years

    def add_working_days(self, start: _dt.date, n: int) -> tuple[_dt.date, bool]:
        """The n-th working day after ``start`` (``start`` not counted) and whether that is uncertain."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, uncertain = start, False
        counted = 0
        while counted < n:
            day += _dt.timedelta(days=1)
            work, certain = self.is_workday(day)
            uncertain = uncertain or not certain
            if work:
                counted += 1
        return day, uncertain

    def last_known_day(self) -> _dt.date:
        return _dt.date(max([_LIB_LAST, *self.override_years]), 12, 31)


def _dates(value, file: Path, key: str) -> set[_dt.date]:
    if not isinstance(value, list):
        raise CalendarError(f"节假日覆盖文件 {file} 中“{key}”应为日期列表。", hint="格式如 [\"2027-01-01\"]")
    out = set()
    for i, v in enumerate(value):
        if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
            out.add(v)
            continue
        try:
            out.add(_dt.date.fromisoformat(str(v)))
        except ValueError:
            raise CalendarError(f"节假日覆盖文件 {file} 中“{key}[{i}]”的日期 {v!r} 无效。",
                                hint="日期格式为 YYYY-MM-DD") from None
    return out


def load_overrides(path: str | Path) -> WorkCalendar:
    """Read an override file into a ``WorkCalendar``; a missing file means no overrides."""
    file = Path(path)
    if not file.exists():
        return WorkCalendar()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CalendarError(f"节假日覆盖文件 {file} 格式错误：{exc}", hint="请按 TOML 格式改正") from None
    years = data.get("years", {})
    if not isinstance(years, dict):
        raise CalendarError(f"节假日覆盖文件 {file} 中“years”应为表，如 [years.2027]。")
    holidays: set[_dt.date] = set()
    workdays: set[_dt.date] = set()
    known: set[int] = set()
    sources: dict[int, str] = {}
    for year_key, body in years.items():
        try:
            year = int(year_key)
        except ValueError:
            raise CalendarError(f"节假日覆盖文件 {file} 中年份“years.{year_key}”不是数字。") from None
        if not isinstance(body, dict):
            raise CalendarError(f"节假日覆盖文件 {file} 中“years.{year}”应为表。")
        unknown = set(body) - {"source", "holidays", "workdays", "complete"}
        if unknown:
            raise CalendarError(f"节假日覆盖文件 {file} 中“years.{year}”有未知的键：{'、'.join(sorted(unknown))}。",
                                hint="可用的键：source、holidays、workdays、complete")
        h = _dates(body.get("holidays", []), file, f"years.{year}.holidays")
        w = _dates(body.get("workdays", []), file, f"years.{year}.workdays")
        for d in h | w:
            if d.year != year:
                raise CalendarError(f"节假日覆盖文件 {file} 中“years.{year}”列出了别的年份的日期 {d.isoformat()}。")
        both = h & w
        if both:
            raise CalendarError(f"节假日覆盖文件 {file} 中 {min(both).isoformat()} 同时列为放假日和上班日。")
        holidays |= h
        workdays |= w
        # A year counts as known once the administrator has entered it, unless marked incomplete.
        if body.get("complete", True):
            known.add(year)
        if "source" in body:
            sources[year] = str(body["source"])
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(known), sources)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The shipped calendar: ``chinesecalendar`` plus ``resources/calendar/workdays-override.toml``."""
    from houshi_desk.resources import resource_path

    try:
        path = resource_path("resources", "calendar", "workdays-override.toml")
    except FileNotFoundError:
        return WorkCalendar()
    return load_overrides(path)


def add_working_days(start: _dt.date, n: int, calendar: WorkCalendar | None = None) -> tuple[_dt.date, bool]:
    """Due date ``n`` working days after ``start`` (not counting ``start``), and whether it is uncertain."""
    return (calendar or default_calendar()).add_working_days(start, n)
