"""Search benchmark: the case search at 1,000 / 10,000 / 100,000 cases on SQLCipher and PostgreSQL.

    python tests/bench/bench_search.py [--sizes 1000,10000,100000] [--pg URL] [--quick]

Issue 19's goal: a one-character surname search ≤ 20 ms p90 at 100k cases, flat from 10k to 100k.
One database per back end grows through the sizes (the synthetic people of bench_store.py: 50
surnames, two parties per case). Each search kind runs over many different queries (every surname,
many ID tails …) and reports its 90th percentile; the baseline is a primary-key lookup timed the
same way in the same run. ``houshi_desk.services.search`` is what the window uses (through
``cases.search_cases``); the row "previous search" times the pre-issue-19 query (join and sort every
match, then limit), kept here as the "before" figure. ``--quick``: 1,000 and 3,000 cases.

An account tied to an office searches only that office's cases (``users.scope``): the cases are
spread over offices (``OFFICES``: three of about a third each, one small of 1/20) and the rows "as a
clerk of …" time the same queries with the office condition inside the limited query — a small
office is the hard case, since the walk over the newest matches skips the other offices' cases.
Rows in the common format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_store import SURNAMES, populate  # noqa: E402
from benchrows import row  # noqa: E402

GOAL_P90_MS = 20.0
# office of case id i: the small office "S" every 20th case, the others by i % 3 (like the terminals)
OFFICE_SQL = "CASE WHEN id % 20 = 0 THEN 'S' WHEN id % 3 = 0 THEN 'A' WHEN id % 3 = 1 THEN 'B' ELSE 'C' END"
SCOPED = (("B", "an office with ~1/3 of the cases"), ("S", "a small office (1/20 of the cases)"))


def p90(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=10)[-1] if len(samples) >= 2 else samples[0]


def timed(fn, queries: list, rounds: int = 1) -> list[float]:
    fn(queries[0])  # warm statement compilation
    out = []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def previous_search(session, q: str, limit: int = 50) -> list:
    """The search before issue 19 (services/cases.py at 5268a00): every match joined and sorted."""
    from houshi_desk.store.models import CaseRow, PartyRow

    q = q.strip()
    name = q
    up = q.upper()
    if up[:1].isdigit() and "-" in up:
        where = [CaseRow.number >= up, CaseRow.number < up + "\uffff"]
    elif len(up) in (15, 18) and up[:-1].isdigit():
        where = [CaseRow.id.in_(select(PartyRow.case_id).where(PartyRow.id_number == up))]
    else:
        where = [CaseRow.id.in_(select(PartyRow.case_id).where(PartyRow.name >= name, PartyRow.name < name + "\uffff"))]
    return session.execute(
        select(CaseRow.number, CaseRow.status, CaseRow.application_date, CaseRow.clerk, PartyRow.name,
               PartyRow.id_number)
        .join(PartyRow, (PartyRow.case_id == CaseRow.id) & (PartyRow.role == "deceased"))
        .where(*where).order_by(CaseRow.created_at.desc()).limit(limit)).all()


def sample_queries(store, n: int, rng: random.Random) -> dict:
    from houshi_desk.store.models import CaseRow, PartyRow

    with store.session() as s:
        ids = rng.sample(range(1, n + 1), min(40, n))
        people = s.execute(select(PartyRow.name, PartyRow.id_number).where(PartyRow.case_id.in_(ids))).all()
        numbers = s.execute(select(CaseRow.number).where(CaseRow.id.in_(ids))).scalars().all()
    return {
        "pk": ids,
        "surname": list(SURNAMES),
        "name2": [p[0][:2] for p in people][:40],
        "id": [p[1] for p in people][:40],
        "id_tail": [p[1][-4:] for p in people][:40],
        "number": numbers,
        "number_prefix": [x.rsplit("-", 1)[0] for x in numbers],  # a terminal's day
    }


def bench_backend(label: str, store, sizes: list[int]) -> dict:
    from houshi_desk.services.search import search_cases
    from houshi_desk.store.models import CaseRow

    rng = random.Random(3)
    surname_p90 = {}
    done = 0
    for n in sizes:
        t0 = time.perf_counter()
        populate(store, n, first=done)
        with store.engine.begin() as conn:
            conn.execute(text(f"UPDATE cases SET office = {OFFICE_SQL} WHERE id > :done"), {"done": done})
        done = n
        print(f"{label}: filled to {n} cases in {time.perf_counter() - t0:.1f} s", flush=True)
        if store.dialect == "postgresql":
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        q = sample_queries(store, n, rng)

        def pk(cid):
            with store.session() as s:
                s.execute(select(CaseRow.number).where(CaseRow.id == cid)).scalar_one()

        def new(query):
            with store.session() as s:
                assert search_cases(s, query), query

        def old(query):
            with store.session() as s:
                assert previous_search(s, query), query

        base = p90(timed(pk, q["pk"], 3))
        what = "primary-key lookup"
        size = f"{n // 1000}k" if n >= 1000 else str(n)
        for kind, title in (("surname", "one-character surname"), ("name2", "two-character name prefix"),
                            ("id", "whole ID number"), ("id_tail", "last 4 of an ID number"),
                            ("number", "whole case number"), ("number_prefix", "case-number prefix (a terminal's day)")):
            ms = p90(timed(new, q[kind], 2 if kind == "surname" else 1))
            goal, met = "", None
            if kind == "surname":
                surname_p90[n] = ms
                goal, met = f"≤ {GOAL_P90_MS:g} ms p90", ms <= GOAL_P90_MS
            row(f"{label}, {size} cases: search by {title}, p90", base, ms, baseline_what=f"{what} p90", goal=goal,
                met=met)
        ms = p90(timed(old, q["surname"]))
        row(f"{label}, {size} cases: previous search (join + sort all matches) by one-character surname, p90", base,
            ms, baseline_what=f"{what} p90")
        for office, whose in SCOPED:
            def scoped(query, office=office):
                with store.session() as s:
                    search_cases(s, query, office=office)  # may find nothing: another terminal's day

            for kind, title in (("surname", "one-character surname"), ("id_tail", "last 4 of an ID number"),
                                ("number_prefix", "case-number prefix (a terminal's day)")):
                ms = p90(timed(scoped, q[kind], 2 if kind == "surname" else 1))
                goal, met = (f"≤ {GOAL_P90_MS:g} ms p90", ms <= GOAL_P90_MS) if kind == "surname" else ("", None)
                row(f"{label}, {size} cases: search by {title} as a clerk of {whose}, p90", base, ms,
                    baseline_what=f"{what} p90", goal=goal, met=met)
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        ratio = surname_p90[b] / surname_p90[a]
        row(f"{label}: one-character surname p90 at {b // 1000}k ÷ at {a // 1000}k cases (flat = 1)",
            surname_p90[a], surname_p90[b], baseline_what=f"p90 at {a // 1000}k", goal="flat (≤ 1.5×)",
            met=ratio <= 1.5)
    return surname_p90


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--pg", default=os.environ.get("HOUSHI_TEST_PG_URL", ""))
    ap.add_argument("--quick", action="store_true", help="1,000 and 3,000 cases")
    args = ap.parse_args(argv)
    sizes = [1000, 3000] if args.quick else [int(x) for x in args.sizes.split(",")]

    tmp = Path(tempfile.mkdtemp(prefix="houshi-bench-search-"))
    os.environ.update(HOUSHI_DESK_HOME=str(tmp / "home"), HOUSHI_DESK_SYSTEM_CONFIG=str(tmp / "none.toml"),
                      XDG_DATA_HOME=str(tmp / "xdg"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    os.environ.pop("HOUSHI_DESK_DATABASE_URL", None)
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        bench_backend("sqlcipher", store, sizes)
    finally:
        store.close()
    if args.pg:
        import uuid

        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            store = open_store(settings, url=make_url(args.pg).set(database=name).render_as_string(hide_password=False))
            try:
                bench_backend("postgresql", store, sizes)
            finally:
                store.close()
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        row("postgresql search (no --pg and HOUSHI_TEST_PG_URL not set)", None, "not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
