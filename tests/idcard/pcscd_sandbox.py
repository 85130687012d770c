"""A private pcscd that a test may stop and start, in its own mount namespace.

The shared pcscd (packaging/services.sh) must never be disturbed, and pcscd's socket path is fixed
(/run/pcscd/pcscd.comm). So this script runs under ``unshare -m`` (as root): it mounts a private
tmpfs on /run/pcscd, gives pcscd its own reader.conf.d with one vpcd reader on ``--port``, and runs
a CardWatcher in the same namespace, printing its events as JSON lines. Commands on stdin:
``start`` / ``stop`` (pcscd: a reader service appearing and vanishing — to the watcher the same as
a reader unplugged and plugged back), ``quit``. Answers ``{"ack": cmd}`` lines.
Virtual cards reach the private vpcd over TCP from outside (the network is shared).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

out_lock = threading.Lock()


def say(obj) -> None:
    with out_lock:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run/pcscd"], check=True)
    conf = Path(tempfile.mkdtemp(prefix="pcscd-sandbox-"))
    (conf / "vpcd").write_text(
        'FRIENDLYNAME "Virtual PCD"\n'
        f"DEVICENAME   /dev/null:0x{args.port:04X}\n"
        "LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\n"
        f"CHANNELID    0x{args.port:04X}\n")
    pcscd: subprocess.Popen | None = None

    def start() -> None:
        nonlocal pcscd
        pcscd = subprocess.Popen(["pcscd", "-f", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists("/run/pcscd/pcscd.comm") and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop() -> None:
        nonlocal pcscd
        if pcscd is not None:
            pcscd.terminate()
            pcscd.wait(10)
            pcscd = None

    from houshi_desk.commands.idcard import event_json
    from houshi_desk.idcard.pcsc_reader import PcscReader
    from houshi_desk.idcard.watcher import CardWatcher

    start()
    # vpcd always makes two readers (port and port + 1); watch the first
    watcher = CardWatcher(lambda: PcscReader("Virtual PCD 00 00"), lambda ev: say(event_json(ev)), wait_timeout=0.5,
                          retry_delay=0.2).start()
    say({"ack": "ready"})
    try:
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "start":
                start()
            elif cmd == "stop":
                stop()
            elif cmd == "quit":
                break
            say({"ack": cmd, "watcher_running": watcher.running})
    finally:
        watcher.stop()
        stop()
        shutil.rmtree(conf, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
