"""Accounts, logins with lock-out, sessions per terminal, and role checks (library level)."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta

import pytest

from houshi_desk import audit, users
from houshi_desk.store.models_users import UserRow
from houshi_desk.users import Permission, Role


def test_passwords_are_salted_argon2id(store, people):
    with store.session() as s:
        hashes = [r.password_hash for r in s.query(UserRow).all()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert len(set(hashes)) == len(hashes)
    assert not any(p in h for h in hashes for p in people.values())


def test_login_and_current_user(store, settings, people):
    assert users.current_user(settings, store=store) is None
    u = users.login(store, settings, "sup1", people["sup1"])
    assert u.role is Role.SUPERVISOR and u.display_name == "主管乙"
    me = users.current_user(settings, store=store)
    assert me == u
    token_file = settings.paths.data_dir / "session.json"
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert people["sup1"] not in token_file.read_text()


def test_switch_user_without_restart(store, settings, people):
    users.login(store, settings, "clerk1", people["clerk1"])
    assert users.current_user(settings, store=store).username == "clerk1"
    users.login(store, settings, "sup1", people["sup1"])
    assert users.current_user(settings, store=store).username == "sup1"
    with store.session() as s:  # the clerk's session ended: one live session for this terminal
        from houshi_desk.store.models_users import UserSessionRow

        assert s.query(UserSessionRow).count() == 1
    assert users.logout(store, settings) == "sup1"
    assert users.current_user(settings, store=store) is None


def test_wrong_password_same_message_as_unknown_user(store, settings, people):
    with pytest.raises(users.LoginFailed) as a:
        users.login(store, settings, "clerk1", "not-the-password")
    with pytest.raises(users.LoginFailed) as b:
        users.login(store, settings, "nobody", "not-the-password")
    assert a.value.message == b.value.message
    assert "用户名或密码不正确" in a.value.message
    assert users.current_user(settings, store=store) is None


def test_lockout_after_repeated_failures_and_message_says_until_when(store, settings, people):
    t0 = datetime(2026, 3, 2, 9, 0)
    for _ in range(4):
        with pytest.raises(users.LoginFailed):
            users.login(store, settings, "clerk1", "wrong-pass", now=t0)
    with pytest.raises(users.AccountLocked) as exc:
        users.login(store, settings, "clerk1", "wrong-pass", now=t0)
    assert "2026-03-02 09:15" in exc.value.message and "reset-password" in exc.value.message
    # Locked: even the right password is refused until the lock runs out.
    with pytest.raises(users.AccountLocked):
        users.login(store, settings, "clerk1", people["clerk1"], now=t0 + timedelta(minutes=10))
    u = users.login(store, settings, "clerk1", people["clerk1"], now=t0 + timedelta(minutes=16))
    assert u.username == "clerk1"
    with store.session() as s:
        row = s.query(UserRow).filter_by(username="clerk1").one()
        assert row.failed_attempts == 0 and row.locked_until is None
        actions = [e.action for e in audit.entries(s)]
    assert actions.count("login_failed") == 6 and actions[-1] == "login"


def test_lockout_is_configurable(store, settings, people):
    settings.set("users.max_failures", 2)
    settings.set("users.lockout_minutes", 60)
    t0 = datetime(2026, 3, 2, 9, 0)
    with pytest.raises(users.LoginFailed):
        users.login(store, settings, "clerk1", "x-wrong-1", now=t0)
    with pytest.raises(users.AccountLocked) as exc:
        users.login(store, settings, "clerk1", "x-wrong-2", now=t0)
    assert "10:00" in exc.value.message


def test_reset_password_lifts_lockout(store, settings, people):
    for _ in range(5):
        with pytest.raises((users.LoginFailed, users.AccountLocked)):
            users.login(store, settings, "clerk1", "wrong-pass")
    with store.session() as s:
        users.reset_password(s, "clerk1", "Temp-pass-9", actor="admin1")
    u = users.login(store, settings, "clerk1", "Temp-pass-9")
    assert u.must_change_password
    with store.session() as s:
        users.change_password(s, "clerk1", "Temp-pass-9", "New-pass-77")
    assert not users.login(store, settings, "clerk1", "New-pass-77").must_change_password


def test_disabled_user_cannot_log_in_and_loses_live_sessions(store, settings, people):
    users.login(store, settings, "clerk1", people["clerk1"])
    with store.session() as s:
        users.set_active(s, "clerk1", False, actor="admin1")
    assert users.current_user(settings, store=store) is None
    with pytest.raises(users.AccountDisabled) as exc:
        users.login(store, settings, "clerk1", people["clerk1"])
    assert "已停用" in exc.value.message
    # a wrong password on a disabled account does not reveal that it is disabled
    with pytest.raises(users.LoginFailed):
        users.login(store, settings, "clerk1", "wrong-pass")
    with store.session() as s:
        users.set_active(s, "clerk1", True, actor="admin1")
    assert users.login(store, settings, "clerk1", people["clerk1"]).username == "clerk1"


def test_last_admin_cannot_be_disabled(store, people):
    with store.session() as s:
        with pytest.raises(users.UserError) as exc:
            users.set_active(s, "admin1", False, actor="admin1")
    assert "最后一个管理员" in exc.value.message


def test_session_expires(store, settings, people):
    t0 = datetime.now()
    users.login(store, settings, "clerk1", people["clerk1"], now=t0)
    with store.session() as s:
        assert users.current_user_in(s, settings, now=t0 + timedelta(hours=11)) is not None
        assert users.current_user_in(s, settings, now=t0 + timedelta(hours=13)) is None


def test_forged_session_file_grants_nothing(store, settings, people):
    users.login(store, settings, "clerk1", people["clerk1"])
    f = settings.paths.data_dir / "session.json"
    f.write_text(f.read_text().replace("clerk1", "admin1"))  # the user name in the file is not trusted
    assert users.current_user(settings, store=store).username == "clerk1"
    f.write_text('{"token": "made-up", "username": "admin1"}')
    assert users.current_user(settings, store=store) is None
    f.write_text("garbage")
    assert users.current_user(settings, store=store) is None


@pytest.mark.parametrize("name, password, expect", [
    ("zhangsan", "short", "太短"),
    ("zhangsan", "zhangsan", "用户名相同"),
    ("zhangsan", "aaaaaaaaaa", "过于简单"),
    ("1abc", "Good-pass-1", "用户名须以字母开头"),
    ("clerk1", "Good-pass-1", "已存在"),
])
def test_bad_new_accounts_are_refused(store, people, name, password, expect):
    with store.session() as s:
        with pytest.raises(users.UserError) as exc:
            users.add_user(s, username=name, password=password, role="clerk", actor="admin1")
    assert expect in exc.value.message


def test_unknown_role():
    with pytest.raises(users.UserError) as exc:
        Role.parse("boss")
    assert "可用角色" in exc.value.message


def test_role_matrix():
    clerk, sup, admin = Role.CLERK, Role.SUPERVISOR, Role.ADMIN
    assert users.allows(clerk, Permission.CASE_CREATE) and not users.allows(clerk, Permission.REPORT)
    assert users.allows(sup, Permission.REPORT) and users.allows(sup, Permission.RIGHTS)
    assert not users.allows(sup, Permission.USERS_MANAGE) and not users.allows(sup, Permission.RETENTION)
    assert users.permissions_of(admin) == frozenset(Permission)
    assert users.can_see_office("", "大厅A") and users.can_see_office("大厅A", "大厅A")
    assert not users.can_see_office("大厅B", "大厅A")


def test_require_messages(store, settings, people):
    with pytest.raises(users.NotLoggedIn) as exc:
        users.require(settings, Permission.REPORT, store=store)
    assert "houshi-desk login" in exc.value.message
    users.login(store, settings, "clerk1", people["clerk1"])
    with pytest.raises(users.PermissionDenied) as exc:
        users.require(settings, Permission.REPORT, store=store)
    assert exc.value.message.startswith("权限不足：此操作（查看和打印报表）需要主管权限")
    assert "张三（窗口工作人员）" in exc.value.message
    with pytest.raises(users.PermissionDenied) as exc:
        users.require_role(settings, "supervisor", store=store)
    assert exc.value.message.startswith("权限不足：此操作需要主管权限")
    assert users.require(settings, Permission.CASE_CREATE, store=store).username == "clerk1"
