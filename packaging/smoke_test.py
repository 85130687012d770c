"""Smoke test of an installed or frozen houshi-desk: does the window come up on a bare machine?

    python packaging/smoke_test.py PATH/TO/houshi-desk [--timeout 90]

Starts the program offscreen (QT_QPA_PLATFORM=offscreen) with a throwaway data directory in demo
mode with ``--smoke-test``: the app shows its main window, opens the first step of the new-case
flow, prints ``SMOKE-OK main-window`` and ``SMOKE-OK first-step`` and quits. The test fails on a
non-zero exit, a missing marker, a Python traceback, or any fatal Qt message (a missing platform
plugin or shared library), in the spirit of Friture's scripts/smoke_test.py.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

FATAL = [
    r"Traceback \(most recent call last\)",
    r"could not (?:load|find) the Qt platform plugin",
    r"This application failed to start because no Qt platform plugin",
    r"cannot open shared object file",
    r"Could not load library",
    r"QFATAL|qFatal",
    r"ModuleNotFoundError|ImportError",
    r"Segmentation fault|core dumped",
]
MARKERS = ("SMOKE-OK main-window", "SMOKE-OK first-step")


def smoke(program: str, timeout: float = 90.0) -> tuple[bool, str, float]:
    with tempfile.TemporaryDirectory(prefix="houshi-smoke-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HOUSHI_DESK_", "PYTHON"))}
        env.update(QT_QPA_PLATFORM="offscreen", HOUSHI_DESK_HOME=home, XDG_DATA_HOME=os.path.join(home, "xdg"),
                   XDG_CONFIG_HOME=os.path.join(home, "xdg-config"), HOUSHI_DESK_SYSTEM_CONFIG=os.path.join(home, "none.toml"),
                   QT_DEBUG_PLUGINS="0")
        t0 = time.perf_counter()
        try:
            r = subprocess.run([program, "demo", "--home", home, "--smoke-test"], env=env, capture_output=True,
                               text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode(errors="replace") + (exc.stderr or b"").decode(errors="replace")
            return False, f"timed out after {timeout} s\n{out}", timeout
        elapsed = time.perf_counter() - t0
    output = r.stdout + r.stderr
    problems = [p for p in FATAL if re.search(p, output, re.IGNORECASE)]
    missing = [m for m in MARKERS if m not in r.stdout]
    ok = r.returncode == 0 and not problems and not missing
    report = f"exit {r.returncode}; fatal patterns: {problems or 'none'}; missing markers: {missing or 'none'}\n{output}"
    return ok, report, elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("program")
    ap.add_argument("--timeout", type=float, default=90.0)
    args = ap.parse_args()
    ok, report, elapsed = smoke(args.program, args.timeout)
    print(report)
    print(f"smoke test {'PASSED' if ok else 'FAILED'} in {elapsed:.2f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
