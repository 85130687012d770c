"""The reference queue server (its own process) and the HTTP adapter: every operation of
resources/openapi/queue.yaml, two windows never calling the same ticket, a paused window calling
nobody, state kept over a restart, and a server that is down reported as ``QueueUnavailable``."""
from __future__ import annotations

import socket

import httpx
import pytest

from houshi_desk.queue import QueueRefused, QueueUnavailable
from houshi_desk.queue.http import HttpQueue


def test_call_recall_skip_finish_pause_resume(queue_server):
    w1, w2 = HttpQueue(queue_server.url, "W01"), HttpQueue(queue_server.url, "W02")
    assert w1.call_next() is None  # nobody waiting
    a, b, c = queue_server.kiosk(), queue_server.kiosk(), queue_server.kiosk()
    assert (a, b, c) == ("A001", "A002", "A003")
    first = w1.call_next()
    assert first.number == a and first.called_at is not None
    second = w2.call_next()
    assert second.number == b  # the other window got the next one, never the same
    assert w1.recall(a).recalls == 1
    with pytest.raises(QueueRefused) as exc:
        w2.recall(a)  # not the ticket W02 is serving
    assert "不是本窗口" in exc.value.message
    w2.skip(b)
    w1.finish(a)
    w1.finish(a)  # a retried finish is harmless
    st = w1.pause()
    assert st.paused and st.current is None and st.waiting == 1
    with pytest.raises(QueueRefused) as exc:
        w1.call_next()
    assert "暂停" in exc.value.message
    assert not w1.resume().paused
    assert w1.call_next().number == c
    tickets = {t["ticket"]: t for t in httpx.get(f"{queue_server.url}/api/queue/v1/tickets").json()["tickets"]}
    assert tickets[a]["state"] == "finished" and tickets[a]["finished_at"] and tickets[a]["recalls"] == 1
    assert tickets[b]["state"] == "skipped"
    assert tickets[c]["state"] == "called" and tickets[c]["window"] == "W01"


def test_state_survives_a_restart(tmp_path):
    from houshi_desk.queue_ref.process import spawn

    proc = spawn(tmp_path / "q")
    httpx.post(f"{proc.url}/api/queue/v1/tickets", json={})
    assert HttpQueue(proc.url, "W01").call_next().number == "A001"
    proc.stop()
    proc = spawn(tmp_path / "q")
    try:
        httpx.post(f"{proc.url}/api/queue/v1/tickets", json={})
        q = HttpQueue(proc.url, "W01")
        assert q.state().current == "A001"
        assert q.call_next().number == "A002"  # numbering goes on, A001 is not handed out again
    finally:
        proc.stop()


def test_a_queue_system_that_is_down_is_unavailable_not_a_hang():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    q = HttpQueue(f"http://127.0.0.1:{port}", "W01", timeout=1.0)
    with pytest.raises(QueueUnavailable) as exc:
        q.call_next()
    assert "叫号系统没有响应" in exc.value.message


def test_queue_for_settings(settings):
    from houshi_desk.queue import queue_for_settings, window_name

    assert queue_for_settings(settings) is None  # default: no queue
    settings.set("queue.kind", "reference")
    settings.set("queue.url", "http://127.0.0.1:9")
    q = queue_for_settings(settings)
    assert isinstance(q, HttpQueue) and q.window == settings.get("office.terminal_id")
    settings.set("queue.window", "7")
    assert window_name(settings) == "7"
