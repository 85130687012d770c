"""Hall mode on a real PostgreSQL: several terminal processes at once, one audit chain, no duplicate
case numbers, one report over the whole office."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from houshi_desk import audit
from houshi_desk.store.models import CaseRow, CaseNumberSequenceRow

WORKER = Path(__file__).with_name("hall_worker.py")


def _run_terminals(tmp_path: Path, pg_url: str, mode: str, terminals: list[str], n: int) -> list[str]:
    start = tmp_path / "go"
    env = {**os.environ, "HOUSHI_DESK_DATABASE_URL": pg_url}
    procs = []
    for i, term in enumerate(terminals):
        home = tmp_path / f"terminal-{i}"
        home.mkdir()
        procs.append(subprocess.Popen([sys.executable, str(WORKER), mode, str(home), term, str(n), str(start)],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    start.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=240)
        assert p.returncode == 0, stderr[-3000:]
        out += stdout.split()
    return out


def test_audit_appends_from_several_terminals_form_one_chain(pg_store, pg_url, tmp_path):
    _run_terminals(tmp_path, pg_url, "audit", ["W01", "W02", "W03", "W04"], 60)
    with pg_store.session() as s:
        result = audit.verify(s)
        rows = audit.entries(s)
    assert result.ok, result.message
    assert result.count == 240 and [r.seq for r in rows] == list(range(1, 241))
    assert Counter(r.actor for r in rows) == {f"clerk-W0{i}": 60 for i in range(1, 5)}


def test_verify_while_terminals_append(pg_store, pg_url, tmp_path):
    """A supervisor verifying in the middle of a busy day sees a sound chain, not a false alarm."""
    import threading

    results = []
    stop = threading.Event()

    def verify_loop():
        while not stop.is_set():
            with pg_store.session() as s:
                results.append(audit.verify(s))

    t = threading.Thread(target=verify_loop)
    t.start()
    try:
        _run_terminals(tmp_path, pg_url, "audit", ["W01", "W02", "W03"], 80)
    finally:
        stop.set()
        t.join()
    assert results and all(r.ok for r in results), [r.message for r in results if not r.ok][:3]
    with pg_store.session() as s:
        assert audit.verify(s).count == 240


def test_terminals_creating_cases_get_unique_numbers_and_one_report(pg_store, pg_url, tmp_path):
    pytest.importorskip("houshi_desk.services.cases", reason="case services not installed")
    # two processes per terminal id (e.g. the window and a headless job) and two terminals
    numbers = _run_terminals(tmp_path, pg_url, "cases", ["W01", "W01", "W02", "W02"], 8)
    assert len(numbers) == 32 and len(set(numbers)) == 32
    by_terminal = Counter(n.split("-")[1] for n in numbers)
    assert by_terminal == {"W01": 16, "W02": 16}
    for term in ("W01", "W02"):
        seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if f"-{term}-" in n)
        assert seqs == list(range(1, 17))  # per-terminal sequence, no gaps, no repeats
    with pg_store.session() as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 32
        assert {r.prefix: r.last for r in s.execute(select(CaseNumberSequenceRow)).scalars()} == {
            "150702-W01-20260122": 16, "150702-W02-20260122": 16}
        chain = audit.verify(s)
        assert chain.ok and chain.count == 64  # create + submit per case, all terminals in one chain

        from houshi_desk.reports import daily_figures

        f = daily_figures(s, date(2026, 1, 22))
    assert f.total_cases == 32 and f.by_status == {"submitted": 32}
    assert {c.clerk: c.total for c in f.by_clerk} == {"clerk-W01": 16, "clerk-W02": 16}
    assert f.not_accepted == 32  # nothing sent yet: the whole office's queue
