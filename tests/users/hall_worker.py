"""One terminal of a hall, run as its own process by test_hall_postgres.py.

    python hall_worker.py audit|cases HOME TERMINAL N START_FILE

Waits until START_FILE exists (so all terminals start together), then appends N audit entries or
creates-and-submits N cases against HOUSHI_DESK_DATABASE_URL; prints the case numbers, one per line.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path


def main() -> int:
    mode, home, terminal, n, start_file = sys.argv[1:6]
    os.environ["HOUSHI_DESK_HOME"] = home
    os.environ["HOUSHI_DESK_SYSTEM_CONFIG"] = str(Path(home) / "system-settings.toml")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    settings = load_settings()
    settings.set("office.terminal_id", terminal)
    store = open_store(settings)
    deadline = time.monotonic() + 60
    while not Path(start_file).exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.01)
    if mode == "audit":
        from houshi_desk import audit

        for i in range(int(n)):
            with store.session() as s:
                audit.record(s, actor=f"clerk-{terminal}", action="view", detail=f"{terminal} #{i}")
    else:
        from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

        # one deceased has one case: each terminal's cases are for distinct synthetic deceased
        base = int("".join(c for c in Path(home).name if c.isdigit()) or 0) * 60  # one per process
        for i in range(int(n)):
            number = create_case(store, case_from_dict(sample_case_dict(deceased_seq=base + i)), settings=settings,
                                 today=date(2026, 1, 22), clerk=f"clerk-{terminal}", submit=True)
            print(number, flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
