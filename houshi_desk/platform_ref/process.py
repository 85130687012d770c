"""The reference platform in a child process of its own (``houshi-desk platform serve``).

The demo uses this instead of running the platform inside the window's process: in-process, the
platform's work on every uploaded chunk (hashing, writing) competes with the window for Python's
interpreter lock, and the window stutters — the real platform is remote, so this is also the more
honest rehearsal. The child is told to stop with its parent: it watches its stdin, which only the
parent holds, and exits when that closes (the parent quit, crashed or was killed).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path


class PlatformProcessError(RuntimeError):
    pass


def serve_command(*args: str) -> list[str]:
    """``houshi-desk platform serve ARGS`` from this program: the frozen executable or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "platform", "serve", *args]
    return [sys.executable, "-m", "houshi_desk", "platform", "serve", *args]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PlatformProcess:
    """A running child platform; call it (or ``stop()``) to stop it."""

    def __init__(self, proc: subprocess.Popen, url: str, log_path: Path):
        self.proc, self.url, self.log_path = proc, url, log_path

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is not None:
            return
        try:
            self.proc.stdin.close()  # the child's signal to leave (see module docstring)
        except OSError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    __call__ = stop


def spawn(data_dir: Path, *, clients: dict[str, str] | None = None, step_seconds: float = 30.0,
          timeout: float = 60.0, attempts: int = 3, extra: tuple[str, ...] = (),
          offices: dict[str, str] | None = None) -> PlatformProcess:
    """Start the platform on a free loopback port; returns once it accepts connections.

    ``clients`` (app key → HMAC secret) are registered in ``data_dir`` before the start, so no
    secret appears on a command line; ``offices`` (app key → office code) puts some of them in an
    office, whose terminals share its cases. Its output goes to ``data_dir/serve.log``.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if clients:
        from houshi_desk.platform_ref.store import PlatformStore

        store = PlatformStore(data_dir)
        try:
            for key, secret in clients.items():
                store.add_client(key, secret, office=(offices or {}).get(key))
        finally:
            store.close()
    log_path = data_dir / "serve.log"
    last = ""
    for _ in range(attempts):  # a free port can be taken between choosing and binding it
        port = _free_port()
        cmd = serve_command("--port", str(port), "--data", str(data_dir), "--step-seconds", str(step_seconds),
                            "--stop-with-parent", *extra)
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=log,
                                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if _answers(port):
                return PlatformProcess(proc, f"http://127.0.0.1:{port}", log_path)
            time.sleep(0.1)
        else:
            PlatformProcess(proc, "", log_path).stop(2)
            raise PlatformProcessError(f"参考平台 {timeout:.0f} 秒内没有启动（日志：{log_path}）。")
        try:
            last = log_path.read_text(encoding="utf-8", errors="replace")[-600:]
        except OSError:
            last = ""
    raise PlatformProcessError(f"参考平台未能启动（日志：{log_path}）：{last.strip()[-300:]}")
