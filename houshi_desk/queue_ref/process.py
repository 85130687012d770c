"""The reference queue server in a child process of its own, like the reference platform
(houshi_desk/platform_ref/process.py): a free loopback port, output to ``data_dir/queue.log``, and the
child leaves when its parent does (it watches its stdin, which only the parent holds)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from houshi_desk.platform_ref.process import PlatformProcess, _answers, _free_port


class QueueProcessError(RuntimeError):
    pass


class QueueProcess(PlatformProcess):
    """A running child queue server; call it (or ``stop()``) to stop it."""


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "houshi_desk.queue_ref", *args]


def spawn(data_dir: Path, *, port: int | None = None, timeout: float = 30.0, attempts: int = 3) -> QueueProcess:
    """Start the queue server on a (free) loopback port; returns once it accepts connections."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "queue.log"
    for _ in range(attempts if port is None else 1):
        p = port or _free_port()
        cmd = serve_command("--port", str(p), "--data", str(data_dir), "--stop-with-parent")
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=log,
                                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if _answers(p):
                return QueueProcess(proc, f"http://127.0.0.1:{p}", log_path)
            time.sleep(0.1)
        QueueProcess(proc, "", log_path).stop(2)
    raise QueueProcessError(f"参考叫号服务未能启动（日志：{log_path}）。")
