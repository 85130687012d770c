"""The shaped link of houshi_desk/platform_ref/netshape.py (used by the sync bench and T5): its
bottleneck buffer must give the sender back-pressure. Before the fix the proxy read everything the
sender offered at once and scheduled it far into the future (``d.queued`` was never increased), so
a fast sender saw an infinitely deep link buffer."""
from __future__ import annotations

import socket
import threading
import time

from houshi_desk.platform_ref.netshape import MSS, LinkShape, ShapedProxy


def _sink() -> tuple[socket.socket, threading.Thread, list]:
    """A TCP server that reads and counts everything sent to it."""
    srv = socket.create_server(("127.0.0.1", 0))
    got = [0]

    def serve():
        conn, _ = srv.accept()
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                got[0] += len(data)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv, t, got


def test_the_link_buffer_limits_what_the_proxy_accepts_ahead_of_the_link():
    rate_bps, buffer = 16_000, 4096  # 2 KB/s through a 4 KiB bottleneck queue
    srv, _, got = _sink()
    proxy = ShapedProxy("127.0.0.1", srv.getsockname()[1],
                        LinkShape(rate_bps=rate_bps, delay_s=0.01, buffer_bytes=buffer, seed=1))
    host, port = proxy.start()
    client = socket.create_connection((host, port))
    offered = 400_000
    sender = threading.Thread(target=lambda: _send_quietly(client, b"x" * offered), daemon=True)
    t0 = time.monotonic()
    sender.start()
    try:
        time.sleep(0.8)
        accepted, queued = proxy.up.bytes, proxy.up.queued
        elapsed = time.monotonic() - t0
    finally:
        client.close()
        proxy.stop()
        srv.close()
    # What the link can have carried in the time, plus a full buffer and one segment in hand.
    bound = buffer + MSS + rate_bps / 8 * elapsed + MSS
    assert accepted <= bound, (accepted, bound, got[0])
    assert 0 <= queued <= buffer + MSS, queued
    assert accepted > 0


def _send_quietly(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except OSError:
        pass  # the test closes the socket while the sender is still blocked on the slow link
