"""``houshi-desk hall key create | export FILE | import FILE`` (issue 17): a supervisor makes the hall
key once, exports it passphrase-protected (the recovery key's format, file 0600) and enrolls it into
each window's keyring; the database holds only its fingerprint. A second window, with its own data
folder and keyring, reads the first window's scans once its key is imported — and not before."""
from __future__ import annotations

import io
import json
import stat

import pytest

from tests.conftest import log_in

PASS = "大厅密钥口令-2026"


def _cli(monkeypatch, capsys, *argv, stdin=""):
    from houshi_desk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _switch_terminal(monkeypatch, tmp_path, name: str):
    """Become another window: its own data folder, settings and (file) keyring; same hall database."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from houshi_desk.config import load_settings
    from houshi_desk.store.hallstore import dispose_engines

    root = tmp_path / name
    root.mkdir()
    monkeypatch.setenv("HOUSHI_DESK_HOME", str(root / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    (root / "home").mkdir()
    (root / "home" / "system-settings.toml").write_text('[office]\nmode = "test"\n', encoding="utf-8")
    monkeypatch.setenv("HOUSHI_DESK_SYSTEM_CONFIG", str(root / "home" / "system-settings.toml"))
    keyring.set_keyring(PlaintextKeyring())
    dispose_engines()
    return load_settings()


@pytest.fixture
def hall_terminal(settings, hall_url, monkeypatch, light_argon2):
    from houshi_desk.store.db import open_store

    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", hall_url)
    open_store(settings).close()
    log_in("chief", "supervisor", settings=settings)
    return settings


def test_create_export_import_on_a_second_window(hall_terminal, hall_url, monkeypatch, capsys, tmp_path):
    from sqlalchemy import text

    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store

    code, out, err = _cli(monkeypatch, capsys, "hall", "key", "create")
    assert code == 0, err
    key = hs.keyring_key()
    fp = hs.fingerprint(key)
    assert hs.show(fp) in out and "hall key export" in out
    store = open_store(hall_terminal)
    try:
        with store.session() as s:
            assert hs.database_fingerprint(s) == fp
        with store.engine.connect() as conn:
            everything = " ".join(str(r) for r in conn.execute(text("SELECT * FROM hall_key")))
            audit = " ".join(conn.execute(text("SELECT detail FROM audit_log WHERE action = 'hall_key'")).scalars())
        assert key.hex() not in everything and hs.show(fp) in audit
    finally:
        store.close()
    sha = FileStore.for_settings(hall_terminal).put(b"%PDF-1.4 scanned at window 1")

    # a second create is refused: the keyring already holds the key
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "create")
    assert code == 2 and "已有本大厅的大厅密钥" in err
    # and --force cannot replace a key files are already sealed with
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "create", "--force")
    assert code == 2 and "1 个" in err and "无法读取" in err
    assert hs.keyring_key() == key

    out_file = tmp_path / "hall-key.json"
    code, out, err = _cli(monkeypatch, capsys, "hall", "key", "export", str(out_file), "--passphrase-stdin",
                          stdin=PASS + "\n")
    assert code == 0, err
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert doc["format"] == "houshi-desk-hall-key/1" and doc["kdf"] == "scrypt-n32768-r8-p1"
    assert set(doc) == {"format", "key_id", "kdf", "salt", "nonce", "sealed_key"}  # the recovery file's fields
    assert key.hex() not in out_file.read_text()

    # window 2: own data folder and keyring, same hall database
    w2 = _switch_terminal(monkeypatch, tmp_path, "w02")
    assert hs.keyring_key() is None
    with pytest.raises(Exception, match="本机钥匙串中没有大厅密钥"):
        FileStore.for_settings(w2).get(sha)
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(out_file), "--passphrase-stdin",
                        stdin=PASS + "\n")
    assert code == 2 and "尚未登录" in err  # enrolment is a supervisor's
    log_in("clerk02", "clerk", settings=w2)
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(out_file), "--passphrase-stdin",
                        stdin=PASS + "\n")
    assert code == 2 and "主管" in err and hs.keyring_key() is None
    log_in("chief", "supervisor", settings=w2)
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(out_file), "--passphrase-stdin",
                        stdin="wrong passphrase\n")
    assert code == 2 and "口令不正确" in err and hs.keyring_key() is None
    code, out, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(out_file), "--passphrase-stdin",
                          stdin=PASS + "\n")
    assert code == 0, err
    assert hs.keyring_key() == key
    assert FileStore.for_settings(w2).get(sha) == b"%PDF-1.4 scanned at window 1"


def test_a_clerk_cannot_create_and_a_foreign_key_file_is_refused(hall_terminal, monkeypatch, capsys, tmp_path):
    from houshi_desk.store import hallstore as hs

    log_in("clerk01", "clerk", settings=hall_terminal)
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "create")
    assert code == 2 and "主管" in err and hs.keyring_key() is None
    log_in("chief", "supervisor", settings=hall_terminal)
    foreign = tmp_path / "other-hall.json"
    hs.seal_key_file(hs.new_key(), foreign, PASS)  # another hall's key file
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(foreign), "--passphrase-stdin",
                        stdin=PASS + "\n")
    assert code == 2 and "还没有大厅密钥" in err
    assert _cli(monkeypatch, capsys, "hall", "key", "create")[0] == 0
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(foreign), "--passphrase-stdin",
                        stdin=PASS + "\n")
    assert code == 2 and "不是这个大厅数据库的密钥" in err
    recovery = tmp_path / "recovery.json"
    recovery.write_text(json.dumps({"format": "houshi-desk-recovery-key/1", "key_id": "x", "kdf": "k",
                                    "salt": "", "nonce": "", "sealed_key": ""}), encoding="utf-8")
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "import", str(recovery), "--passphrase-stdin",
                        stdin=PASS + "\n")
    assert code == 2 and "key import" in err


def test_the_hall_key_needs_hall_mode(settings, monkeypatch, capsys, light_argon2):
    log_in("chief", "supervisor", settings=settings)
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "create")
    assert code == 2 and "不是大厅模式" in err


def test_force_replaces_a_key_nothing_is_sealed_with_yet_and_says_so(hall_terminal, monkeypatch, capsys):
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store

    assert _cli(monkeypatch, capsys, "hall", "key", "create")[0] == 0
    old = hs.keyring_key()
    code, _, err = _cli(monkeypatch, capsys, "hall", "key", "create")
    assert code == 2 and "未新建" in err and hs.keyring_key() == old
    code, out, err = _cli(monkeypatch, capsys, "hall", "key", "create", "--force")
    assert code == 0, err
    new = hs.keyring_key()
    assert new != old and "警告" in out and hs.show(hs.fingerprint(old)) in out
    store = open_store(hall_terminal)
    try:
        with store.session() as s:
            assert hs.database_fingerprint(s) == hs.fingerprint(new)
    finally:
        store.close()
