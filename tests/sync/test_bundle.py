"""Offline bundle (USB stick): export from a terminal with no link, import on another terminal
that has one, import again, then let the first terminal send online too — the platform ends with
every case, submission and file exactly once. Done twice: once from a terminal that never
reached the platform, once from one that was cut off half-way through an upload."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from houshi_desk.sync.bundle import BundleError, export_bundle, import_bundle
from tests.sync.conftest import drain, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once

PASS = "u盘口令-2026"


@pytest.fixture
def other_terminal(tmp_path, terminal):
    """A second terminal (its own encrypted store and files) online to the same platform."""
    from houshi_desk.config import load_settings
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import open_store
    from tests.sync.conftest import Terminal

    env = dict(os.environ, HOUSHI_DESK_HOME=str(tmp_path / "home-b"))
    settings = load_settings(env)
    settings.set("office.terminal_id", "W02")
    store = open_store(settings)
    t = Terminal(settings, store, FileStore(settings.paths.data_dir,
                                            _files_key(settings)), terminal.ref)
    yield t
    store.close()


def _files_key(settings):
    from houshi_desk.store.keys import derived_key

    return derived_key(settings.paths.data_dir, settings.paths.database_file, "files")


def test_bundle_round_trip_twice(terminal, other_terminal, tmp_path):
    ref = terminal.ref
    # round 1: terminal A never reached the platform
    a_cases = [terminal.new_case([90_000, 20_000], seed=i) for i in range(2)]
    bundle = tmp_path / "round1.hdb"
    r = export_bundle(terminal.store, terminal.filestore, terminal.settings, bundle, PASS)
    assert (r.cases, r.files) == (2, 4)
    first = import_bundle(other_terminal.store, other_terminal.filestore, bundle, PASS, expect_signer=r.fingerprint)
    assert first.created == r.items and first.skipped == 0
    again = import_bundle(other_terminal.store, other_terminal.filestore, bundle, PASS)
    assert again.created == 0 and again.skipped == r.items
    drain(other_terminal.uploader(chunk_size=32 * 1024))
    assert sorted(s["case_id"] for s in ref.dump()["submissions"]) == sorted(a_cases)
    drain(terminal.uploader(chunk_size=32 * 1024))  # the link came back at A: same keys, nothing new
    assert_exactly_once(terminal)

    # round 2: A is cut off half-way through an upload, then exports what is left
    b_case = terminal.new_case([200_000], seed=7)
    up = terminal.uploader(chunk_size=32 * 1024)
    up.start()
    while not any(r.kind == "upload" and r.remote_offset >= 64 * 1024 for r in outbox_rows(terminal.store, b_case)):
        up.step()
    bundle2 = tmp_path / "round2.hdb"
    export_bundle(terminal.store, terminal.filestore, terminal.settings, bundle2, PASS)
    for _ in range(2):
        import_bundle(other_terminal.store, other_terminal.filestore, bundle2, PASS)
    drain(other_terminal.uploader(chunk_size=32 * 1024))
    drain(terminal.uploader(chunk_size=32 * 1024))
    c = assert_exactly_once(terminal)
    assert c.get("bytes_received", 0) <= sum(r.file_size for r in outbox_rows(terminal.store) if r.kind == "upload") \
        + 4 * 32 * 1024


def test_bundle_refuses_tampering_and_wrong_passphrase(terminal, other_terminal, tmp_path):
    terminal.new_case([10_000])
    bundle = tmp_path / "b.hdb"
    export_bundle(terminal.store, terminal.filestore, terminal.settings, bundle, PASS)
    with pytest.raises(BundleError, match="口令不正确"):
        import_bundle(other_terminal.store, other_terminal.filestore, bundle, "wrong-pass")
    text = bundle.read_text()
    i = text.index('"ciphertext": "') + 40
    bundle.write_text(text[:i] + ("A" if text[i] != "A" else "B") + text[i + 1:])
    with pytest.raises(BundleError, match="签名校验失败"):
        import_bundle(other_terminal.store, other_terminal.filestore, bundle, PASS)
    assert outbox_rows(other_terminal.store) == []


def test_bundle_cli(terminal, tmp_path, logged_in):
    terminal.new_case([5_000])
    env = dict(os.environ, HOUSHI_BUNDLE_PASSPHRASE=PASS)
    out = tmp_path / "cli.hdb"
    p = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "export", str(out)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "签名指纹" in p.stdout
    # no trusted signer configured: refused, nothing imported (issue 14)
    p = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "import", str(out)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "尚未设置可信的离线包签名者" in p.stderr, p.stdout + p.stderr
    from houshi_desk.config import load_settings

    exported = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "export", str(out)], env=env,
                              capture_output=True, text=True, timeout=60)
    fpr = exported.stdout.split("签名指纹：", 1)[1].split("（", 1)[0].strip()
    # a clerk may not trust another signer for one import
    p = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "import", str(out), "--expect-signer", fpr],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "管理员" in p.stderr, p.stdout + p.stderr
    load_settings().set("sync.bundle_signer", fpr)  # provincial IT's setting
    p = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "import", str(out)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "新导入 0 项" in p.stdout, p.stdout + p.stderr
    # a bundle signed by another key than the configured one is refused
    load_settings().set("sync.bundle_signer", "AAAA-BBBB-CCCC-DDDD")
    p = subprocess.run([sys.executable, "-m", "houshi_desk", "bundle", "import", str(out)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "不是由指定终端导出的" in p.stderr, p.stdout + p.stderr
