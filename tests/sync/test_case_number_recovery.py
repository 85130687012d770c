"""Case numbers never repeat after a lost database (issue 14, "Nothing lost silently"): the day's
sequence is recovered from the platform — ``GET /api/v1/case-numbers/latest`` answers this terminal's
highest number of the day — when sync starts and, with a short timeout, in ``backup restore`` and
``key import``. Offline the local number is used with a clear line, and raised once the platform
answers; a number the platform already holds for another case is refused by name, never merged.

Against the reference platform over HTTP (tests/sync/conftest.py), real encrypted stores, each "PC"
with its own home and keyring."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from houshi_desk.services import cases as svc
from houshi_desk.services.case_numbers import check_with_platform, recover_sequence, uploader_check
from houshi_desk.store.db import open_store
from houshi_desk.store.models import CaseNumberSequenceRow
from houshi_desk.store.models_sync import SyncOutboxRow
from houshi_desk.sync import errors as E

from .conftest import APP_KEY, drain

TODAY = date(2026, 1, 23)
PREFIX = "150702-W01-20260123"


def _case(store, settings, i: int, today: date = TODAY) -> str:
    """Case number of a new, submitted case for synthetic deceased ``i`` (distinct per i)."""
    data = svc.sample_case_dict(deceased_seq=40 + i)
    number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=today, clerk="测试员")
    svc.submit_case(store, number, clerk="测试员")
    return number


def _send_all(terminal) -> None:
    drain(terminal.uploader())


def _uploader(terminal, store, settings=None, **kw):
    from houshi_desk.sync.clock import FakeClock
    from houshi_desk.sync.uploader import Uploader

    if settings is not None:
        kw["numbers_check"] = uploader_check(store, settings, today=lambda: TODAY, on_raised=kw.pop("on_raised", None))
    return Uploader(store, client_factory=terminal.client, filestore=terminal.filestore, clock=FakeClock(),
                    start_delay=0.0, link_return_delay=0.0, chunk_size=64 * 1024, pull_interval=0.5, **kw)


def _new_pc(terminal, monkeypatch, tmp_path, name: str):
    """The same terminal on a replacement PC: a fresh home and keyring (database and marker gone), the
    same office settings and platform credential. Returns (settings, store)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from houshi_desk.config import load_settings
    from houshi_desk.sync.credentials import save_secret

    terminal.store.close()
    root = tmp_path / name
    root.mkdir()
    (root / "system-settings.toml").write_text('[office]\nmode = "test"\n', encoding="utf-8")
    monkeypatch.setenv("HOUSHI_DESK_HOME", str(root))
    monkeypatch.setenv("HOUSHI_DESK_SYSTEM_CONFIG", str(root / "system-settings.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / f"{name}-xdg-data"))
    keyring.set_keyring(PlaintextKeyring())  # a keyring with nothing of the old PC in it
    settings = load_settings()
    assert settings.paths.data_dir != terminal.settings.paths.data_dir
    settings.set("platform.url", terminal.ref.url)
    settings.set("platform.app_key", APP_KEY)
    save_secret(APP_KEY, terminal.ref.secret)
    return settings, open_store(settings)


def _audit_details(store) -> list[str]:
    from houshi_desk import audit

    with store.session() as s:
        return [e.detail for e in audit.entries(s) if e.action == "case_sequence"]


def _platform_cases(terminal) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in terminal.ref.dump()["cases"]:
        out[c["case_id"]] = out.get(c["case_id"], 0) + 1
    return out


def test_a_lost_database_continues_after_the_platforms_numbers_when_sync_starts(terminal, monkeypatch, tmp_path):
    sent = [_case(terminal.store, terminal.settings, i) for i in range(3)]
    assert [n[-4:] for n in sent] == ["0001", "0002", "0003"]
    _send_all(terminal)
    assert set(sent) <= set(_platform_cases(terminal))

    settings, store = _new_pc(terminal, monkeypatch, tmp_path, "new-pc")
    try:
        with store.session() as s:  # a fresh database: it would number the day from 0001 again
            assert s.execute(select(CaseNumberSequenceRow)).first() is None
        told = []  # what the window's status bar is given (gui.bridges.SyncBridge.notice)
        up = _uploader(terminal, store, settings, on_raised=lambda result: told.append(result.message))
        up.start()
        up.step()  # the platform answers: today's numbering continues after its 0003
        number = _case(store, settings, 10)
        assert number == f"{PREFIX}-0004"
        assert len(told) == 1 and sent[-1] in told[0] and f"{PREFIX}-0004" in told[0], told
        details = _audit_details(store)
        assert len(details) == 1 and "由 0 提高到 3" in details[0] and sent[-1] in details[0]
        drain(up, start=False)
        with store.session() as s:
            row = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number,
                                                        SyncOutboxRow.kind == "create_case")).scalar_one()
            assert row.state == "acked", (row.state, row.last_error)
        assert _platform_cases(terminal)[number] == 1
        # asked again (next start): nothing to raise, nothing audited twice
        again = recover_sequence(store, settings, terminal.client(), TODAY)
        assert again.checked and not again.raised and again.next_number == f"{PREFIX}-0005"
        assert len(_audit_details(store)) == 1
    finally:
        store.close()


def test_offline_the_local_number_is_used_and_raised_once_the_platform_answers(terminal, monkeypatch, tmp_path):
    sent = [_case(terminal.store, terminal.settings, i) for i in range(3)]
    _send_all(terminal)

    settings, store = _new_pc(terminal, monkeypatch, tmp_path, "offline-pc")
    try:
        settings.set("platform.url", "http://127.0.0.1:9")  # nothing listens there: offline
        check = check_with_platform(store, settings, TODAY)
        assert not check.checked and not check.raised
        assert "未能向平台核对" in check.message and f"{PREFIX}-0001" in check.message
        clash = _case(store, settings, 20)  # nothing blocks the clerk: the local number is used
        assert clash == f"{PREFIX}-0001" == sent[0]

        settings.set("platform.url", terminal.ref.url)  # back online
        up = _uploader(terminal, store, settings)
        drain(up)
        details = _audit_details(store)
        assert len(details) == 1 and "由 1 提高到 3" in details[0]
        after = _case(store, settings, 21)
        assert after == f"{PREFIX}-0004", "the next case after recovery does not collide"
        drain(up, start=False)
        with store.session() as s:
            rows = {r.case_number: r for r in s.execute(select(SyncOutboxRow).where(
                SyncOutboxRow.kind == "create_case")).scalars()}
        assert rows[after].state == "acked"
        # the clash was refused, by name, and waits for a person; the platform kept the first case
        assert rows[clash].state == "needs_attention"
        assert rows[clash].last_error_code == "case_number_taken"
        assert clash in rows[clash].last_error and "另一个案件" in rows[clash].last_error
        on_platform = [c for c in terminal.ref.dump()["cases"] if c["case_id"] == clash]
        assert len(on_platform) == 1
        assert terminal.ref.platform.store.counters().get("case_number_conflicts", 0) >= 1
    finally:
        store.close()


def test_a_duplicate_number_with_another_body_is_refused_by_name(terminal):
    number = _case(terminal.store, terminal.settings, 0)
    _send_all(terminal)
    c = terminal.client()
    try:
        other = dict(_shell(terminal, number))
        other["parties"] = [dict(p, name="测试另人") for p in other["parties"]]
        with pytest.raises(E.RejectedError) as info:
            c.create_case("dup-" + number, other)
        assert info.value.code == "case_number_taken" and number in info.value.message
        # the same body again under a new key is a harmless natural duplicate, as before
        assert c.create_case("same-" + number, _shell(terminal, number))["case_id"] == number
    finally:
        c.close()


def _shell(terminal, number: str) -> dict:
    import json

    row = terminal.ref.platform.store.one("SELECT payload FROM cases WHERE case_id = ? ORDER BY version LIMIT 1",
                                          number)
    return json.loads(row["payload"])


def test_only_this_terminals_numbers_count(terminal, ref_platform):
    """A terminal of another office misconfigured with the same terminal id: its numbers are not ours;
    each terminal is answered with its own highest."""
    sent = [_case(terminal.store, terminal.settings, i) for i in range(2)]
    _send_all(terminal)
    ref_platform.platform.store.add_client("terminal-other", "other-secret-0123456789", office="OTHER")
    from houshi_desk.sync.client import PlatformClient

    other = PlatformClient(ref_platform.url, "terminal-other", "other-secret-0123456789")
    mine = terminal.client()
    try:
        shell = _shell(terminal, sent[0])
        for seq in (7, 9):
            c = dict(shell, case_id=f"{PREFIX}-{seq:04d}")
            c["parties"] = [dict(p, name=f"测试他{seq}") for p in c["parties"]]
            other.create_case(f"other-{seq}", c)
        assert other.latest_case_number(PREFIX) == f"{PREFIX}-0009"
        assert mine.latest_case_number(PREFIX) == sent[-1]
        assert mine.latest_case_number("150702-W02-20260123") is None
        assert mine.latest_case_number("150702-W01-20260124") is None
        check = recover_sequence(terminal.store, terminal.settings, mine, TODAY)
        assert check.checked and not check.raised and check.next_number == f"{PREFIX}-0003"
    finally:
        other.close()
        mine.close()


@pytest.mark.parametrize("prefix", ["150702-W01-2026012", "150702-w01-20260123", "15070-W01-20260123",
                                    "150702-W01-20261323", "150702-W01-20260123-0001", "150702-%-20260123", ""])
def test_a_malformed_prefix_is_refused_with_422(terminal, prefix):
    c = terminal.client()
    try:
        with pytest.raises(E.RejectedError) as info:
            c.latest_case_number(prefix)
        assert info.value.status == 422 and info.value.code == "invalid_prefix"
    finally:
        c.close()


def test_the_answer_matches_the_documented_schema(terminal):
    from jsonschema import Draft202012Validator

    from .test_contract_bodies import _json_schema, _operation, _spec

    number = _case(terminal.store, terminal.settings, 0)
    _send_all(terminal)
    c = terminal.client()
    try:
        answers = [c._send("GET", "/api/v1/case-numbers/latest", params={"prefix": p})
                   for p in (PREFIX, "150702-W09-20260123")]
    finally:
        c.close()
    _template, op = _operation(_spec(), "GET", "/api/v1/case-numbers/latest")
    schema = _json_schema(op["responses"]["200"])
    for resp in answers:
        assert not list(Draft202012Validator(schema).iter_errors(resp.json()))
    assert [a.json()["number"] for a in answers] == [number, None]


def _cli(monkeypatch, capsys, *argv: str, stdin: str = ""):
    import io

    from houshi_desk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_restore_and_key_import_continue_after_the_platform(terminal, monkeypatch, capsys, tmp_path):
    """A backup older than the day's last case, restored on a new PC (the keyring that remembered the
    day's highest number is gone): ``backup restore`` asks the platform and says which number is next."""
    from argon2 import PasswordHasher

    from houshi_desk.users import passwords

    from tests.conftest import log_in

    monkeypatch.setattr(passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    passwords.dummy_hash.cache_clear()
    today = date.today()  # the commands number today's cases
    prefix = f"150702-W01-{today:%Y%m%d}"
    terminal.store.close()
    log_in("chief", "supervisor", settings=terminal.settings)
    store = open_store(terminal.settings)
    terminal.store = store
    first = _case(store, terminal.settings, 0, today)
    passphrase = "足够长的恢复口令2026"
    recovery = tmp_path / "recovery.json"
    code, out, err = _cli(monkeypatch, capsys, "key", "export", str(recovery), "--passphrase-stdin",
                          stdin=passphrase + "\n")
    assert code == 0, err
    code, out, err = _cli(monkeypatch, capsys, "backup", "now", "--to", str(tmp_path / "usb"))
    assert code == 0, err
    (backup,) = (tmp_path / "usb").glob("*.hdbak")
    later = [_case(store, terminal.settings, i, today) for i in (1, 2)]  # after the backup: only the platform has them
    _send_all(terminal)
    assert [first[-4:], *(n[-4:] for n in later)] == ["0001", "0002", "0003"]

    settings, new_store = _new_pc(terminal, monkeypatch, tmp_path, "restored-pc")
    new_store.close()
    import shutil

    shutil.rmtree(settings.paths.data_dir)  # a replacement PC: no data folder yet
    code, out, err = _cli(monkeypatch, capsys, "key", "import", str(recovery), "--passphrase-stdin",
                          stdin=passphrase + "\n")
    assert code == 0, err
    code, out, err = _cli(monkeypatch, capsys, "backup", "restore", str(backup))
    assert code == 0, err
    assert f"平台上本终端今天最大的编号是 {later[-1]}" in out and f"下一个受理编号为 {prefix}-0004" in out, out
    restored = open_store(settings)
    try:
        assert _case(restored, settings, 5, today) == f"{prefix}-0004"
        assert any("由 1 提高到 3" in d for d in _audit_details(restored))
    finally:
        restored.close()

    # key import on a PC whose database is there asks too; offline it says so and names the next number
    settings.set("platform.url", "http://127.0.0.1:9")
    code, out, err = _cli(monkeypatch, capsys, "key", "import", str(recovery), "--passphrase-stdin",
                          stdin=passphrase + "\n")
    assert code == 0, err
    assert "未能向平台核对今天的受理编号" in out and f"下一个受理编号为 {prefix}-0005" in out, out


def test_a_running_sync_raises_the_numbers_when_the_platform_comes_back(terminal, monkeypatch, tmp_path):
    """The sync service starts during an outage: the first case is numbered locally; the first probe the
    platform answers raises the sequence, so the case after it continues after the platform's."""
    _ = [_case(terminal.store, terminal.settings, i) for i in range(3)]
    _send_all(terminal)
    settings, store = _new_pc(terminal, monkeypatch, tmp_path, "outage-pc")
    faults = terminal.ref.platform.faults
    try:
        faults.outage = True
        up = _uploader(terminal, store, settings)
        up.start()
        for _ in range(5):
            up.step()
            up.clock.sleep(1.0)
        assert up._numbers_due, "the platform did not answer: still to be checked"
        offline = _case(store, settings, 30)
        assert offline == f"{PREFIX}-0001"
        up.wake()
        for _ in range(5):
            up.step()
            up.clock.sleep(1.0)
        faults.outage = False
        drain(up, start=False)
        assert not up._numbers_due
        assert any("由 1 提高到 3" in d for d in _audit_details(store))
        assert _case(store, settings, 31) == f"{PREFIX}-0004"
    finally:
        faults.outage = False
        store.close()
