"""A hall backup over the connection a real hall uses (issue 17): TLS with certificate check
(verify-full) and a SCRAM password in the URL. pg_dump and pg_restore get the password through
their environment, never on a command line, and the TLS options through the URL; the backup of
the hall store's pages comes back onto a fresh database of the same TLS server."""
from __future__ import annotations

import hashlib

from sqlalchemy import create_engine, text

from tests.hall.conftest import hall, hall_cluster, hall_url  # noqa: F401 - the TLS hall's fixtures
from tests.sync.conftest import make_case


def test_hall_backup_and_restore_over_tls_with_a_password(hall, hall_cluster, tmp_path, monkeypatch):  # noqa: F811
    import subprocess

    from houshi_desk.services.backups import make_backup, where
    from houshi_desk.store import backup as backup_mod
    from houshi_desk.store.hallstore import HallFileStore

    settings, store, _key = hall
    url = settings.database_url
    assert "sslmode=verify-full" in url and where(settings) == "hall", "127.0.0.1 is this PC: the host"
    files = HallFileStore.for_url(url)
    numbers = [make_case(store, settings, files, [40_000, 3_000], seed=i) for i in range(2)]
    with store.engine.connect() as c:
        shas = sorted(c.execute(text("SELECT sha256 FROM material_files")).scalars())
    pages = {sha: hashlib.sha256(files.get(sha)).hexdigest() for sha in shas}

    seen = []
    real_popen, real_run = subprocess.Popen, subprocess.run
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, *a, **kw: seen.append(cmd) or real_popen(cmd, *a, **kw))
    monkeypatch.setattr(subprocess, "run", lambda cmd, *a, **kw: seen.append(cmd) or real_run(cmd, *a, **kw))
    info = make_backup(store, settings, tmp_path / "usb", actor="test")
    name, fresh = hall_cluster.new_database()
    try:
        manifest = backup_mod.restore_hall_backup(settings, info.path, fresh)
        assert manifest["key_kind"] == "hall" and manifest["cases"] == 2
        engine = create_engine(fresh)
        try:
            with engine.connect() as c:
                assert sorted(c.execute(text("SELECT number FROM cases")).scalars()) == sorted(numbers)
        finally:
            engine.dispose()
        restored = HallFileStore.for_url(fresh)
        assert {sha: hashlib.sha256(restored.get(sha)).hexdigest() for sha in shas} == pages
    finally:
        hall_cluster.drop_database(name)
    tools = [cmd for cmd in seen if "pg_dump" in str(cmd[0]) or "pg_restore" in str(cmd[0])]
    assert any("pg_dump" in str(c[0]) for c in tools) and any("pg_restore" in str(c[0]) for c in tools)
    assert not any(hall_cluster.password in " ".join(map(str, c)) for c in tools), "no password on a command line"
