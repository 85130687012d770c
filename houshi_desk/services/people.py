"""Who the accounts are, in words: lists show 窗口一, not clerk1. A helper of the list use cases
(case lists, 差评整改, outbox, audit); it shows no family's data, so it checks no permission itself —
the use case that calls it does."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session


def clerk_names(session: Session) -> dict[str, str]:
    """Login name → the person's display name (accounts without one are left out)."""
    from houshi_desk.store.models_users import UserRow

    return {u: d for u, d in session.execute(select(UserRow.username, UserRow.display_name)) if d}


def display_name(session: Session, username: str) -> str:
    """One account's display name, or the login name when it has none (or is unknown)."""
    from houshi_desk.store.models_users import UserRow

    found = session.execute(select(UserRow.display_name).where(UserRow.username == username)).scalar_one_or_none()
    return found or username


def account_count(store) -> int:
    """How many accounts exist: the login screen tells a fresh install how to create the first one
    (before anyone is logged in, so no permission; a number, no names)."""
    from houshi_desk.users import count_users

    with store.session() as s:
        return count_users(s)
