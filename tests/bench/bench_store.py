"""Store benchmark: case save + load, and search in 100,000 synthetic cases, on SQLCipher and PostgreSQL.

    python tests/bench/bench_store.py [--cases 100000] [--pg URL] [--quick]

Targets (issue 2): search by case number / ID number / name prefix ≤ 50 ms each. The baseline is a
primary-key lookup (``SELECT … WHERE id = ?``) timed the same way in the same run, so the ratio
shows what the search costs beyond touching the database at all. The search at several sizes and
with p90s is bench_search.py. ``--quick``: 1,000 cases. Rows in the common format of
tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁"


def _id_number(rng: random.Random, born: date, sex_odd: bool) -> str:
    from stdnum.cn import ric

    seq = rng.randrange(0, 50) * 2 + (1 if sex_odd else 0)
    body = f"110105{born:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"[:17]
    return body + ric.calc_check_digit(body + "0")


def populate(store, n: int, seed: int = 7, first: int = 0) -> dict:
    """Bulk-insert synthetic cases ``first`` … ``n - 1`` (each with deceased + applicant) with
    executemany; call again with ``first`` = the previous ``n`` to grow the same database."""
    from houshi_desk.store.models import CaseRow, PartyRow

    rng = random.Random(seed + first)
    start = date(2024, 1, 2)
    picks = {}
    batch = 5000
    case_id = first
    with store.engine.begin() as conn:
        for offset in range(first, n, batch):
            cases, parties = [], []
            for i in range(offset, min(n, offset + batch)):
                case_id += 1
                day = start + timedelta(days=i // 150)
                number = f"150702-W{1 + i % 3:02d}-{day:%Y%m%d}-{i % 150 + 1:04d}"
                now = datetime.combine(day, datetime.min.time()) + timedelta(minutes=i % 150)
                cases.append(dict(id=case_id, number=number, region="nm", region_code="150702",
                                  terminal_id=f"W{1 + i % 3:02d}", office="", status="submitted", clerk="bench",
                                  created_at=now, updated_at=now, application_date=day, facts={}, death={},
                                  death_kind="normal", died_at=now, notes="", version=1,
                                  id_card_surrendered=False, anonymised=False))
                for role in ("deceased", "applicant"):
                    born = date(1930 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28))
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                    idn = _id_number(rng, born, rng.random() < 0.5)
                    parties.append(dict(case_id=case_id, role=role, name=name, id_number=idn, card_type="resident",
                                        identity={}, phone="", address="", employer="", bank_account="",
                                        bank_name="", note=""))
                    if i == (first + n) // 2 and role == "deceased":
                        picks = {"number": number, "id_number": idn, "name_prefix": name[:2], "id": case_id}
            conn.execute(insert(CaseRow), cases)
            conn.execute(insert(PartyRow), parties)
        if conn.dialect.name == "postgresql":  # explicit ids do not move the serial's sequence
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
    return picks


def timed(fn, repeat: int = 30) -> float:
    fn()  # warm caches and statement compilation
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def bench_backend(label: str, store, settings, n: int) -> list[tuple]:
    from houshi_desk.services import cases as svc
    from houshi_desk.store.models import CaseRow

    t0 = time.perf_counter()
    picks = populate(store, n)
    fill_s = time.perf_counter() - t0
    if store.dialect == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))

    def pk_lookup():
        with store.session() as s:
            s.execute(select(CaseRow.number).where(CaseRow.id == picks["id"])).scalar_one()

    def by(q):
        def run():
            with store.session() as s:
                assert svc.search_cases(s, q), q
        return run

    data = svc.sample_case_dict()
    seq = iter(range(10**6))

    def save_and_load():
        k = next(seq)
        day = date(2026, 1, 21) + timedelta(days=k // 9000)
        # one deceased has one case: every saved case is another synthetic deceased
        born = f"19{20 + k // 450 % 70:02d}0315"
        data["deceased"]["id_number"] = svc.synthetic_id_number(k % 450, birth=born)
        data["deceased"]["birth_date"] = f"{born[:4]}-{born[4:6]}-{born[6:]}"
        number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=day, clerk="bench")
        with store.session() as s:
            svc.load_case(s, number)

    base = timed(pk_lookup)
    rows = [(label, f"fill {n} cases", fill_s * 1000, None)]
    rows.append((label, "baseline: primary-key lookup", base, 1.0))
    for what, q in (("search by case number", picks["number"]), ("search by ID number", picks["id_number"]),
                    ("search by name prefix", picks["name_prefix"])):
        ms = timed(by(q))
        rows.append((label, what + " (target ≤ 50 ms)", ms, ms / base))
    ms = timed(save_and_load, repeat=20)
    rows.append((label, "case save + load (checklist incl.)", ms, ms / base))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("HOUSHI_TEST_PG_URL", ""))
    ap.add_argument("--quick", action="store_true", help="1,000 cases")
    args = ap.parse_args(argv)
    if args.quick:
        args.cases = 1000

    tmp = Path(tempfile.mkdtemp(prefix="houshi-bench-"))
    os.environ.update(HOUSHI_DESK_HOME=str(tmp / "home"), HOUSHI_DESK_SYSTEM_CONFIG=str(tmp / "none.toml"),
                      XDG_DATA_HOME=str(tmp / "xdg"),
                      PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    settings = load_settings()
    rows = []
    store = open_store(settings)
    rows += bench_backend("sqlcipher", store, settings, args.cases)
    store.close()
    if args.pg:
        import uuid

        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
        store = open_store(settings, url=url)
        try:
            rows += bench_backend("postgresql", store, settings, args.cases)
        finally:
            store.close()
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    else:
        rows.append(("postgresql", "not measured: no --pg and HOUSHI_TEST_PG_URL not set", float("nan"), None))

    base = {}
    for label, what, ms, ratio in rows:
        if what.startswith("baseline"):
            base[label] = ms
    for label, what, ms, ratio in rows:
        if what.startswith("baseline"):
            continue
        size = f"{args.cases // 1000}k cases" if args.cases >= 1000 else f"{args.cases} cases"
        if ratio is None:
            row(f"{label}: {what}", None, ms)
            continue
        goal = "≤ 50 ms" if "search" in what else ""
        row(f"{label}, {size}: {what.replace(' (target ≤ 50 ms)', '')}", base[label], ms,
            baseline_what="primary-key lookup", goal=goal, met=(ms <= 50) if goal else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
