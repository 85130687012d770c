"""The command line as a clerk or provincial IT uses it: exit codes and Chinese messages."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from houshi_desk import __version__
from houshi_desk.cli import main
from houshi_desk.services.cases import sample_case_dict

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], capture_output=True, text=True, timeout=120)


def test_version():
    r = run("--version")
    assert r.returncode == 0 and __version__ in r.stdout


def test_case_new_then_show_and_search(home, tmp_path, login_as):
    (home / "settings.toml").write_text('[office]\nregion = "nx"\n', encoding="utf-8")  # an NX window
    login_as("clerk1")
    src = tmp_path / "case.json"
    src.write_text(json.dumps(sample_case_dict("nx"), ensure_ascii=False), encoding="utf-8")
    r = run("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 0, r.stderr
    number = r.stdout.strip()
    assert number == "150702-W01-20260121-0001"

    shown = run("case", "show", number, "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["region"] == "nx"
    assert data["deceased"]["id_number"] == "110105********002X", "masked unless --full"
    assert {m["code"] for m in data["matters"] if m["chosen"]} >= {"hukou_cancel", "driving_licence_cancel"}
    full = run("case", "show", number, "--json", "--full", "--reason", "核对")
    assert full.returncode == 2 and "主管" in full.stderr, "a clerk never sees full ID numbers"
    login_as("sup1", "supervisor")
    assert run("case", "show", number, "--json", "--full").returncode == 2, "--full needs a --reason"
    full = run("case", "show", number, "--json", "--full", "--reason", "家属申请核对")
    assert json.loads(full.stdout)["deceased"]["id_number"] == "11010519491231002X"
    login_as("clerk1")

    text = run("case", "show", number).stdout
    assert "注销死亡人员户口" in text or "户口" in text
    found = run("case", "search", "测试")
    assert number in found.stdout and "11010519491231002X" not in found.stdout


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["deceased"].update(id_number="11010519491231003X"), "校验位"),
    (lambda d: d["facts"].update(pension_tipe="none"), "pension_tipe"),
    (lambda d: d["death"].update(died_at="2026-13-40"), "死亡信息有误"),
    (lambda d: d.update(region="zz"), "zz"),
    (lambda d: d.pop("applicant"), "applicant"),
])
def test_bad_case_file_gets_a_clear_message_and_exit_2(home, logged_in, tmp_path, mutate, message):
    data = sample_case_dict()
    mutate(data)
    src = tmp_path / "case.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_unreadable_case_file(home, logged_in, tmp_path):
    src = tmp_path / "case.json"
    src.write_text("{not json", encoding="utf-8")
    assert main(["case", "new", "--from", str(src)]) == 2
    assert main(["case", "new", "--from", str(tmp_path / "missing.json")]) == 2


def test_show_unknown_case(home, logged_in):
    r = run("case", "show", "150702-W01-20260121-0042")
    assert r.returncode == 2 and "找不到受理编号" in r.stderr


def test_doctor_reports_and_succeeds_on_a_fresh_home(home):
    r = run("doctor", "--json")
    assert r.returncode == 0, r.stderr
    items = {row["item"]: row for row in json.loads(r.stdout)}
    assert items["数据库"]["status"] == "ok"
    assert items["钥匙串"]["status"] == "ok"


def test_doctor_names_a_file_keyring_nobody_chose(home, monkeypatch):
    """What a Linux PC whose keyring service is down looks like: keyring falls back to a keyrings.alt
    file by itself. doctor says so for the keyring and the database, and creates no database."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    code = ("import sys, keyring; from keyrings.alt.file import PlaintextKeyring; keyring.set_keyring(PlaintextKeyring()); "
            "from houshi_desk.cli import main; sys.exit(main(['doctor', '--json']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    items = {row["item"]: row for row in json.loads(r.stdout)}
    assert items["钥匙串"]["status"] == "fail" and "明文" in items["钥匙串"]["detail"]
    assert items["数据库"]["status"] == "fail" and "钥匙串" in items["数据库"]["detail"]
    assert r.returncode != 0
    assert not list(home.rglob("*.db")) and not list(home.rglob("*.sqlite*"))


def test_key_export_import_round_trip_via_cli(home, tmp_path, monkeypatch):
    def feed(text, *args):
        return subprocess.run([sys.executable, "-m", "houshi_desk", *args], input=text,
                              capture_output=True, text=True, timeout=120)

    assert run("doctor").returncode == 0  # creates the database and its key
    out = tmp_path / "recovery.json"
    r = feed("口令足够长12345\n", "key", "export", str(out), "--passphrase-stdin")
    assert r.returncode == 2 and "主管" in r.stderr, "exporting the key is a supervisor's job"
    assert feed("Admin#2026pass\n", "user", "add", "chief", "--password-stdin").returncode == 0
    assert feed("Admin#2026pass\n", "login", "chief", "--password-stdin").returncode == 0
    r = feed("足够长的口令12345\n", "key", "export", str(out), "--passphrase-stdin")
    assert r.returncode == 0, r.stderr
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-keyring"))
    assert run("doctor", "--json").returncode == 2, "without the key the database cannot open"
    r = subprocess.run([sys.executable, "-m", "houshi_desk", "key", "import", str(out), "--passphrase-stdin"],
                       input="足够长的口令12345\n", capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert run("doctor", "--json").returncode == 0


def test_wheel_ships_the_data_folders(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("houshi_desk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "houshi_desk/_data/resources/catalogs/nm-2022.toml" in names
    assert "houshi_desk/_data/resources/catalogs/nx-2025.toml" in names
    assert any(n.startswith("houshi_desk/_data/printing/") for n in names)
