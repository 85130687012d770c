"""Benchmarks cannot rot: every ``tests/bench/bench_*.py`` runs with ``--quick`` against the services
``packaging/test.sh`` already started (its HOUSHI_TEST_* environment is inherited; nothing is started
here) and prints its results as rows of the common format (tests/bench/benchrows.py).

Only that: no timing is asserted — the numbers of a quick run on a busy CI machine mean nothing.
The full sizes are ``bash packaging/bench.sh``, which also rewrites README.md's table from the rows.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from benchrows import HEADER, README_END, README_START, parse_rows, readme_table, rewrite_readme, row  # noqa: E402

BENCHES = sorted(p.stem for p in HERE.glob("bench_*.py"))


def test_every_bench_is_listed():
    assert {"bench_checklist", "bench_documents", "bench_gui", "bench_search", "bench_sync"} <= set(BENCHES)


@pytest.mark.parametrize("bench", BENCHES)
def test_bench_runs_quick_and_prints_its_rows(bench, tmp_path):
    env = {**os.environ, "HOUSHI_DESK_HOME": str(tmp_path / "home"),
           "HOUSHI_DESK_SYSTEM_CONFIG": str(tmp_path / "none.toml"), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("HOUSHI_DESK_DATABASE_URL", None)
    r = subprocess.run([sys.executable, str(HERE / f"{bench}.py"), "--quick"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, f"{bench} --quick exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}"
    assert HEADER in r.stdout.splitlines(), r.stdout[-2000:]
    rows = parse_rows(r.stdout)
    assert rows, r.stdout[-2000:]
    for metric, baseline, now, ratio, goal in rows:
        assert metric and now and now != "–", (metric, now)
        assert ratio == "–" or ratio.endswith("×"), ratio


def test_rows_parse_back_and_make_the_readme_table(tmp_path, capsys):
    row("search by one surname, 100k cases", 0.15, 1.9, baseline_what="primary-key lookup", goal="≤ 20 ms p90",
        met=True)
    row("frozen build size", None, 357.2, unit="MiB")
    out = capsys.readouterr().out
    assert parse_rows(out) == [
        ("search by one surname, 100k cases", "primary-key lookup 0.15 ms", "1.90 ms", "12.7×", "≤ 20 ms p90 (met)"),
        ("frozen build size", "–", "357 MiB", "–", "–"),
    ]
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Benchmarks\n\n{README_START}\nold\n{README_END}\n\n## Next\n", encoding="utf-8")
    rewrite_readme(readme, {"search": out, "gui": "Traceback …"}, note="Measured on a 2-core machine.")
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{README_END}\n\n## Next\n")
    assert "| search | frozen build size | – | 357 MiB | – | – |" in text
    assert "| gui | (no rows: the bench failed, see its log) |" in text
    assert "Measured on a 2-core machine." in text
    assert readme_table({}).count("\n") == 1
