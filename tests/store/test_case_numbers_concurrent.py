"""Hall mode: several terminal processes allocating case numbers on one PostgreSQL never collide."""
from __future__ import annotations

import multiprocessing as mp
from datetime import date

from houshi_desk.services.cases import allocate_case_number
from houshi_desk.store.db import open_store


def _allocate(url: str, terminal: str, n: int, out) -> None:
    store = open_store(url=url, settings=_Settings(), migrate=False)
    got = []
    for _ in range(n):
        with store.session() as s:
            got.append(allocate_case_number(s, "150702", terminal, date(2026, 1, 21)))
    store.close()
    out.put(got)


class _Settings:
    database_url = ""


def test_concurrent_processes_get_unique_numbers(pg_url):
    open_store(url=pg_url, settings=_Settings()).close()  # migrate once
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    # Two processes share terminal W01 (a misconfigured hall), two have their own terminals.
    procs = [ctx.Process(target=_allocate, args=(pg_url, t, 40, out)) for t in ("W01", "W01", "W02", "W03")]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    numbers = [n for r in results for n in r]
    assert len(numbers) == 160
    assert len(set(numbers)) == 160
    w01 = sorted(n for n in numbers if "-W01-" in n)
    assert [int(n.rsplit("-", 1)[1]) for n in w01] == list(range(1, 81))
