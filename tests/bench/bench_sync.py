"""Sync benchmark: drain time of a backlog over a shaped link as a ratio of the ideal, bytes
re-sent after interruptions, and the sender's CPU while idle and while sending.

Run:  python tests/bench/bench_sync.py [--mb 10] [--cases 10] [--quick]
(``--mb 40`` is the issue's full backlog: about 21 minutes per shaped run at 256 kbit/s.)

Everything is real: the reference platform on loopback, the throttling proxy of
houshi_desk/platform_ref/netshape.py in front of it — T5's link: 256 kbit/s with a 150 ms round
trip (75 ms each way), 0 % and 2 % loss — and the sender is the ``houshi-desk sync --once`` command
in a subprocess, so its CPU is its own (``os.wait4`` rusage). The baseline, measured in the same
run, is the ideal time bytes ÷ bandwidth; the same backlog over the unshaped loopback is a row too.
``--quick`` (the CI check that the bench runs): a 0.1 MB backlog, no 2 % loss run, 2 s idle.
Rows in the common format of tests/bench/benchrows.py; a missed goal shows in the row, not the
exit code.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

APP_KEY = "bench-terminal"
RATE_BPS = 256_000
ONE_WAY_S = 0.075  # T5: 150 ms round trip


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.update(HOUSHI_DESK_HOME=str(home / "home"), HOUSHI_DESK_SYSTEM_CONFIG=str(home / "none.toml"),
               XDG_DATA_HOME=str(home / "xdg-data"), XDG_CONFIG_HOME=str(home / "xdg-config"),
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    env.pop("HOUSHI_DESK_DATABASE_URL", None)
    return env


def _run_sender(env: dict, args: list[str], timeout: float | None = None, stop_after: float | None = None):
    """Run ``houshi-desk sync`` as a child; returns (wall seconds, cpu seconds, exit code)."""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "houshi_desk", "sync", "--start-delay", "0", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stop_after is not None:
        time.sleep(stop_after)
        proc.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - t0, usage.ru_utime + usage.ru_stime, proc.returncode


class Bench:
    def __init__(self, cases: int, total_bytes: int):
        self.cases, self.total = cases, total_bytes
        self.tmp = Path(tempfile.mkdtemp(prefix="houshi-bench-"))
        self.run_no = 0

    def terminal(self, url: str, secret: str):
        """A fresh terminal home with the backlog enqueued and the platform URL set."""
        self.run_no += 1
        home = self.tmp / f"t{self.run_no}"
        env = _env(home)
        old = dict(os.environ)
        os.environ.update(env)
        try:
            import keyring.core

            keyring.core._keyring_backend = None  # pick the env's file keyring for this home
            from houshi_desk.config import load_settings
            from houshi_desk.scanning.filestore import FileStore
            from houshi_desk.store.db import open_store
            from houshi_desk.sync.credentials import save_secret
            from tests.sync.conftest import make_case

            settings = load_settings()
            settings.set("platform.url", url)
            settings.set("platform.app_key", APP_KEY)
            settings.set("sync.interval_seconds", 3600)
            save_secret(APP_KEY, secret)
            store = open_store(settings)
            files = FileStore.for_settings(settings)
            per_case = self.total // max(1, self.cases)
            for i in range(self.cases):
                big = int(per_case * 0.75)
                make_case(store, settings, files, [big, per_case - big], seed=1000 * self.run_no + i)
            store.close()
        finally:
            os.environ.clear()
            os.environ.update(old)
        return env

    def drain(self, link_shape=None, label=""):
        from houshi_desk.platform_ref.netshape import ShapedProxy, ideal_seconds
        from houshi_desk.platform_ref.server import run_in_thread

        secret = secrets.token_urlsafe(16)
        url, stop = run_in_thread(self.tmp / f"platform{self.run_no + 1}", clients={APP_KEY: secret})
        proxy = None
        try:
            if link_shape is not None:
                host, port = url.split("//")[1].split(":")
                proxy = ShapedProxy(host, int(port), link_shape)
                phost, pport = proxy.start()
                url = f"http://{phost}:{pport}"
            env = self.terminal(url, secret)
            wall, cpu, rc = _run_sender(env, ["--once", "--max-wait", "600"])
            dump = stop.platform.store.dump()
            assert rc == 0 and len(dump["submissions"]) == self.cases, (rc, len(dump["submissions"]))
            sent = dump["counters"].get("bytes_received", 0)
        finally:
            if proxy:
                proxy.stop()
            stop()
        ideal = ideal_seconds(self.total, link_shape) if link_shape else None
        return {"label": label, "wall": wall, "cpu": cpu, "ideal": ideal, "ratio": wall / ideal if ideal else None,
                "resent": sent - self.total, "lost": proxy.up.lost if proxy else 0}

    def idle_cpu(self, seconds: float = 20.0):
        from houshi_desk.platform_ref.server import run_in_thread

        secret = secrets.token_urlsafe(16)
        url, stop = run_in_thread(self.tmp / "platform-idle", clients={APP_KEY: secret})
        try:
            saved, self.cases = self.cases, 0
            env = self.terminal(url, secret)
            self.cases = saved
            _, start_cpu, _ = _run_sender(env, ["--once", "--max-wait", "0"])
            _, cpu, _ = _run_sender(env, [], stop_after=seconds)
        finally:
            stop()
        return cpu, start_cpu, seconds

    def resend_after_interruptions(self):
        """In-process uploader against a platform that closes 10 % of chunk uploads mid-way and
        drops 10 % of chunk replies after storing them."""
        from houshi_desk.platform_ref.faults import Faults
        from houshi_desk.platform_ref.server import run_in_thread
        from houshi_desk.sync.client import PlatformClient
        from houshi_desk.sync.clock import FakeClock
        from houshi_desk.sync.uploader import Uploader

        secret = secrets.token_urlsafe(16)
        faults = Faults(rates={"close_mid_upload": 0.1, "drop": 0.1}, route="PATCH", seed=1)
        url, stop = run_in_thread(self.tmp / "platform-resend", clients={APP_KEY: secret}, faults=faults)
        old = dict(os.environ)
        try:
            env = self.terminal(url, secret)
            os.environ.update(env)
            from houshi_desk.config import load_settings
            from houshi_desk.scanning.filestore import FileStore
            from houshi_desk.store.db import open_store

            settings = load_settings()
            store = open_store(settings)
            up = Uploader(store, client_factory=lambda: PlatformClient(url, APP_KEY, secret),
                          filestore=FileStore.for_settings(settings), clock=FakeClock(), start_delay=0,
                          link_return_delay=0, pull_interval=3600)
            up.run(once=True, max_wait=3600)
            store.close()
            interruptions = faults.injected.get("close_mid_upload", 0)
            return {"attempted": up.stats.bytes_attempted, "total": self.total,
                    "resent": up.stats.bytes_attempted - self.total, "interruptions": interruptions,
                    "dropped_replies": faults.injected.get("drop", 0), "chunk": settings.get("sync.chunk_size")}
        finally:
            os.environ.clear()
            os.environ.update(old)
            stop()


def main(argv=None) -> int:
    from houshi_desk.platform_ref.netshape import LinkShape

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="backlog size in MB (issue: 40)")
    ap.add_argument("--cases", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="0.1 MB, no 2 %% loss run, short idle")
    args = ap.parse_args(argv)
    if args.quick:
        args.mb, args.cases = 0.1, 2
    b = Bench(args.cases, int(args.mb * 1_000_000))
    print(f"backlog: {args.cases} cases, {b.total / 1e6:.1f} MB of attachments")
    base = b.drain(None, "loopback, unshaped")
    row(f"drain {b.total / 1e6:.1f} MB over unshaped loopback", None, base["wall"], unit="s")
    for loss, target in ([(0.0, 1.25)] if args.quick else [(0.0, 1.25), (0.02, 2.0)]):
        r = b.drain(LinkShape(rate_bps=RATE_BPS, delay_s=ONE_WAY_S, loss=loss, seed=1),
                    f"{RATE_BPS // 1000} kbit/s, {2 * ONE_WAY_S * 1000:.0f} ms RTT, {loss:.0%} loss")
        row(f"drain {b.total / 1e6:.1f} MB over {r['label']}", r["ideal"], r["wall"], unit="s",
            baseline_what="ideal bytes ÷ bandwidth", goal=f"≤ {target}× ideal", met=r["ratio"] <= target)
        row(f"  … bytes re-sent ({r['lost']} segments lost)", None, r["resent"], unit="B")
        row(f"  … sender CPU while sending", None, 100 * r["cpu"] / r["wall"], unit="% of one core")
    rs = b.resend_after_interruptions()
    bound = rs["interruptions"] * rs["chunk"]
    row(f"bytes re-sent after {rs['interruptions']} cut uploads and {rs['dropped_replies']} lost replies",
        bound, rs["resent"], unit="B", baseline_what="bound: cuts × chunk size", goal="≤ bound",
        met=rs["resent"] <= bound)
    cpu, start_cpu, secs = b.idle_cpu(2.0 if args.quick else 20.0)
    row(f"sender CPU while idle ({secs:.0f} s, start-up and exit measured alone and taken off)", None,
        100 * max(0.0, cpu - start_cpu) / secs, unit="% of one core", goal="≈ 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
