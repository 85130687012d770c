"""The log file (issue 13 "Operations"): ``<log_dir>/houshi-desk.log``, rotated 5 × 2 MB, mode 0600,
with no names, ID numbers, phones or bank cards in it — checked after a full case on the CLI."""
from __future__ import annotations

import json
import logging
import stat
import subprocess
import sys

import pytest

from houshi_desk.services.cases import sample_case_dict


def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], capture_output=True, text=True,
                          input=input, stdin=None if input is not None else subprocess.DEVNULL, timeout=180)


def _personal_values(case: dict) -> set[str]:
    """Every name, ID number, phone, bank card and address in a case file."""
    found = set()
    for role in ("deceased", "applicant", "proxy"):
        party = case.get(role) or {}
        for key in ("name", "id_number", "phone", "bank_account", "address", "contact_address"):
            if party.get(key):
                found.add(str(party[key]))
    return found


@pytest.fixture
def log_text(home):
    def read() -> str:
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted((home / "logs").glob("houshi-desk.log*")))
    return read


def test_a_full_case_on_the_cli_leaves_no_personal_data_in_the_log(home, tmp_path, log_text):
    case = sample_case_dict()
    src = tmp_path / "case.json"
    src.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    assert cli("user", "add", "chief", "--name", "测试主管", "--password-stdin", input="Admin#2026pass\n").returncode == 0
    assert cli("login", "chief", "--password-stdin", input="Admin#2026pass\n").returncode == 0
    r = cli("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 0, r.stderr
    number = r.stdout.strip()
    assert cli("case", "show", number).returncode == 0
    r = cli("case", "show", number, "--json", "--full", "--reason", "核对")
    assert r.returncode == 0 and case["deceased"]["id_number"] in r.stdout, r.stderr
    r = cli("print", "application", "--case", number, "--pdf", str(tmp_path / "app.pdf"))
    assert r.returncode == 0, r.stderr
    # failures are logged too: a refused command and an internal error
    assert cli("case", "show", "150702-W01-20260121-0099").returncode == 2
    assert cli("-v", "case", "search", case["deceased"]["name"]).returncode == 0

    path = home / "logs" / "houshi-desk.log"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = log_text()
    assert "command case new started" in text and "command print finished with 0" in text
    assert "CaseNotFound" in text
    leaked = sorted(v for v in _personal_values(case) if v in text)
    assert leaked == [], f"personal data in the log: {leaked}"
    assert case["deceased"]["id_number"][:6] + "********" in text or "********" not in text


def test_the_privacy_filter_masks_values_and_exception_text(settings, log_text):
    from houshi_desk.logs import setup_logging, shutdown_logging

    setup_logging(settings)
    try:
        log = logging.getLogger("houshi_desk.test")
        log.warning("party %s with id %s phone %s", "王小明", "11010519491231002X", "13800000000")
        try:
            raise ValueError("申请人王小明 证件 360426199101010071 银行卡 6222000000000000000")
        except ValueError:
            log.exception("while saving case %s", "150702-W01-20260121-0001")
    finally:
        shutdown_logging()
    text = log_text()
    for secret in ("王小明", "11010519491231002X", "360426199101010071", "6222000000000000000", "13800000000"):
        assert secret not in text
    assert "110105********002X" in text and "*******0000" in text
    assert "ValueError" in text and "Traceback" in text and "150702-W01-20260121-0001" in text


def test_the_log_rotates_at_2_mb_keeping_five_files(settings):
    from houshi_desk.logs import BACKUP_COUNT, MAX_BYTES, setup_logging, shutdown_logging

    assert (MAX_BYTES, BACKUP_COUNT + 1) == (2 * 1024 * 1024, 5)
    path = setup_logging(settings)
    try:
        log = logging.getLogger("houshi_desk.test")
        line = "x" * 1000
        for _ in range(int(MAX_BYTES * 2.5) // 1000):
            log.info(line)
    finally:
        shutdown_logging()
    files = sorted(path.parent.glob("houshi-desk.log*"))
    assert [f.name for f in files] == ["houshi-desk.log", "houshi-desk.log.1", "houshi-desk.log.2"]
    assert all(f.stat().st_size <= MAX_BYTES for f in files)


def test_setting_up_twice_adds_no_second_handler(settings):
    from houshi_desk.logs import setup_logging, shutdown_logging

    try:
        setup_logging(settings)
        setup_logging(settings, verbose=True)
        ours = [h for h in logging.getLogger().handlers if getattr(h, "_houshi_desk_handler", None)]
        assert sorted(getattr(h, "_houshi_desk_handler")[0] for h in ours) == ["file", "stderr"]
    finally:
        shutdown_logging()
