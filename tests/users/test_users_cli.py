"""Every command that needs a role: refused below it (and when nobody is logged in), allowed at it."""
from __future__ import annotations

import pytest

from users_accounts_data import PASSWORDS, ROLES

A = "150702-W01-20260122-0001"


@pytest.fixture
def hall(sqlite_store, tmp_path):
    """The encrypted store the CLI opens from the test home, with users and the hand-built cases."""
    from houshi_desk.users import add_user

    from dataset import build

    with sqlite_store.session() as s:
        for name, role in ROLES.items():
            add_user(s, username=name, password=PASSWORDS[name], role=role, actor="bootstrap")
        build(s)
    return tmp_path


# (argv, least role, stdin)
COMMANDS = [
    (["user", "add", "newclerk", "--role", "clerk", "--password-stdin"], "admin", "New-clerk-pass-1\n"),
    (["user", "disable", "clerk2"], "admin", ""),
    (["user", "enable", "clerk2"], "admin", ""),
    (["user", "reset-password", "clerk2", "--password-stdin"], "admin", "Reset-pass-12\n"),
    (["user", "list"], "admin", ""),
    (["retention", "run", "--dry-run", "--years", "5"], "admin", ""),
    (["retention", "run", "--years", "30"], "admin", ""),
    (["audit", "verify"], "supervisor", ""),
    (["audit", "show"], "supervisor", ""),
    (["report", "daily", "--date", "2026-01-22", "--pdf", "{tmp}/daily.pdf"], "supervisor", ""),
    (["report", "week", "--date", "2026-01-22"], "supervisor", ""),
    (["report", "month", "--date", "2026-01-22", "--office", "大厅A"], "supervisor", ""),
    (["report", "range", "--from", "2026-01-01", "--to", "2026-01-31"], "supervisor", ""),
    (["rights", "export", A, "--out", "{tmp}/a.json", "--reason", "配偶申请查阅"], "supervisor", ""),
    (["rights", "correct", A, "--field", "party.deceased.address", "--value", "新地址1号", "--reason", "登记有误"],
     "supervisor", ""),
]
BELOW = {"admin": ["clerk", "supervisor"], "supervisor": ["clerk"]}
WHO = {"clerk": "clerk1", "supervisor": "sup1", "admin": "admin1"}


def _argv(argv, tmp):
    return [a.replace("{tmp}", str(tmp)) for a in argv]


@pytest.mark.parametrize("argv, role, stdin", COMMANDS, ids=[" ".join(c[0][:2]) + ("-dry" if "--dry-run" in c[0] else "")
                                                            for c in COMMANDS])
def test_role_refused_below_and_allowed_at(hall, cli, cli_login, argv, role, stdin):
    argv = _argv(argv, hall)
    code, out, err = cli(*argv, stdin=stdin)
    assert code == 2 and "尚未登录" in err and "houshi-desk login" in err
    for lower in BELOW[role]:
        cli_login(WHO[lower])
        code, out, err = cli(*argv, stdin=stdin)
        assert code == 2, out
        label = {"admin": "管理员", "supervisor": "主管"}[role]
        assert err.startswith("错误：权限不足") and f"需要{label}权限" in err
    cli_login(WHO[role])
    code, out, err = cli(*argv, stdin=stdin)
    assert code == 0, err


def test_refused_command_changes_nothing(hall, cli, cli_login):
    cli_login("clerk1")
    assert cli("user", "disable", "clerk2")[0] == 2
    code, out, err = cli("login", "clerk2", "--password-stdin", stdin=PASSWORDS["clerk2"] + "\n")
    assert code == 0 and "clerk2" in out


def test_bootstrap_first_admin(home, cli):
    code, out, err = cli("user", "add", "first", "--role", "clerk", "--password-stdin", stdin="First-pass-1\n")
    assert code == 2 and "第一个用户必须是管理员" in err
    code, out, err = cli("user", "add", "first", "--password-stdin", stdin="First-pass-1\n")
    assert code == 0 and "管理员" in out
    # after that, adding users needs an administrator's login
    code, out, err = cli("user", "add", "second", "--role", "clerk", "--password-stdin", stdin="Second-pass-1\n")
    assert code == 2 and "尚未登录" in err
    assert cli("login", "first", "--password-stdin", stdin="First-pass-1\n")[0] == 0
    assert cli("user", "add", "second", "--role", "clerk", "--password-stdin", stdin="Second-pass-1\n")[0] == 0
    code, out, err = cli("whoami")
    assert code == 0 and out.startswith("first")


def test_login_messages(hall, cli):
    code, out, err = cli("login", "clerk1", "--password-stdin", stdin="wrong-password\n")
    assert code == 2 and "用户名或密码不正确" in err
    code, out, err = cli("login", "clerk1", "--password-stdin", stdin="")
    assert code == 2 and "没有读到密码" in err
    assert cli("whoami")[0] == 1
    assert cli("logout")[1].startswith("当前没有登录")


def test_audit_verify_cli_names_the_tampered_entry(hall, sqlite_store, cli, cli_login, tamper_sql):
    cli_login("sup1")
    code, out, err = cli("audit", "verify")
    assert code == 0 and "审计链完整" in out
    tamper_sql(sqlite_store, "UPDATE audit_log SET detail = 'x' WHERE seq = 3")
    code, out, err = cli("audit", "verify")
    assert code == 1 and "第 3 条" in out


def test_report_for_a_day_without_cases(hall, cli, cli_login):
    cli_login("sup1")
    pdf = hall / "empty.pdf"
    code, out, err = cli("report", "daily", "--date", "2026-02-03", "--pdf", str(pdf))
    assert code == 0 and "无受理案件" in out
    assert pdf.read_bytes().startswith(b"%PDF")


def test_report_bad_date(hall, cli, cli_login):
    cli_login("sup1")
    with pytest.raises(SystemExit):
        cli("report", "daily", "--date", "22/01/2026")


def test_rights_correct_bad_field_cli(hall, cli, cli_login):
    cli_login("sup1")
    code, out, err = cli("rights", "correct", A, "--field", "case.status", "--value", "x", "--reason", "测试")
    assert code == 2 and "不能更正" in err


@pytest.fixture
def office_supervisor(hall, sqlite_store):
    from houshi_desk.users import add_user

    with sqlite_store.session() as s:
        add_user(s, username="supb", password="Super-pass-B", role="supervisor", actor="bootstrap", office="大厅B")
    return "Super-pass-B"


def test_office_supervisor_sees_only_own_office(hall, office_supervisor, cli):
    assert cli("login", "supb", "--password-stdin", stdin=office_supervisor + "\n")[0] == 0
    code, out, err = cli("report", "daily", "--date", "2026-01-22")
    assert code == 0 and "本日受理 1 件" in out  # only 大厅B's case
    code, out, err = cli("report", "daily", "--date", "2026-01-22", "--office", "大厅A")
    assert code == 2 and "只能查看本办理点（大厅B）" in err
    code, out, err = cli("rights", "export", A, "--out", str(hall / "x.json"), "--reason", "配偶申请查阅")
    assert code == 2 and "属于其他办理点" in err and not (hall / "x.json").exists()
    code, out, err = cli("rights", "export", "150703-W02-20260122-0001", "--out", str(hall / "b.json"),
                         "--reason", "配偶申请查阅")
    assert code == 0 and (hall / "b.json").exists()


def test_case_filter(hall, sqlite_store):
    from sqlalchemy import select

    from houshi_desk.store.models import CaseRow
    from houshi_desk.users import Role, User, case_filter

    b = User(1, "supb", "", Role.SUPERVISOR, "大厅B")
    everyone = User(2, "sup1", "", Role.SUPERVISOR, "")
    with sqlite_store.session() as s:
        assert len(s.execute(select(CaseRow.number).where(*case_filter(b))).all()) == 1
        assert len(s.execute(select(CaseRow.number).where(*case_filter(everyone))).all()) == 7


def test_passwd_needs_a_login_and_the_old_password(hall, cli, cli_login):
    code, out, err = cli("user", "passwd", "--password-stdin", stdin="x\ny\n")
    assert code == 2 and "尚未登录" in err
    cli_login("clerk1")
    code, out, err = cli("user", "passwd", "--password-stdin", stdin="wrong-old\nBrand-new-pass-1\n")
    assert code == 2 and "原密码不正确" in err
    code, out, err = cli("user", "passwd", "--password-stdin", stdin=PASSWORDS["clerk1"] + "\nBrand-new-pass-1\n")
    assert code == 0
    assert cli("login", "clerk1", "--password-stdin", stdin="Brand-new-pass-1\n")[0] == 0
