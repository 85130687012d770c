"""Tables of the users area: local accounts, login sessions, and the hash-chained audit trail.

Accounts live in the case database, so in hall mode (PostgreSQL) every window of an office shares
the same users. The audit trail is append-only: the app has no update/delete path, and database
triggers (created by the migration) refuse UPDATE and DELETE on ``audit_log``; a row edited behind
the app's back is still caught by ``houshi_desk.audit.verify`` through the hash chain.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from houshi_desk.store.models import Base


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))  # clerk | supervisor | admin
    office: Mapped[str] = mapped_column(String(120), default="")  # "" = every office (hall-wide)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, salted (PHC string)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class UserSessionRow(Base):
    """A login on one terminal. Only the SHA-256 of the token is stored; the token itself sits in
    a 0600 file in the terminal's data directory, so a copied database grants no logins."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    terminal_id: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntryRow(Base):
    """One audit entry; ``hash`` = SHA-256 over the canonical form of the entry incl. ``prev_hash``."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    case_number: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single chain-head row (id 1): last seq and hash. Appends lock it (``FOR UPDATE`` on
    PostgreSQL) so entries from several terminals still form one chain; verify compares it with the
    last entry, so cutting entries off the end is detected too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
