"""Hall benchmark (issue 17): several windows on one PostgreSQL, scans in the hall store.

    python tests/bench/bench_hall.py [--cases 60] [--pg ADMIN_URL] [--quick]

Two runs on fresh databases of the same server (``--pg`` or HOUSHI_TEST_PG_URL; no TLS here, the
TLS hall is tests/hall), each window a real process (tests/hall/terminal_worker.py: own data folder
and keyring, hall key from the exported file) against the reference platform on loopback, whose
chunk replies trickle out for 50 ms (a slow provincial link):

1. one window accepts ``--cases`` cases (two scanned pages each, made before the clock starts), then
   drains the outbox alone;
2. three windows accept the same number of cases between them, all starting at one moment; then
   they drain together, and one is killed with ``kill -9`` in the middle of an attachment — the others
   take its item over when its 3 s lease runs out.

Rows: cases accepted per second, three windows vs one; drain time with a window killed vs one window
alone (the goal: every case and file delivered exactly once, and no slower than one window plus the
lease). ``--quick``: 6 cases. Rows in the common format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from benchrows import row  # noqa: E402


def _line(proc, prefix: str, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"window exited before {prefix}: {proc.stderr.read()[-3000:]}")
        if line.startswith(prefix):
            return line.strip()
    raise RuntimeError(f"no {prefix} within {timeout} s")


def run_hall(admin_url: str, work: Path, windows: int, cases: int, *, kill: bool) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from houshi_desk.config import load_settings
    from houshi_desk.platform_ref.server import run_in_thread
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store
    from tests.hall.conftest import enroll_new_key
    from tests.hall.test_three_terminals import (PASS, TERMINALS, Hall, assert_delivered_exactly_once,
                                                 mid_upload_item, spawn)

    import secrets

    name = f"bench_hall_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    run_dir = work / name
    run_dir.mkdir()
    secret = secrets.token_urlsafe(24)
    keys = {f"terminal-{t.lower()}": secret for t in TERMINALS}
    purl, stop = run_in_thread(run_dir / "platform", clients=keys, offices={k: "150702" for k in keys})
    stop.platform.processing.step_seconds = 0.3
    stop.platform.faults.update({"rates": {"slow": 1.0}, "slow_seconds": 0.05, "route": "^PATCH ", "seed": 3})
    os.environ["HOUSHI_DESK_DATABASE_URL"] = url
    store = open_store(load_settings())
    procs = []
    try:
        key = enroll_new_key(store, actor="bench")
        key_file = run_dir / "hall-key.json"
        hs.seal_key_file(key, key_file, PASS)
        env = dict(os.environ, HALL_TEST_KEY_FILE=str(key_file), HALL_TEST_KEY_PASS=PASS, HALL_TEST_PLATFORM_URL=purl,
                   HALL_TEST_APP_SECRET=secret, PYTHONPATH=str(ROOT))
        go, drain_go = run_dir / "go", run_dir / "drain-go"
        share = [cases // windows + (1 if i < cases % windows else 0) for i in range(windows)]
        first = 1000
        for i in range(windows):
            procs.append(spawn(run_dir, env, TERMINALS[i], first, share[i], "--go", str(go), "--drain-go", str(drain_go),
                               "--max-wait", "30"))
            first += share[i]
        for p in procs:
            _line(p, "READY")
        t0 = time.monotonic()
        go.touch()
        for p in procs:
            _line(p, "ACCEPTED")
        accept_s = time.monotonic() - t0
        t1 = time.monotonic()
        drain_go.touch()
        killed = None
        if kill:
            victim = procs[0]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and victim.poll() is None:
                item = mid_upload_item(store, victim.pid)
                if item is not None:
                    victim.send_signal(signal.SIGKILL)
                    killed = item
                    break
                time.sleep(0.01)
            victim.wait(timeout=60)
        for p in procs:
            if p is not procs[0] or not kill:
                _line(p, "ACKED")
        drain_s = time.monotonic() - t1
        for p in procs:
            p.wait(timeout=60)
        info = assert_delivered_exactly_once(Hall(store, run_dir / "platform", stop.platform), FileStore.for_settings())
        assert info["cases"] == cases, info
        return {"accept_s": accept_s, "drain_s": drain_s, "killed": killed, "info": info}
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        store.close()
        stop()
        hs.dispose_engines()
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                              "AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--pg", default=os.environ.get("HOUSHI_TEST_PG_URL"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if not args.pg:
        print("bench_hall: no PostgreSQL (give --pg or start packaging/services.sh for HOUSHI_TEST_PG_URL)")
        return 2
    cases = 6 if args.quick else args.cases
    work = Path(tempfile.mkdtemp(prefix="bench-hall-"))
    # a private home, keyring and test-mode settings: the bench never touches real data
    (work / "home").mkdir()
    (work / "home" / "system-settings.toml").write_text('[office]\nmode = "test"\n', encoding="utf-8")
    os.environ.update(HOUSHI_DESK_HOME=str(work / "home"), XDG_DATA_HOME=str(work / "xdg"),
                      HOUSHI_DESK_SYSTEM_CONFIG=str(work / "home" / "system-settings.toml"),
                      PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    os.chmod(work, 0o755)

    print(f"hall: {cases} cases (2 scanned pages each), one window, then three windows on one PostgreSQL", flush=True)
    one = run_hall(args.pg, work, 1, cases, kill=False)
    print(f"  one window: accepted in {one['accept_s']:.1f} s, drained in {one['drain_s']:.1f} s", flush=True)
    three = run_hall(args.pg, work, 3, cases, kill=True)
    k = three["killed"]
    print(f"  three windows: accepted in {three['accept_s']:.1f} s, drained in {three['drain_s']:.1f} s; "
          + (f"W01 killed at offset {k.remote_offset} of {k.file_size}" if k else "W01 finished before a kill landed mid-upload"),
          flush=True)

    rate1, rate3 = cases / one["accept_s"], cases / three["accept_s"]
    row(f"hall: cases accepted per second, 3 windows on one PostgreSQL ({cases} cases with scans)", rate1, rate3,
        unit="cases/s", baseline_what="1 window", goal="> 1× (more windows, more cases)", met=rate3 > rate1)
    lease = 3.0
    ok = three["drain_s"] <= one["drain_s"] + lease and k is not None
    row(f"hall: upload drain, 3 windows with one killed mid-upload ({cases} cases)", one["drain_s"], three["drain_s"],
        unit="s", baseline_what="1 window alone",
        goal=f"every file once, hashes matching; ≤ 1 window + lease ({lease:.0f} s)", met=ok)
    return 0


if __name__ == "__main__":
    sys.exit(main())
