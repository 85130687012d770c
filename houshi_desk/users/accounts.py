"""Local accounts: create, disable/enable, reset and change passwords. Every change is audited.

Functions take the caller's SQLAlchemy session (one transaction with the audit entry); the caller
checks that the acting user may do it (``require(..., Permission.USERS_MANAGE)``) — except the very
first administrator on a fresh install, see :func:`bootstrap_allowed`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from houshi_desk import audit
from houshi_desk.store.models_users import UserRow, UserSessionRow
from houshi_desk.users.errors import UserError
from houshi_desk.users.passwords import check_policy, hash_password
from houshi_desk.users.roles import Permission, Role, allows

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,31}$")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    office: str = ""
    must_change_password: bool = False

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{self.role.label}）"

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @classmethod
    def from_row(cls, row: UserRow) -> "User":
        return cls(row.id, row.username, row.display_name, Role(row.role), row.office, row.must_change_password)


def count_users(session: Session) -> int:
    return session.execute(select(func.count()).select_from(UserRow)).scalar_one()


def bootstrap_allowed(session: Session) -> bool:
    """True on a fresh install (no user at all): the first ``user add`` makes the administrator."""
    return count_users(session) == 0


def get_row(session: Session, username: str, *, lock: bool = False) -> UserRow:
    q = select(UserRow).where(UserRow.username == username.strip())
    if lock:
        q = q.with_for_update()
    row = session.execute(q).scalar_one_or_none()
    if row is None:
        raise UserError(f"没有用户“{username.strip()}”。请用 houshi-desk user list 查看现有用户。")
    return row


def list_users(session: Session) -> list[tuple[User, bool, datetime | None]]:
    """(user, active, locked_until) for every account, by user name."""
    rows = session.execute(select(UserRow).order_by(UserRow.username)).scalars()
    return [(User.from_row(r), r.active, r.locked_until) for r in rows]


def add_user(session: Session, *, username: str, password: str, role: Role | str, actor: str,
             display_name: str = "", office: str = "", now: datetime | None = None) -> User:
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise UserError("用户名须以字母开头，由 2–32 位字母、数字、下划线、点或短横组成（如 zhangsan）。")
    role = Role.parse(role)
    check_policy(password, username)
    if session.execute(select(UserRow.id).where(UserRow.username == username)).first():
        raise UserError(f"用户“{username}”已存在。请换一个用户名，或用 reset-password 重置其密码。")
    now = now or datetime.now()
    row = UserRow(username=username, display_name=display_name.strip()[:64], role=role.value, office=office.strip(),
                  password_hash=hash_password(password), active=True, failed_attempts=0, locked_until=None,
                  must_change_password=False, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="user_add", detail=f"新建用户 {username}，角色 {role.label}"
                 + (f"，办理点 {row.office}" if row.office else ""))
    return User.from_row(row)


def set_active(session: Session, username: str, active: bool, *, actor: str) -> User:
    row = get_row(session, username, lock=True)
    if not active and row.role == Role.ADMIN.value and row.active:
        admins = session.execute(select(func.count()).select_from(UserRow).where(
            UserRow.role == Role.ADMIN.value, UserRow.active.is_(True))).scalar_one()
        if admins <= 1:
            raise UserError("不能停用最后一个管理员账户，否则无人能再管理用户。请先新建另一个管理员。")
    row.active = active
    row.updated_at = datetime.now()
    if not active:  # logged-in terminals lose the session at once
        for s in session.execute(select(UserSessionRow).where(UserSessionRow.user_id == row.id)).scalars():
            session.delete(s)
    else:
        row.failed_attempts, row.locked_until = 0, None
    audit.record(session, actor=actor, action="user_enable" if active else "user_disable",
                 detail=f"{'启用' if active else '停用'}用户 {row.username}")
    return User.from_row(row)


def reset_password(session: Session, username: str, new_password: str, *, actor: str) -> User:
    """Administrator sets a temporary password; it also lifts a lock-out. The user must change it."""
    row = get_row(session, username, lock=True)
    check_policy(new_password, row.username)
    row.password_hash = hash_password(new_password)
    row.failed_attempts, row.locked_until = 0, None
    row.must_change_password = True
    row.updated_at = datetime.now()
    audit.record(session, actor=actor, action="password_reset", detail=f"重置用户 {row.username} 的密码并解除锁定")
    return User.from_row(row)


def change_password(session: Session, username: str, old_password: str, new_password: str) -> User:
    from houshi_desk.users.errors import LoginFailed
    from houshi_desk.users.passwords import verify_password

    row = get_row(session, username, lock=True)
    if not verify_password(row.password_hash, old_password):
        raise LoginFailed("原密码不正确，密码未修改。请重新输入。")
    if old_password == new_password:
        raise UserError("新密码不能与原密码相同。")
    check_policy(new_password, row.username)
    row.password_hash = hash_password(new_password)
    row.must_change_password = False
    row.updated_at = datetime.now()
    audit.record(session, actor=row.username, action="password_change", detail="本人修改密码")
    return User.from_row(row)
