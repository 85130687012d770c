"""T5's link: 256 kbit/s with 150 ms each way, with and without 2 % loss, between the sender and
the reference platform. This test checks that sync over such a link is correct (exactly once,
every file intact) and prints the drain-time ratio; the ratio targets themselves (≤ 1.25 at 0 %,
≤ 2 at 2 %) are measured on a bigger backlog by tests/bench/bench_sync.py (house rule: no timed
asserts in unit tests).

How the link is shaped: a throttling TCP proxy (houshi_desk/platform_ref/netshape.py), not
``tc netem`` in a network namespace — the kernel here has no ``sch_netem`` module (``tc qdisc
add … netem`` fails with "Specified qdisc kind is unknown"), CI machines may not either, and the
proxy needs no root. Loss is modelled as TCP's fast-retransmit cost (one RTT stall + resend).
"""
from __future__ import annotations

import time

import pytest

from houshi_desk.platform_ref.netshape import LinkShape, ShapedProxy, ideal_seconds
from houshi_desk.sync.clock import Clock
from tests.sync.conftest import APP_KEY, drain, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once


@pytest.mark.parametrize("loss", [0.0, 0.02])
def test_T5_sync_over_shaped_link(terminal, loss):
    from houshi_desk.sync.client import PlatformClient

    host, port = terminal.ref.url.rsplit(":", 1)
    shape = LinkShape(rate_bps=256_000, delay_s=0.150, loss=loss, seed=5)
    proxy = ShapedProxy(host.split("//")[1], int(port), shape)
    phost, pport = proxy.start()
    try:
        terminal.new_case([150_000, 50_000], seed=1)
        nbytes = sum(r.file_size for r in outbox_rows(terminal.store) if r.kind == "upload")
        up = terminal.uploader(clock=Clock(), chunk_size=256 * 1024, pull_interval=3600)
        up.client_factory = lambda: PlatformClient(f"http://{phost}:{pport}", APP_KEY, terminal.ref.secret)
        t0 = time.monotonic()
        drain(up)
        took = time.monotonic() - t0
    finally:
        proxy.stop()
    assert_exactly_once(terminal)
    assert proxy.up.bytes >= nbytes
    if loss:
        assert proxy.up.lost > 0
    print(f"\nT5 (loss {loss:.0%}): {nbytes} B in {took:.1f} s, ideal {ideal_seconds(nbytes, shape):.1f} s, "
          f"ratio {took / ideal_seconds(nbytes, shape):.2f} (small backlog: per-request round trips weigh more)")
