"""The headless commands: register a terminal on the reference platform, log in (secret to the
keyring only), drain with ``sync --once``, read the queue with ``sync --status`` in Chinese."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.sync.conftest import make_case


def _cli(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env or dict(os.environ))


def test_login_sync_status(settings, ref_platform, tmp_path):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import open_store

    secret = _cli("platform", "add-client", "--data", str(ref_platform.data_dir), "w09").stdout.strip()
    assert len(secret) >= 32
    p = _cli("platform", "login", "--url", ref_platform.url, "--app-key", "w09", "--secret-stdin", stdin=secret + "\n")
    assert p.returncode == 0 and "已登录" in p.stdout, p.stderr
    text = settings.paths.config_file.read_text(encoding="utf-8")
    assert "w09" in text and secret not in text  # the secret is in the keyring only
    store = open_store(settings)
    try:
        number = make_case(store, settings, FileStore.for_settings(settings), [20_000])
    finally:
        store.close()
    p = _cli("sync", "--status")
    assert p.returncode == 0 and "待发：1 件案件" in p.stdout and number in p.stdout, p.stdout
    p = _cli("sync", "--once", "--start-delay", "0")
    assert p.returncode == 0 and "仍待发 0 项" in p.stdout, p.stdout + p.stderr
    assert "待发：0 件案件" in _cli("sync", "--status").stdout


def test_sync_without_platform_says_what_to_do(settings, sqlite_store):
    from houshi_desk.scanning.filestore import FileStore

    make_case(sqlite_store, settings, FileStore.for_settings(settings), [])
    p = _cli("sync", "--once", "--start-delay", "0", "--max-wait", "1")
    assert p.returncode == 1 and "platform.url" in p.stdout, p.stdout + p.stderr
    st = _cli("sync", "--status").stdout
    assert "同步已暂停" in st and "已尝试 0 次" in st
