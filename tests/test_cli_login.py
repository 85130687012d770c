"""The command line acts only as the logged-in account (issue 13): without a login the commands that
touch cases, papers or the audit trail exit 2 with a Chinese sentence and write nothing; with one,
the audit trail names that account; --today is refused in production; --full is a supervisor's."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from houshi_desk.cli import main
from houshi_desk.services.cases import sample_case_dict


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


@pytest.fixture
def case_file(tmp_path):
    src = tmp_path / "case.json"
    src.write_text(json.dumps(sample_case_dict(), ensure_ascii=False), encoding="utf-8")
    return src


def _audit(settings):
    from houshi_desk import audit
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        with store.session() as s:
            return [(e.actor, e.action, e.case_number, e.detail) for e in audit.entries(s)]
    finally:
        store.close()


def test_case_new_without_a_login_exits_2_and_writes_nothing(home, case_file):
    r = run("case", "new", "--from", str(case_file))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "houshi-desk login" in r.stderr and "尚未登录" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    data = home / "data"
    assert not data.exists() or not [p for p in data.rglob("*") if p.is_file()], "not even a database was created"


# Every command that needs a login, each refused before it reads or writes anything.
NEEDS_LOGIN = [
    ["case", "new", "--from", "{case}"],
    ["case", "show", "150702-W01-20260121-0001"],
    ["case", "search", "测试"],
    ["case", "submit", "150702-W01-20260121-0001"],
    ["print", "application", "--case", "150702-W01-20260121-0001"],
    ["scan", "--import", "{case}", "--case", "150702-W01-20260121-0001", "--material", "bank_card"],
    ["scan", "--collect"],
    ["bundle", "export", "{tmp}/b.hdb"],
    ["bundle", "import", "{tmp}/b.hdb"],
    ["report", "daily"],
    ["rights", "export", "150702-W01-20260121-0001", "--out", "{tmp}/x.json", "--reason", "测试"],
    ["retention", "run", "--dry-run"],
    ["key", "export", "{tmp}/key.json", "--passphrase-stdin"],
]


@pytest.mark.parametrize("argv", NEEDS_LOGIN, ids=lambda a: " ".join(a[:2]))
def test_each_command_that_needs_a_login_refuses_without_one(home, case_file, tmp_path, capsys, argv):
    argv = [a.format(case=case_file, tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "登录" in err and "houshi-desk login" in err, err
    assert not (home / "data" / "houshi-desk.db").exists(), f"{argv[:2]} opened the database before the login check"


def test_commands_without_a_login_still_work(home, tmp_path, capsys):
    assert main(["doctor", "--json"]) == 0
    assert main(["whoami"]) == 1 and "没有登录" in capsys.readouterr().out
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(sample_case_dict()["facts"], ensure_ascii=False), encoding="utf-8")
    code = main(["checklist", "--region", "nm", "--facts", str(facts), "--today", "2026-01-21"])
    assert code in (0, 2), "checklist needs no login (it may still reject these facts on its own)"
    assert "登录" not in capsys.readouterr().err


def test_the_audit_trail_names_the_logged_in_account(home, settings, logged_in, case_file, capsys):
    assert main(["case", "new", "--from", str(case_file), "--today", "2026-01-21"]) == 0
    number = capsys.readouterr().out.strip()
    assert main(["case", "show", number]) == 0
    capsys.readouterr()
    trail = _audit(settings)
    case_rows = [(actor, action) for actor, action, no, _ in trail if no == number]
    assert ("clerk01", "create") in case_rows and ("clerk01", "view") in case_rows
    assert {actor for actor, _ in case_rows} == {"clerk01"}
    assert ("clerk01", "backdate") in case_rows, "a rehearsal date is on the record"


@pytest.mark.parametrize("argv", [
    ["case", "new", "--from", "x.json", "--clerk", "ghost"],
    ["scan", "--collect", "--clerk", "ghost"],
    ["print", "receipt", "--case", "150702-W01-20260121-0001", "--user", "ghost"],
    ["case", "submit", "150702-W01-20260121-0001", "--clerk", "ghost"],
])
def test_acting_as_someone_else_is_no_longer_an_option(home, logged_in, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "命令参数有误" in capsys.readouterr().err


def test_today_is_refused_in_production_and_nothing_is_written(home, logged_in, settings, case_file, capsys):
    (home / "system-settings.toml").write_text('[office]\nmode = "production"\n', encoding="utf-8")
    assert main(["case", "new", "--from", str(case_file), "--today", "2026-01-21"]) == 2
    err = capsys.readouterr().err
    assert "正式模式" in err and "--today" in err
    from houshi_desk.config import load_settings

    assert [a for a in _audit(load_settings()) if a[1] == "create"] == []


def test_retention_today_is_refused_in_production(home, login_as, capsys):
    login_as("admin01", "admin")
    (home / "system-settings.toml").write_text('[office]\nmode = "production"\n', encoding="utf-8")
    assert main(["retention", "run", "--dry-run", "--today", "2060-01-01"]) == 2
    assert "正式模式" in capsys.readouterr().err
    (home / "system-settings.toml").write_text('[office]\nmode = "test"\n', encoding="utf-8")
    assert main(["retention", "run", "--dry-run", "--today", "2060-01-01"]) == 0


def test_full_id_numbers_need_a_supervisor_and_a_reason(home, settings, login_as, case_file, capsys):
    login_as("clerk01")
    assert main(["case", "new", "--from", str(case_file), "--today", "2026-01-21"]) == 0
    number = capsys.readouterr().out.strip()
    assert main(["case", "show", number, "--json", "--full", "--reason", "核对"]) == 2
    assert "主管" in capsys.readouterr().err
    login_as("sup01", "supervisor")
    assert main(["case", "show", number, "--json", "--full"]) == 2
    assert "--reason" in capsys.readouterr().err
    assert main(["case", "show", number, "--json", "--full", "--reason", "家属申请核对"]) == 0
    assert json.loads(capsys.readouterr().out)["deceased"]["id_number"] == sample_case_dict()["deceased"]["id_number"]
    views = [(a, d) for a, act, no, d in _audit(settings) if act == "view" and no == number]
    assert ("sup01", "显示完整证件号码：家属申请核对") in views


def test_key_export_needs_a_supervisor_and_writes_the_file_0600(home, login_as, tmp_path):
    out = tmp_path / "recovery.json"
    login_as("clerk01")
    r = run("key", "export", str(out), "--passphrase-stdin", stdin="足够长的口令12345\n")
    assert r.returncode == 2 and "主管" in r.stderr and not out.exists()
    login_as("sup01", "supervisor")
    old = os.umask(0o022)
    try:
        r = run("key", "export", str(out), "--passphrase-stdin", stdin="足够长的口令12345\n")
    finally:
        os.umask(old)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_login_under_an_unknown_name_does_not_put_that_name_in_the_trail(home, logged_in, settings, monkeypatch,
                                                                           capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Secret#typed-as-name\n"))
    assert main(["login", "ghost-Secret2026", "--password-stdin"]) == 2
    assert "用户名或密码不正确" in capsys.readouterr().err
    trail = _audit(settings)
    assert not [e for e in trail if "ghost" in e[0] or "ghost" in e[3]]
    assert ("system:login", "login_failed") in [(e[0], e[1]) for e in trail]
