"""The sender against a misbehaving platform (T2, T4 and the issue's “bad input” list): replies
dropped after the commit, 5xx, 429 with Retry-After, slow bodies, connections closed mid-upload,
garbage and wrong content types, a revoked credential, a clock far off. No crash, no duplicate,
no loss; each item's state and last error say what happened in plain Chinese."""
from __future__ import annotations

import hashlib
import logging
from collections import Counter

from houshi_desk.sync.clock import FakeClock
from tests.sync.conftest import APP_KEY, drain, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once

CHUNK = 32 * 1024


def test_T2_twenty_percent_of_replies_dropped(terminal):
    for i in range(5):
        terminal.new_case([120_000, 40_000], seed=i)
    terminal.ref.platform.faults.update({"rates": {"drop": 0.2}, "seed": 2})
    up = terminal.uploader(chunk_size=CHUNK)
    drain(up)
    c = assert_exactly_once(terminal)
    assert terminal.ref.platform.faults.injected.get("drop", 0) >= 5
    assert c.get("idempotent_replays", 0) >= 1  # a dropped create/submit was answered from the store


def test_every_fault_kind_at_once_still_exactly_once(terminal):
    for i in range(4):
        terminal.new_case([100_000, 30_000], seed=i)
    terminal.ref.platform.faults.update({"rates": {"drop": 0.08, "5xx": 0.08, "429": 0.05, "slow": 0.05,
                                                   "close_mid_upload": 0.08, "garbage": 0.05, "bad_json": 0.05},
                                         "slow_seconds": 0.2, "retry_after": 3, "seed": 9})
    up = terminal.uploader(chunk_size=CHUNK)
    drain(up)
    assert_exactly_once(terminal)
    injected = terminal.ref.platform.faults.injected
    assert len(injected) == 7, injected
    assert not up.stats.errors  # no unexpected exception inside the uploader


def test_T4_interrupted_upload_resends_at_most_one_chunk(terminal):
    size = 20 * CHUNK + 123
    terminal.new_case([size])
    # interrupt the upload five times: twice the connection closes mid-chunk (the chunk is lost and
    # must be re-sent), three times the reply is lost after the chunk was stored (nothing to re-send)
    terminal.ref.platform.faults.update({"script": ["close_mid_upload:PATCH:", "drop:PATCH:", "drop:PATCH:",
                                                    "close_mid_upload:PATCH:", "drop:PATCH:"]})
    up = terminal.uploader(chunk_size=CHUNK)
    drain(up)
    assert_exactly_once(terminal)
    resent = up.stats.bytes_attempted - size
    assert resent <= 2 * CHUNK, resent  # one chunk for each connection lost mid-chunk, nothing else


def test_429_retry_after_is_honoured(terminal):
    terminal.new_case([])
    terminal.ref.platform.faults.update({"script": ["429:POST:/cases$"], "retry_after": 120})
    clock = FakeClock()
    up = terminal.uploader(clock=clock)
    up.start()
    t0 = clock.now()
    assert up.step() == "worked"
    row = outbox_rows(terminal.store)[0]
    assert row.state == "retry_wait" and "繁忙" in row.last_error
    assert (row.next_attempt_at - t0).total_seconds() >= 120
    assert up.step() == "waiting"  # the whole queue holds back, not only the item
    drain(up, start=False)
    assert (clock.now() - t0).total_seconds() >= 120
    assert {r.state for r in outbox_rows(terminal.store)} == {"acked"}


def test_revoked_credential_pauses_queue_until_login(terminal):
    from houshi_desk.sync.credentials import save_secret
    from houshi_desk.sync.service import client_from_settings
    from houshi_desk.sync.uploader import Uploader

    terminal.new_case([5000])
    terminal.ref.platform.store.add_client(APP_KEY, terminal.ref.secret, revoked=True)
    clock = FakeClock()
    up = Uploader(terminal.store, client_factory=lambda: client_from_settings(terminal.settings),
                  filestore=terminal.filestore, clock=clock, start_delay=0, link_return_delay=0)
    up.start()
    up.step()
    assert up.paused is not None and "重新登录" in up.paused.message
    rows = outbox_rows(terminal.store)
    assert rows[0].state == "retry_wait" and "重新登录" in rows[0].last_error
    for _ in range(5):  # paused: no item is tried while the credential is refused
        clock.sleep(61)
        assert up.step() == "paused"
    assert outbox_rows(terminal.store)[0].attempts == 1
    new_secret = "new-secret-after-login"
    terminal.ref.platform.store.add_client(APP_KEY, new_secret)
    save_secret(APP_KEY, new_secret)  # what `houshi-desk platform login` does
    clock.sleep(61)
    drain(up, start=False)
    assert {r.state for r in outbox_rows(terminal.store)} == {"acked"}


def test_clock_far_off_says_so_in_chinese(terminal):
    import time

    terminal.new_case([])
    up = terminal.uploader(client_kw={"time_source": lambda: time.time() + 3600})
    up.start()
    up.step()
    assert up.paused is not None and up.paused.code == "clock_skew"
    assert "本机时间与平台相差过大，请校准系统时间" in outbox_rows(terminal.store)[0].last_error


def test_wrong_secret_and_sm3_signing(terminal):
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.errors import AuthError

    ok = PlatformClient(terminal.ref.url, APP_KEY, terminal.ref.secret, signer="sm3").session_info()
    assert ok["app_key"] == APP_KEY
    try:
        PlatformClient(terminal.ref.url, APP_KEY, "wrong").session_info()
    except AuthError as exc:
        assert exc.code == "login"
    else:
        raise AssertionError("a bad signature was accepted")


def test_secrets_and_id_numbers_never_logged(terminal, caplog):
    caplog.set_level(logging.DEBUG)
    terminal.new_case([50_000])
    terminal.ref.platform.faults.update({"rates": {"5xx": 0.2, "drop": 0.2}, "seed": 3})
    drain(terminal.uploader(chunk_size=CHUNK))
    text = caplog.text
    assert terminal.ref.secret not in text
    for number in ("11010519491231002X", "360426199101010071"):
        assert number not in text
    settings_text = terminal.settings.paths.config_file.read_text(encoding="utf-8")
    assert terminal.ref.secret not in settings_text and APP_KEY in settings_text


def test_local_attachment_damaged_needs_attention_others_drain(terminal):
    bad = terminal.new_case([4000], seed=1)
    good = terminal.new_case([4000], seed=2)
    sha = next(r.file_sha256 for r in outbox_rows(terminal.store, bad) if r.kind == "upload")
    terminal.filestore.path(sha).unlink()
    drain(terminal.uploader())
    states = Counter((r.case_number, r.kind, r.state) for r in outbox_rows(terminal.store))
    assert states[(bad, "upload", "needs_attention")] == 1
    assert states[(good, "submit", "acked")] == 1
    msg = next(r.last_error for r in outbox_rows(terminal.store, bad) if r.kind == "upload")
    assert "重新扫描" in msg
    assert hashlib.sha256(b"").hexdigest()  # keep hashlib import used
