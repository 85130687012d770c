"""Who is at the counter: log in (with lock-out), log out, switch user, and check roles.

A login creates a random token; the terminal keeps it in ``<data dir>/session.json`` (mode 0600)
and the database keeps only its SHA-256 with an expiry (``users.session_hours``). Logging in as
someone else replaces the token, so a shared counter PC switches user without restarting anything.
Disabling a user ends their sessions on every terminal at once.

Failed logins are counted per account; after ``users.max_failures`` in a row the account is locked
for ``users.lockout_minutes`` and the message says until when. The failure count is committed even
though the login raises, and an unknown user name costs as long as a wrong password (no guessing
which names exist).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk import audit
from houshi_desk.store.models_users import UserRow, UserSessionRow
from houshi_desk.users.accounts import User
from houshi_desk.users.errors import AccountDisabled, AccountLocked, LoginFailed, NotLoggedIn, PermissionDenied
from houshi_desk.users.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from houshi_desk.users.roles import MIN_ROLE, Permission, Role

SESSION_FILE = "session.json"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def session_file(settings) -> Path:
    return settings.paths.data_dir / SESSION_FILE


def _write_token(settings, token: str, username: str, expires_at: datetime) -> None:
    path = session_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"token": token, "username": username, "expires_at": expires_at.isoformat()}, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _read_token(settings) -> str | None:
    try:
        data = json.loads(session_file(settings).read_text(encoding="utf-8"))
        token = data["token"]
        return token if isinstance(token, str) and token else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def has_login(settings) -> bool:
    """Whether this terminal holds a login token at all (cheap: the database is not opened)."""
    return _read_token(settings) is not None


def _forget_token(settings) -> None:
    try:
        session_file(settings).unlink()
    except FileNotFoundError:
        pass


def login(store, settings, username: str, password: str, *, now: datetime | None = None) -> User:
    """Check the password and make this user the one at this terminal; raises LoginFailed,
    AccountLocked or AccountDisabled with a message for the clerk."""
    now = now or datetime.now()
    username = (username or "").strip()
    max_failures = max(1, int(settings.users_max_failures))
    lock_minutes = max(1, int(settings.users_lockout_minutes))
    hours = max(1, int(settings.users_session_hours))
    wrong = LoginFailed(f"用户名或密码不正确，请重新输入。连续输错 {max_failures} 次，账户将被锁定 {lock_minutes} 分钟。")
    error: Exception | None = None
    user: User | None = None
    token = secrets.token_urlsafe(32)
    old_token = _read_token(settings)
    with store.session(write=True) as s:
        row = s.execute(select(UserRow).where(UserRow.username == username).with_for_update()).scalar_one_or_none()
        if row is None:
            verify_password(dummy_hash(), password)
            # The trail names real accounts only: a typed name that is no account (perhaps a password
            # typed into the wrong box) is neither the actor nor written down.
            audit.record(s, actor="system:login", action="login_failed", detail="用户名不存在")
            error = wrong
        else:
            if row.locked_until is not None and row.locked_until <= now:  # lock-out served
                row.locked_until, row.failed_attempts = None, 0
            if row.locked_until is not None:
                error = _locked(row, max_failures)
                audit.record(s, actor=row.username, action="login_failed", detail="账户锁定期间尝试登录")
            elif not verify_password(row.password_hash, password):
                row.failed_attempts += 1
                if row.failed_attempts >= max_failures:
                    row.locked_until = now + timedelta(minutes=lock_minutes)
                    error = _locked(row, max_failures)
                    audit.record(s, actor=row.username, action="login_failed",
                                 detail=f"密码错误，第 {row.failed_attempts} 次；账户锁定至 {row.locked_until:%Y-%m-%d %H:%M}")
                else:
                    error = wrong
                    audit.record(s, actor=row.username, action="login_failed",
                                 detail=f"密码错误，第 {row.failed_attempts} 次")
            elif not row.active:
                error = AccountDisabled(f"账户“{row.username}”已停用，不能登录。如需恢复，请联系管理员。")
                audit.record(s, actor=row.username, action="login_failed", detail="账户已停用")
            else:
                row.failed_attempts, row.locked_until, row.last_login_at = 0, None, now
                if needs_rehash(row.password_hash):
                    row.password_hash = hash_password(password)
                if old_token:  # switching user: the previous login on this terminal ends
                    prev = s.get(UserSessionRow, _token_hash(old_token))
                    if prev is not None:
                        s.delete(prev)
                s.add(UserSessionRow(token_hash=_token_hash(token), user_id=row.id,
                                     terminal_id=str(settings.office_terminal_id)[:8],
                                     created_at=now, expires_at=now + timedelta(hours=hours)))
                audit.record(s, actor=row.username, action="login",
                             detail=f"登录终端 {settings.office_terminal_id}")
                user = User.from_row(row)
    if error is not None:
        raise error
    _write_token(settings, token, user.username, now + timedelta(hours=hours))
    return user


def _locked(row: UserRow, max_failures: int) -> AccountLocked:
    until = row.locked_until
    return AccountLocked(
        f"账户“{row.username}”因连续 {max_failures} 次密码错误已被锁定，请于 {until:%Y-%m-%d %H:%M} 之后再试。"
        f"如急需使用，请管理员重置密码：houshi-desk user reset-password {row.username}")


def logout(store, settings) -> str | None:
    """End this terminal's login; returns the user name that was logged in (None if nobody)."""
    token = _read_token(settings)
    name = None
    if token:
        with store.session(write=True) as s:
            row = s.get(UserSessionRow, _token_hash(token))
            if row is not None:
                user = s.get(UserRow, row.user_id)
                name = user.username if user else None
                s.delete(row)
                audit.record(s, actor=name or "system:login", action="logout",
                             detail=f"退出登录终端 {settings.office_terminal_id}")
    _forget_token(settings)
    return name


def current_user_in(session: Session, settings, *, now: datetime | None = None) -> User | None:
    token = _read_token(settings)
    if not token:
        return None
    now = now or datetime.now()
    found = session.execute(
        select(UserSessionRow, UserRow).join(UserRow, UserRow.id == UserSessionRow.user_id)
        .where(UserSessionRow.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    sess, row = found
    if sess.expires_at <= now or not row.active:
        return None
    return User.from_row(row)


def current_user(settings=None, *, store=None, session: Session | None = None, now: datetime | None = None) -> User | None:
    """The user logged in at this terminal, or None (no login, expired, logged out, disabled)."""
    if settings is None:
        from houshi_desk.config import load_settings

        settings = load_settings()
    if _read_token(settings) is None:
        return None  # no need to open the database at all
    if session is not None:
        return current_user_in(session, settings, now=now)
    own = store is None
    if own:
        from houshi_desk.store.db import open_store

        store = open_store(settings)
    try:
        with store.session() as s:
            return current_user_in(s, settings, now=now)
    finally:
        if own:
            store.close()


def _resolve(who, store=None) -> User | None:
    if who is None or isinstance(who, User):
        return who
    return current_user(who, store=store)  # a Settings


def require(who, permission: Permission, *, store=None) -> User:
    """The acting user if they hold ``permission``; else NotLoggedIn / PermissionDenied.
    ``who`` is a User, None (nobody logged in) or a Settings (the terminal's current login)."""
    user = _resolve(who, store)
    need = MIN_ROLE[permission]
    if user is None:
        raise NotLoggedIn(f"尚未登录，不能{permission.label}。请先登录：houshi-desk login（需要{need.label}权限）。")
    if not user.can(permission):
        raise PermissionDenied(
            f"权限不足：此操作（{permission.label}）需要{need.label}权限，当前登录的是{user.label}。"
            f"请由{need.label}登录后再操作。")
    return user


def require_role(who, role: Role | str, *, store=None) -> User:
    """Like :func:`require` for a whole role: "权限不足：此操作需要主管权限…"."""
    role = Role.parse(role)
    user = _resolve(who, store)
    if user is None:
        raise NotLoggedIn(f"尚未登录。此操作需要{role.label}权限，请先登录：houshi-desk login")
    if user.role.rank < role.rank:
        raise PermissionDenied(f"权限不足：此操作需要{role.label}权限，当前登录的是{user.label}。请由{role.label}登录后再操作。")
    return user
