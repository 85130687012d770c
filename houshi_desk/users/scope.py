"""Which cases a user may see: a user tied to an office sees only that office's cases.

Services use ``case_filter(user)`` (or ``visible_office(user)``) in every query that lists cases —
the case list and search, the outbox list, 差评整改 — and ``check_case_access`` before showing or
acting on one case, so a clerk of one office never sees another office's families. A user with no
office (province-level, or hall-wide such as the administrator) sees every case.
"""
from __future__ import annotations

from houshi_desk.users.accounts import User
from houshi_desk.users.errors import PermissionDenied
from houshi_desk.users.roles import can_see_office


def case_filter(user: User) -> list:
    """SQLAlchemy conditions on CaseRow restricting to what ``user`` may see ([] = everything)."""
    from houshi_desk.store.models import CaseRow

    return [CaseRow.office == user.office] if user.office else []


def visible_office(user: User) -> str | None:
    """The office whose cases ``user`` may list, or None for every office (the ``case_filter`` rule
    as a value, for queries that join the case row themselves)."""
    return user.office or None


def check_case_access(user: User, case_row) -> None:
    if not can_see_office(user.office, case_row.office or ""):
        raise PermissionDenied(
            f"案件 {case_row.number} 属于其他办理点（{case_row.office or '未记录'}），{user.label}只能查看本办理点"
            f"（{user.office}）的案件。如确需办理，请联系该办理点或大厅主管。")


def report_office(user: User, asked: str | None) -> str | None:
    """The office a report may cover for ``user``: their own when they are tied to one."""
    if not user.office:
        return asked
    if asked and asked.strip() != user.office:
        raise PermissionDenied(f"{user.label}只能查看本办理点（{user.office}）的报表，不能查看“{asked.strip()}”。")
    return user.office
