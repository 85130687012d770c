"""Issue 15, no deceased gets two cases: locally (SQLCipher), in the hall (two stores on one
PostgreSQL database), across two terminals of different offices via the reference platform (in its
own process), and the supervisor's override — audited, and carried to the platform."""
from __future__ import annotations

import io
import json
import secrets
from datetime import date

import pytest
from sqlalchemy import select

from houshi_desk.services.cases import (DuplicateCase, DuplicateOverride, case_from_dict, create_case,
                                        sample_case_dict)

TODAY = date.today()


def _new(store, settings, seq: int, **kw) -> str:
    return create_case(store, case_from_dict(sample_case_dict(deceased_seq=seq)), settings=settings, today=TODAY,
                       clerk="测试员", **kw)


def _trail(store, number):
    from houshi_desk import audit

    with store.session() as s:
        return [(e.actor, e.action, e.detail) for e in audit.entries(s, case_number=number)]


def _payload(store, number) -> dict:
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.sync.outbox import case_payload

    with store.session() as s:
        return case_payload(get_case_row(s, number))


def test_a_local_duplicate_is_refused_naming_the_case_and_a_supervisor_may_override(sqlite_store, settings):
    first = _new(sqlite_store, settings, 21)
    with pytest.raises(DuplicateCase) as dup:
        _new(sqlite_store, settings, 21)
    assert first in dup.value.message and dup.value.existing[0]["number"] == first
    assert "duplicate_override" not in _payload(sqlite_store, first)
    second = _new(sqlite_store, settings, 21, duplicate_override=DuplicateOverride("另一申请人办理前案未选的公积金提取", "sup01"))
    assert second != first
    assert any(a == "sup01" and "主管同意重复受理" in d and first in d for a, _, d in _trail(sqlite_store, second))
    assert _payload(sqlite_store, second)["duplicate_override"] == {"reason": "另一申请人办理前案未选的公积金提取",
                                                                   "supervisor": "sup01"}
    _new(sqlite_store, settings, 22)  # another deceased: no question


def test_in_the_hall_every_windows_cases_count(pg_url, settings):
    from houshi_desk.store.db import open_store

    w01, w02 = open_store(settings, url=pg_url), open_store(settings, url=pg_url)
    try:
        settings.set("office.terminal_id", "W01")
        first = _new(w01, settings, 23)
        settings.set("office.terminal_id", "W02")
        with pytest.raises(DuplicateCase) as dup:
            _new(w02, settings, 23)
        assert first in dup.value.message
    finally:
        w01.close()
        w02.close()


def _cli(monkeypatch, capsys, *argv, stdin=""):
    from houshi_desk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_case_new_refuses_a_duplicate_and_only_a_supervisor_overrides(home, login_as, monkeypatch, capsys, tmp_path):
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    src = tmp_path / "case.json"
    src.write_text(json.dumps(sample_case_dict(deceased_seq=24), ensure_ascii=False), encoding="utf-8")
    login_as("clerk01", "clerk")
    code, first, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src))
    assert code == 0, err
    first = first.strip()
    code, out, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src))
    assert code == 2 and first in err and "主管" in err
    code, out, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src), "--override-duplicate", "另一申请人")
    assert code == 2 and "主管" in err and not out.strip()
    login_as("sup01", "supervisor")
    code, second, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src), "--override-duplicate",
                             "另一申请人办理前案未选的事项", "--submit")
    assert code == 0, err
    store = open_store(load_settings())
    try:
        trail = _trail(store, second.strip())
        assert any(a == "sup01" and "另一申请人办理前案未选的事项" in d for a, _, d in trail)
        from houshi_desk.store.models_sync import SyncOutboxRow

        with store.session() as s:
            create = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == second.strip(),
                                                           SyncOutboxRow.kind == "create_case")).scalar_one()
            assert create.payload["duplicate_override"]["supervisor"] == "sup01"
    finally:
        store.close()


# ---------------------------------------------------------------------- two terminals via the platform


OFFICES = {"term-a": "150702-01", "term-b": "150702-02"}


def _uploader(store, url, key, secret):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.clock import FakeClock
    from houshi_desk.sync.uploader import Uploader

    return Uploader(store, client_factory=lambda: PlatformClient(url, key, secret), filestore=FileStore.for_settings(),
                    clock=FakeClock(), start_delay=0.0, link_return_delay=0.0, pull_interval=3600)


def _items(store, number):
    from houshi_desk.store.models_sync import SyncOutboxRow

    with store.session() as s:
        return {r.kind: (r.state, r.last_error_code, r.last_error)
                for r in s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number)).scalars()}


def test_across_two_terminals_the_platform_finds_the_duplicate(home, settings, pg_url, login_as, monkeypatch, capsys,
                                                               tmp_path):
    from houshi_desk.platform_ref.persons import lookup_key
    from houshi_desk.platform_ref.process import spawn
    from houshi_desk.store.db import open_store
    from houshi_desk.store.models import CaseRow, CaseTaskRow
    from tests.sync.conftest import drain

    data = tmp_path / "platform"
    key = lookup_key(data)
    secret = {k: secrets.token_urlsafe(24) for k in OFFICES}
    proc = spawn(data, clients=secret, offices=OFFICES, step_seconds=0.2)
    a = open_store(settings, url=pg_url)  # terminal A (office 01): its own database
    try:
        settings.set("office.terminal_id", "W01")
        settings.set("office.name", "海拉尔区政务服务中心")
        first = _new(a, settings, 25, submit=True)
        drain(_uploader(a, proc.url, "term-a", secret["term-a"]))
        assert _items(a, first)["submit"][0] == "acked"

        # terminal B (office 02, its own encrypted file): logged in to the platform with the look-up key
        settings.set("office.terminal_id", "W02")
        code, out, err = _cli(monkeypatch, capsys, "platform", "login", "--url", proc.url, "--app-key", "term-b",
                              "--secret-stdin", "--lookup-key-stdin", "--no-check",
                              stdin=f"{secret['term-b']}\n{key}\n")
        assert code == 0, err
        src = tmp_path / "case.json"
        src.write_text(json.dumps(sample_case_dict(deceased_seq=25), ensure_ascii=False), encoding="utf-8")
        login_as("clerk01", "clerk")
        # before acceptance: the platform names A's case, and nothing is saved at B
        code, out, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src), "--submit")
        assert code == 2 and first in err and "海拉尔区政务服务中心" in err

        # offline at acceptance (the check could not run): the platform refuses the submit at sync
        from houshi_desk.config import load_settings

        b = open_store(load_settings())
        try:
            offline = _new(b, settings, 25, submit=True)
            drain(_uploader(b, proc.url, "term-b", secret["term-b"]))
            state, code_, text = _items(b, offline)["submit"]
            assert (state, code_) == ("needs_attention", "duplicate_deceased") and first in text
            with b.session() as s:
                case_id = s.execute(select(CaseRow.id).where(CaseRow.number == offline)).scalar_one()
                tasks = s.execute(select(CaseTaskRow).where(CaseTaskRow.case_id == case_id)).scalars().all()
            assert [t.kind for t in tasks] == ["duplicate"] and first in tasks[0].text and "主管" in tasks[0].text

            # the supervisor's override goes to the platform, which then takes the case
            login_as("sup01", "supervisor")
            code, second, err = _cli(monkeypatch, capsys, "case", "new", "--from", str(src), "--submit",
                                     "--override-duplicate", "另一申请人办理前案未选的事项")
            assert code == 0, err
            second = second.strip()
            drain(_uploader(b, proc.url, "term-b", secret["term-b"]))
            assert _items(b, second)["submit"][0] == "acked"
            assert any(a_ == "sup01" and first in d for a_, _, d in _trail(b, second))
        finally:
            b.close()
    finally:
        a.close()
        proc.stop()
