"""Frozen build: size, and cold start of the frozen app against the app run from the venv.

    python tests/bench/bench_packaging.py [--dist dist/houshi-desk] [--runs 5]

Two start-ups are timed, each frozen and from the venv in the same run: ``--version`` (process
start + imports of the CLI) and the window (``demo --smoke-test``: main window shown, first step of
the new-case flow opened, exit). The venv figures are the baseline; the ratio is frozen ÷ venv.
Build the frozen app first with ``bash packaging/build_frozen.sh``.
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
    args = ap.parse_args(argv)
    exe = args.dist / "houshi-desk"
    if not exe.exists():
        print(f"no frozen build at {args.dist}: run bash packaging/build_frozen.sh", file=sys.stderr)
        return 1
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOUSHI_DESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    venv = [sys.executable, "-m", "houshi_desk"]
    rows = [("frozen build size", dir_size(args.dist) / 2**20, "MiB", None)]
    for label, tail in (("start: --version", ["--version"]),
                        ("start: window + first step", ["demo", "--home", "{home}", "--smoke-test"])):
        base = time_run(venv + tail, args.runs, env)
        frozen = time_run([str(exe)] + tail, args.runs, env)
        rows.append((f"{label} (venv, baseline)", base, "ms", 1.0))
        rows.append((f"{label} (frozen)", frozen, "ms", frozen / base))
    print(f"{'what':<42} {'value':>10} {'unit':<4} {'× baseline':>10}")
    for what, value, unit, ratio in rows:
        print(f"{what:<42} {value:>10.1f} {unit:<4} {('' if ratio is None else f'{ratio:.2f}'):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
