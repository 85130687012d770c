"""The reference platform as a child process (what the demo runs): it starts on a free port,
answers the real sync client, stops when asked, and never outlives a parent that was killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from houshi_desk.platform_ref.process import PlatformProcessError, spawn


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_spawned_platform_serves_a_registered_terminal_and_stops(tmp_path):
    from houshi_desk.sync.client import PlatformClient

    running = spawn(tmp_path / "platform", clients={"t1": "s3cret-t1"}, step_seconds=0.2)
    try:
        assert running.running and running.url.startswith("http://127.0.0.1:")
        client = PlatformClient(running.url, "t1", "s3cret-t1")
        try:
            client.session_info()  # a signed request the child checks against its own store
        finally:
            client.close()
        assert "s3cret" not in " ".join(running.proc.args)  # no secret on a command line
    finally:
        running.stop()
    assert not running.running
    with pytest.raises(httpx.TransportError):
        httpx.get(running.url, timeout=2)


def test_the_platform_leaves_when_its_parent_is_killed(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from houshi_desk.platform_ref.process import spawn
        p = spawn({str(tmp_path / 'platform')!r}, step_seconds=0.2)
        print(p.proc.pid, flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the platform outlived the program that started it"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_platform_that_cannot_start_is_a_clear_error(tmp_path):
    with pytest.raises(PlatformProcessError, match="参考平台未能启动") as err:
        spawn(tmp_path / "platform", timeout=20, attempts=1, extra=("--fault", "no-such-fault=2"))
    assert "serve.log" in str(err.value)
