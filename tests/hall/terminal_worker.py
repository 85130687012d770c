"""One hall window as its own process, for tests/hall/test_three_terminals.py and
tests/bench/bench_hall.py: its own data folder and keyring (from the environment), the hall key
enrolled from the supervisor's exported file, then cases accepted with scanned pages through the
window's use case (``services.accept.accept_case``), then the outbox drained by the real uploader
with a short lease. Prints ``READY``, ``ACCEPTED <n> <seconds>`` and ``ACKED <n> <seconds>``.

    python -m tests.hall.terminal_worker TERMINAL_ID FIRST_SEQ N_CASES [--lease S] [--chunk B]
        [--no-drain] [--no-accept] [--max-wait S] [--pages-dpi D] [--go FILE] [--drain-go FILE]

``--go`` / ``--drain-go``: wait for that file to exist before accepting / before draining, so a
bench starts several windows' work at one moment.

Environment: HOUSHI_DESK_HOME, XDG_DATA_HOME (its keyring), HOUSHI_DESK_DATABASE_URL (the hall),
HALL_TEST_KEY_FILE + HALL_TEST_KEY_PASS (the hall key file), HALL_TEST_PLATFORM_URL, HALL_TEST_APP_SECRET.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("terminal")
    ap.add_argument("first", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("--lease", type=float, default=3.0)
    ap.add_argument("--chunk", type=int, default=8 * 1024)
    ap.add_argument("--max-wait", type=float, default=20.0)
    ap.add_argument("--no-drain", action="store_true")
    ap.add_argument("--no-accept", action="store_true")
    ap.add_argument("--pages-dpi", type=int, default=100)
    ap.add_argument("--go", default=None)
    ap.add_argument("--drain-go", default=None)
    args = ap.parse_args(argv)

    from pathlib import Path

    from houshi_desk.config import load_settings
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.scanning.synthetic import a4_page
    from houshi_desk.services.accept import accept_case
    from houshi_desk.services.cases import case_from_dict, sample_case_dict
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store
    from houshi_desk.sync.credentials import save_secret
    from houshi_desk.sync.service import client_from_settings
    from houshi_desk.sync.uploader import Uploader
    from houshi_desk.users.accounts import User
    from houshi_desk.users.roles import Role

    settings = load_settings()
    settings.set("office.terminal_id", args.terminal)
    settings.set("platform.url", os.environ["HALL_TEST_PLATFORM_URL"])
    settings.set("platform.app_key", f"terminal-{args.terminal.lower()}")
    save_secret(f"terminal-{args.terminal.lower()}", os.environ["HALL_TEST_APP_SECRET"])
    # the supervisor's enrolment (houshi-desk hall key import), done here without the login step
    if hs.keyring_key() is None:
        hs.save_keyring_key(hs.open_key_file(Path(os.environ["HALL_TEST_KEY_FILE"]), os.environ["HALL_TEST_KEY_PASS"]))
    store = open_store(settings)
    assert store.is_hall_mode
    # the "scanner" works before the clock starts: what is timed is the window's accepting
    scans = {k: {"death_cert_medical": ([a4_page(args.pages_dpi, seed=2 * k)], "scan"),
                 "household_register": ([a4_page(args.pages_dpi, seed=2 * k + 1)], "scan")}
             for k in range(args.first, args.first + (0 if args.no_accept else args.n))}
    print("READY", flush=True)
    _wait_for(args.go)
    if not args.no_accept:
        clerk = User(1, f"clerk-{args.terminal}", "测试窗口人员", Role.CLERK)
        t0 = time.monotonic()
        for k, pages in scans.items():
            accept_case(store, case_from_dict(sample_case_dict(deceased_seq=k)), user=clerk, settings=settings,
                        today=date(2026, 1, 23), pages=pages)
        print(f"ACCEPTED {args.n} {time.monotonic() - t0:.3f}", flush=True)
    if not args.no_drain:
        _wait_for(args.drain_go)
        t0 = time.monotonic()
        up = Uploader(store, client_factory=lambda: client_from_settings(settings),
                      filestore=FileStore.for_settings(settings), lease_seconds=args.lease, chunk_size=args.chunk,
                      pull_interval=3600.0, start_delay=0.0, link_return_delay=0.0)
        up.run(once=True, max_wait=args.max_wait)
        print(f"ACKED {up.stats.acked} {time.monotonic() - t0:.3f}", flush=True)
    store.close()
    return 0


def _wait_for(path: str | None) -> None:
    while path and not os.path.exists(path):
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
