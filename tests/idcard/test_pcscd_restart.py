"""The watcher against a PC/SC service that goes away and comes back (a reader unplugged and plugged
back, seen through the real pcscd), including in the middle of a read. Uses a private pcscd in its
own mount namespace (tests/idcard/pcscd_sandbox.py) so the shared one is never touched."""
from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from houshi_desk.idcard.virtual_card import VirtualCard

HERE = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    def __init__(self, port: int):
        self.port = port
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(["unshare", "-m", sys.executable, str(HERE / "pcscd_sandbox.py"),
                                      "--port", str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def next(self, timeout: float = 8.0) -> dict:
        try:
            item = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"sandbox said nothing within {timeout} s") from None
        assert item is not None, "sandbox ended"
        return item

    def events(self, n: int) -> list[str]:
        out = []
        while len(out) < n:
            item = self.next()
            if "event" in item:
                out.append(item["event"])
                self.last = item
        return out

    def command(self, cmd: str) -> None:
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        try:
            self.command("quit")
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def sandbox(persons):
    if os.geteuid() != 0:
        pytest.skip("needs root to run a private pcscd in its own mount namespace")
    for tool in ("unshare", "pcscd", "mount"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not installed: cannot run a private pcscd")
    if not Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so").exists():
        pytest.skip("vsmartcard-vpcd not installed")
    box = Sandbox(_free_port())
    first = box.next(15)
    if first.get("ack") != "ready":
        box.close()
        pytest.skip(f"private pcscd did not start: {first}")
    yield box
    box.close()


def test_watcher_survives_the_reader_service_going_and_coming_back(sandbox, persons):
    assert sandbox.events(1) == ["ReaderAdded"]
    card = VirtualCard(persons["applicant"], sandbox.port).insert()
    assert sandbox.events(2) == ["CardInserted", "CardRead"]
    sandbox.command("stop")  # the reader disappears (with the card on it)
    assert sandbox.events(3) == ["CardRemoved", "ReaderRemoved", "ServiceProblem"]
    card.remove()
    sandbox.command("start")  # plugged back
    assert sandbox.events(1) == ["ReaderAdded"]
    VirtualCard(persons["foreign_2023"], sandbox.port).insert()
    assert sandbox.events(2) == ["CardInserted", "CardRead"]
    assert sandbox.last["identity"]["card_type"] == "foreign_2023"
    sandbox.command("ping")
    while "ack" not in (item := sandbox.next()) or item["ack"] != "ping":
        pass
    assert item["watcher_running"] is True


def test_reader_unplugged_mid_read_is_a_clear_failure_not_a_crash(sandbox, persons):
    assert sandbox.events(1) == ["ReaderAdded"]
    VirtualCard(persons["applicant"], sandbox.port, answer_delay=0.5).insert()
    assert sandbox.events(1) == ["CardInserted"]
    sandbox.command("stop")  # while the photo is still coming
    kinds = sandbox.events(4)
    assert kinds == ["ReadFailed", "CardRemoved", "ReaderRemoved", "ServiceProblem"], kinds
    sandbox.command("start")
    assert sandbox.events(1) == ["ReaderAdded"]
    VirtualCard(persons["deceased"], sandbox.port).insert()
    assert sandbox.events(2) == ["CardInserted", "CardRead"]
