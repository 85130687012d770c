"""Frozen build: size, and cold start of the frozen app against the app run from the venv.

    python tests/bench/bench_packaging.py [--dist dist/houshi-desk] [--runs 5] [--quick]

Two start-ups are timed, each frozen and from the venv in the same run: ``--version`` (process
start + imports of the CLI) and the window (``demo --smoke-test``: main window shown, first step of
the new-case flow opened, exit). The venv figures are the baseline; the ratio is frozen ÷ venv.
Build the frozen app first with ``bash packaging/build_frozen.sh`` (tests/packaging builds the same
``dist/houshi-desk``). ``--quick`` never builds: it reuses that build when present (one ``--version``
start each) and otherwise times only the venv start and says that no frozen build was there. Rows in
the common format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def time_run(cmd: list[str], runs: int, env: dict) -> float:
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            e = {**env, "HOUSHI_DESK_HOME": home, "XDG_DATA_HOME": os.path.join(home, "xdg")}
            t0 = time.perf_counter()
            r = subprocess.run([*cmd[:1], *[c.replace("{home}", home) for c in cmd[1:]]], env=e,
                               capture_output=True, text=True, timeout=180)
            samples.append(time.perf_counter() - t0)
            if r.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    return statistics.median(samples) * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", type=Path, default=ROOT / "dist" / "houshi-desk")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="reuse an existing build, one --version start each")
    args = ap.parse_args(argv)
    exe = args.dist / "houshi-desk"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOUSHI_DESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    venv = [sys.executable, "-m", "houshi_desk"]
    starts = [("start: --version", ["--version"])]
    if not args.quick:
        starts.append(("start: window + first step", ["demo", "--home", "{home}", "--smoke-test"]))
    runs = 1 if args.quick else args.runs
    if not exe.exists():
        if not args.quick:
            print(f"no frozen build at {args.dist}: run bash packaging/build_frozen.sh", file=sys.stderr)
            return 1
        base = time_run(venv + ["--version"], runs, env)
        row("start: --version from the venv (no frozen build present, frozen start not measured)", None, base)
        return 0
    row("frozen build size", None, dir_size(args.dist) / 2**20, unit="MiB")
    for label, tail in starts:
        base = time_run(venv + tail, runs, env)
        frozen = time_run([str(exe)] + tail, runs, env)
        row(f"{label}, frozen (median of {runs})", base, frozen, baseline_what="the same from the venv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
