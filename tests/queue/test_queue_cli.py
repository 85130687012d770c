"""``houshi-desk queue serve|take|status``: the reference queue server started from the command line
(its own process, as provincial IT would run it on one PC of the hall), a ticket taken as the ticket
machine does, and this window's state; a queue system that is down is a message, not a traceback."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from houshi_desk.cli import main
from houshi_desk.queue.http import HttpQueue


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    data = tmp_path / "queue-data"
    proc = subprocess.Popen([sys.executable, "-m", "houshi_desk", "queue", "serve", "--port", str(port),
                             "--data", str(data), "--stop-with-parent"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/queue/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read().decode()
    else:
        proc.kill()
        pytest.fail("queue serve did not come up in 30 s")
    yield url, proc, data
    proc.stdin.close()  # --stop-with-parent: closing our end stops it
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("queue serve did not stop when its parent closed stdin")


def test_serve_take_status(served, home, capsys):
    url, proc, data = served
    assert main(["queue", "take", "--url", url]) == 0
    assert capsys.readouterr().out.strip() == "A001"
    assert main(["queue", "take", "--url", url, "--service", "身后一件事"]) == 0
    assert capsys.readouterr().out.strip() == "A002"
    (home / "settings.toml").write_text(
        f'[queue]\nkind = "reference"\nurl = "{url}"\nwindow = "W07"\n', encoding="utf-8")
    assert HttpQueue(url, "W07").call_next().number == "A001"
    assert main(["queue", "status", "--json"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state == {"window": "W07", "paused": False, "current": "A001", "waiting": 1}
    assert main(["queue", "status"]) == 0
    out = capsys.readouterr().out
    assert "W07" in out and "A001" in out and "等候 1 人" in out
    assert (data / "queue.json").exists() or any(data.iterdir())  # --data keeps the numbers over a restart


def test_queue_down_is_a_message(home, capsys):
    dead = f"http://127.0.0.1:{_free_port()}"
    assert main(["queue", "take", "--url", dead]) == 1
    err = capsys.readouterr().err
    assert "取号失败" in err and "Traceback" not in err
    assert main(["queue", "take", "--url", "A" * 300]) == 1  # a mistyped address
    assert "取号失败" in capsys.readouterr().err
    (home / "settings.toml").write_text(f'[queue]\nkind = "reference"\nurl = "{dead}"\n', encoding="utf-8")
    assert main(["queue", "status"]) == 1
    assert "叫号系统没有响应" in capsys.readouterr().err


def test_no_queue_configured(home, capsys):
    assert main(["queue", "status"]) == 2
    assert "未接叫号系统" in capsys.readouterr().err
    assert main(["queue", "take"]) == 2
    assert "queue.url" in capsys.readouterr().err
    assert main(["queue", "serve", "--port", "70000"]) == 2
    assert "端口" in capsys.readouterr().err
