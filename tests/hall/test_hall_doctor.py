"""``houshi-desk doctor`` tells provincial IT whether this window's hall key is the hall's: enrolled and
matching (with its fingerprint), missing (what to run), or not needed on a single-window PC."""
from __future__ import annotations

import json


def _row(capsys) -> dict:
    rows = json.loads(capsys.readouterr().out)
    return next(r for r in rows if r["item"] == "大厅密钥")


def test_doctor_shows_the_hall_key(hall, capsys):
    from houshi_desk.cli import main
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.keys import SERVICE, _keyring

    settings, store, key = hall
    main(["doctor", "--json"])
    row = _row(capsys)
    assert row["status"] == "ok" and hs.show(hs.fingerprint(key)) in row["detail"]
    keyring, _errors = _keyring()
    keyring.delete_password(SERVICE, hs._ENTRY)  # a window nobody enrolled
    main(["doctor", "--json"])
    row = _row(capsys)
    assert row["status"] == "fail" and "没有大厅密钥" in row["detail"] and "hall key import" in row["detail"]


def test_single_window_needs_no_hall_key(home, capsys):
    from houshi_desk.cli import main

    main(["doctor", "--json"])
    row = _row(capsys)
    assert row["status"] == "ok" and "单机模式" in row["detail"]
