"""A file keyring is rewritten whole on every write, and the "has cases" marker is written after every
saved case: a process killed in that moment must not take the database key with it (CI saw a worker
killed mid-write leave the keyring empty). ``keys.atomic_file_writes`` writes beside and renames."""
from __future__ import annotations

import configparser

import pytest


def test_a_write_that_dies_halfway_leaves_the_keyring_as_it_was(home, monkeypatch):
    import keyring

    from houshi_desk.store import keys

    kr, _errors = keys._keyring()  # the tests' file keyring, made atomic on first use
    kr.set_password("houshi-desk-test", "database-key", "k" * 64)
    path = keyring.get_keyring().file_path
    before = open(path, encoding="utf-8").read()

    real_write = configparser.RawConfigParser.write

    def dies_halfway(self, fp, *a, **kw):
        fp.write("[half")  # what a kill in the middle of writing leaves behind
        raise KeyboardInterrupt("killed while writing the keyring")

    monkeypatch.setattr(configparser.RawConfigParser, "write", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        kr.set_password("houshi-desk-test", "marker", "newer marker")
    monkeypatch.setattr(configparser.RawConfigParser, "write", real_write)

    assert open(path, encoding="utf-8").read() == before
    assert kr.get_password("houshi-desk-test", "database-key") == "k" * 64
    import os

    assert not [f for f in os.listdir(os.path.dirname(path)) if f.startswith(".keyring-")], "temporary left behind"
    kr.set_password("houshi-desk-test", "marker", "newer marker")  # and the next write goes through
    assert kr.get_password("houshi-desk-test", "marker") == "newer marker"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
