"""Store benchmark: case save + load, and search in 100,000 synthetic cases, on SQLCipher and PostgreSQL.

    python tests/bench/bench_store.py [--cases 100000] [--pg URL] [--quick]

Targets (issue 2): search by case number / ID number / name prefix ≤ 50 ms each. The baseline is a
primary-key lookup (``SELECT … WHERE id = ?``) timed the same way in the same run, so the ratio
shows what the search costs beyond touching the database at all. The search at several sizes and
with p90s is bench_search.py. ``--quick``: 1,000 cases. Rows in the common format of
tests/bench/benchrows.py.

Database size per case (issue 19, goal ≤ 8 KiB): ``--size-cases`` (200; 20 with ``--quick``) real
accepted cases (the published sample case, two scanned materials of 20 KB each) are submitted and
sent to the reference platform on loopback; measured before the platform's acks (bodies whole, as
every delivered item stayed before delivered items were compacted) and after. The goal is on the
logical size: the sum of the stored bytes of every value of every row (SQLite: the stored text or
blob length; PostgreSQL: ``pg_column_size``, i.e. after its own TOAST compression), divided by the
number of cases. The file (SQLite, after a checkpoint and after VACUUM: deleted bytes return only
then) and the relations (PostgreSQL: tables + indexes + TOAST, after VACUUM FULL) are shown too; at
small sizes their fixed pages dominate.
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


# ---------------------------------------------------------------- bytes per case (issue 19)

KIB = 1024.0
ATTACHMENTS = (20_000, 20_000)


def logical_bytes(store) -> dict[tuple[str, str], int]:
    """(table, column) → stored bytes of all its values (see the module's docstring)."""
    from sqlalchemy import inspect

    out = {}
    with store.engine.connect() as c:
        insp = inspect(c)
        for table in insp.get_table_names():
            if table == "alembic_version":
                continue
            for col in (x["name"] for x in insp.get_columns(table)):
                if store.dialect == "postgresql":
                    q = f'SELECT coalesce(sum(pg_column_size("{col}")), 0) FROM "{table}"'
                else:
                    q = f'SELECT coalesce(sum(length(CAST("{col}" AS BLOB))), 0) FROM "{table}"'
                out[(table, col)] = int(c.execute(text(q)).scalar())
    return out


def physical_bytes(store) -> int:
    """SQLite: the file after a checkpoint and VACUUM; PostgreSQL: tables + indexes + TOAST after VACUUM FULL."""
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM FULL"))
            return int(c.execute(text(
                "SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")).scalar())
    raw = store.engine.raw_connection()  # the driver's own connection: no BEGIN around VACUUM
    try:
        cur = raw.cursor()
        for sql in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"):
            cur.execute(sql)
        cur.close()
    finally:
        raw.close()
    return Path(str(store.engine.url.database)).stat().st_size


def accept_and_submit(store, settings, filestore, n: int) -> list[str]:
    """``n`` accepted cases as a window makes them: the sample case for another synthetic deceased
    each, two scanned materials, submitted (outbox items in the same transaction)."""
    from houshi_desk.services import cases as svc
    from houshi_desk.store.models import MaterialFileRow

    rng = random.Random(19)
    numbers = []
    for k in range(n):
        data = svc.sample_case_dict(deceased_seq=k + 1)
        number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=date(2026, 1, 23),
                                 clerk="bench")
        with store.session() as s:
            row = svc.get_case_row(s, number)
            for size, material in zip(ATTACHMENTS, row.materials):
                blob = b"%PDF-1.4\n" + rng.randbytes(size - 9)
                material.files.append(MaterialFileRow(page_no=1, sha256=filestore.put(blob), mime="application/pdf",
                                                      size=len(blob), source="import", created_at=datetime.now()))
                material.state = "scanned"
        svc.submit_case(store, number, clerk="bench")
        numbers.append(number)
    return numbers


def send_all(store, filestore, url: str, app_key: str, secret: str) -> int:
    """Drain the outbox to the reference platform (waits on a fake clock); the number of acks."""
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.clock import FakeClock
    from houshi_desk.sync.uploader import Uploader

    up = Uploader(store, client_factory=lambda: PlatformClient(url, app_key, secret), filestore=filestore,
                  clock=FakeClock(), start_delay=0.0, link_return_delay=0.0, pull_interval=1e9)
    up.start()
    for _ in range(1_000_000):
        r = up.step()
        if r == "worked":
            continue
        hint = up._wait_hint()
        if hint is None and r == "idle":
            break
        up.clock.sleep(max(0.01, hint if hint is not None else 0.05))
    return up.stats.acked


def results_back(store, platform, client) -> int:
    """Every department's result for every sent matter (受理 → 办理中 → 办结), pulled into the store."""
    pstore = platform.store
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with pstore.lock:
            left = pstore.one("SELECT count(*) AS n FROM schedule WHERE emitted = 0")["n"]
        if not left:
            break
        time.sleep(0.05)
    from houshi_desk.sync.inbox import pull_changes

    n = 0
    while True:
        got = pull_changes(store, client)
        n += got
        if not got:
            return n


def _groups(cols: dict[tuple[str, str], int]) -> dict[str, int]:
    out = {"outbox payloads": 0, "outbox (rest)": 0, "checklist snapshot": 0, "results inbox": 0, "audit": 0,
           "rest": 0}
    for (table, col), b in cols.items():
        if table == "sync_outbox":
            out["outbox payloads" if col == "payload" else "outbox (rest)"] += b
        elif (table, col) == ("cases", "checklist"):
            out["checklist snapshot"] += b
        elif table == "sync_inbox":
            out["results inbox"] += b
        elif table.startswith("audit"):
            out["audit"] += b
        else:
            out["rest"] += b
    return out


def bench_size(label: str, store, settings, filestore, n: int, home: Path) -> None:
    """A case's whole life in the store: accepted, sent (acked), every department's result back."""
    import secrets

    from houshi_desk.platform_ref.processing import Processing
    from houshi_desk.platform_ref.server import run_in_thread
    from houshi_desk.sync.client import PlatformClient

    app_key, secret = "terminal-w01", secrets.token_urlsafe(24)
    url, stop = run_in_thread(home / f"platform-{label}", clients={app_key: secret},
                              processing=Processing(step_seconds=0.01))
    try:
        accept_and_submit(store, settings, filestore, n)
        submitted = logical_bytes(store)
        acks = send_all(store, filestore, url, app_key, secret)
        events = results_back(store, stop.platform, PlatformClient(url, app_key, secret))
    finally:
        stop()
    after = logical_bytes(store)
    physical = physical_bytes(store)
    # the same database had delivered bodies stayed (as before issue 19): the bodies as stored at submit
    whole = dict(after)
    whole[("sync_outbox", "payload")] += submitted[("sync_outbox", "payload")] - \
        _stub_bytes(store)
    total, kept = sum(after.values()), sum(whole.values())
    print(f"{label}: {n} cases accepted, {acks} items acknowledged by the platform, {events} department results")
    ga, gw = _groups(after), _groups(whole)
    for g in ga:
        print(f"  {g:<20} {gw[g] / n / KIB:7.2f} KiB/case with bodies kept → {ga[g] / n / KIB:7.2f} compacted "
              f"({100 * ga[g] / max(1, total):.0f} % of it)")
    print("  largest columns:", ", ".join(f"{t}.{c} {v / n / KIB:.2f}" for (t, c), v in
                                        sorted(after.items(), key=lambda kv: -kv[1])[:6]), "KiB/case")
    what = f"{label}, {n} cases sent and answered"
    row(f"{what}: database bytes per case, logical (sum of stored values)", kept / n / KIB, total / n / KIB, unit="KiB",
        baseline_what="delivered bodies kept", goal="≤ 8 KiB", met=total / n / KIB <= 8)
    for g in ("outbox payloads", "checklist snapshot", "results inbox"):
        row(f"{what}: {g}, logical per case", gw[g] / n / KIB, ga[g] / n / KIB, unit="KiB",
            baseline_what="delivered bodies kept")
    where = "file after VACUUM" if store.dialect != "postgresql" else "tables+indexes+TOAST after VACUUM FULL"
    row(f"{what}: {where} per case (fixed pages included)", None, physical / n / KIB, unit="KiB")


def _stub_bytes(store) -> int:
    """Stored bytes of the payloads of the case items (their stubs once delivered), audit anchors left out."""
    from houshi_desk.sync.outbox import AUDIT_ANCHOR

    col = 'pg_column_size("payload")' if store.dialect == "postgresql" else 'length(CAST("payload" AS BLOB))'
    with store.engine.connect() as c:
        return int(c.execute(text(f"SELECT coalesce(sum({col}), 0) FROM sync_outbox WHERE kind != :k"),
                             {"k": AUDIT_ANCHOR}).scalar())


def size_benches(pg: str, n: int) -> None:
    import uuid

    from houshi_desk.config import load_settings
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import open_store

    home = Path(tempfile.mkdtemp(prefix="houshi-bench-size-"))
    size_settings = load_settings(dict(os.environ, HOUSHI_DESK_HOME=str(home / "home")))
    filestore = FileStore.for_settings(size_settings)
    store = open_store(size_settings)
    try:
        bench_size("sqlcipher", store, size_settings, filestore, n, home)
    finally:
        store.close()
    if not pg:
        row("postgresql: database bytes per case", None, "not measured: no --pg and HOUSHI_TEST_PG_URL not set")
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"bench_size_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        store = open_store(size_settings, url=make_url(pg).set(database=name).render_as_string(hide_password=False))
        try:
            bench_size("postgresql", store, size_settings, filestore, n, home)
        finally:
            store.close()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("HOUSHI_TEST_PG_URL", ""))
    ap.add_argument("--size-cases", type=int, default=200, help="accepted and sent cases for the size rows")
    ap.add_argument("--quick", action="store_true", help="1,000 cases; 20 for the size rows")
    args = ap.parse_args(argv)
    if args.quick:
        args.cases, args.size_cases = 1000, 20

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
    size_benches(args.pg, args.size_cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
