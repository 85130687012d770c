"""Users-area benchmarks: daily report over 100,000 cases, audit verification of 1,000,000 entries,
login time — on SQLCipher (the default) and, with --pg or HOUSHI_TEST_PG_URL, on PostgreSQL.

    python tests/bench/bench_users.py [--cases 100000] [--day-cases 10000] [--audit 1000000] [--pg URL] [--quick]

Targets (issue 7): the daily report over 100,000 cases, 10,000 of them on the report day, ≤ 2 s
including the PDF. Each figure is printed with a baseline measured the same way in the same run
(a plain ``count(*)`` of the cases; streaming the audit rows without hashing; one ``SELECT 1`` round
trip) and the ratio to it, so numbers from different machines can be compared. ``--quick``: 2,000
cases and 5,000 audit entries. Rows in the common format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

DAY = date(2026, 1, 22)
CODES = ["hukou_cancel", "driving_licence_cancel", "medical_insurance_cancel", "employee_pension_end",
         "assistance_stop", "housing_fund_withdraw", "survivor_benefit", "rural_pension_funeral"]


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def populate_cases(store, n: int, day_cases: int, seed: int = 11) -> None:
    from houshi_desk.store.models import CaseMatterRow, CaseRow, PrintLogRow
    from houshi_desk.store.models_sync import SyncOutboxRow

    rng = random.Random(seed)
    older = n - day_cases
    per_day = 300
    batch = 5000
    cid = mid = 0
    with store.engine.begin() as conn:
        for offset in range(0, n, batch):
            cases, matters, prints, outbox = [], [], [], []
            for i in range(offset, min(n, offset + batch)):
                cid += 1
                if i < older:
                    day = DAY - timedelta(days=1 + i // per_day)
                    seq = i % per_day + 1
                else:
                    day = DAY
                    seq = i - older + 1
                term = f"W{1 + seq % 8:02d}"
                number = f"150702-{term}-{day:%Y%m%d}-{seq:05d}"
                at = datetime.combine(day, dtime(8, 30)) + timedelta(seconds=seq % 30000)
                old = day < DAY - timedelta(days=40)
                status = "closed" if old and rng.random() < 0.9 else ("draft" if rng.random() < 0.05 else "submitted")
                if rng.random() < 0.01:
                    status = "cancelled"
                cases.append(dict(id=cid, number=number, region="nm", region_code="150702", terminal_id=term,
                                  office="大厅A", status=status, clerk=f"clerk{seq % 12}", created_at=at, updated_at=at,
                                  application_date=day, facts={}, death={}, death_kind="normal", died_at=at, notes="",
                                  version=1, id_card_surrendered=False, anonymised=False))
                for code in rng.sample(CODES, 6):
                    mid += 1
                    done = status == "closed" or (day < DAY - timedelta(days=20) and rng.random() < 0.9)
                    matters.append(dict(id=mid, case_id=cid, code=code, department="", applicable=True,
                                        mandatory=False, chosen=True, reason="", due_date=day + timedelta(days=7),
                                        due_date_uncertain=False, status="done" if done else "submitted",
                                        result="", updated_at=at))
                if day == DAY:
                    prints.append(dict(case_id=cid, kind="receipt", at=at, user=f"clerk{seq % 12}", printer="PDF",
                                       paper="A4", copies=1, reprint=rng.random() < 0.03, status="printed",
                                       error="", pdf_path="", pdf_sha256=""))
                if status == "submitted" and rng.random() < 0.2:
                    outbox.append(dict(case_number=number, case_version=1, seq=1, group_order=cid, kind="create_case",
                                       state="needs_attention" if rng.random() < 0.05 else "queued",
                                       idempotency_key=f"{number}:1", payload={}, payload_sha256="0" * 64,
                                       remote_offset=0, upload_generation=0, bytes_sent=0, attempts=0,
                                       last_error="", last_error_code="", origin="local", created_at=at, updated_at=at))
            conn.execute(insert(CaseRow.__table__), cases)
            conn.execute(insert(CaseMatterRow.__table__), matters)
            if prints:
                conn.execute(insert(PrintLogRow.__table__), prints)
            if outbox:
                conn.execute(insert(SyncOutboxRow.__table__), outbox)
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))


def populate_audit(store, n: int) -> None:
    from houshi_desk.audit.chain import GENESIS, entry_hash
    from houshi_desk.store.models_users import AuditEntryRow

    prev = GENESIS
    t0 = datetime(2026, 1, 1, 8, 0)
    batch = 50000
    with store.engine.begin() as conn:
        for offset in range(0, n, batch):
            rows = []
            for seq in range(offset + 1, min(n, offset + batch) + 1):
                at = t0 + timedelta(milliseconds=seq * 37)
                actor, action = f"clerk{seq % 12}", ("view", "create", "print", "submit")[seq % 4]
                number = f"150702-W01-20260122-{seq % 9999 + 1:04d}"
                detail = f"窗口操作 {seq}"
                h = entry_hash(seq, at, actor, action, number, detail, prev)
                rows.append(dict(seq=seq, at=at, actor=actor, action=action, case_number=number, detail=detail,
                                 prev_hash=prev, hash=h))
                prev = h
            conn.execute(insert(AuditEntryRow.__table__), rows)
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": n, "h": prev})


def bench_backend(name: str, store, settings, args) -> None:
    from houshi_desk import audit, users
    from houshi_desk.reports import daily_figures, render_pdf

    print(f"\n== {name} ==")
    t = time.perf_counter()
    populate_cases(store, args.cases, args.day_cases)
    print(f"populate {args.cases} cases ({args.day_cases} on {DAY}): {time.perf_counter() - t:.1f} s")

    def count():
        with store.session() as s:
            return s.execute(text("SELECT count(*) FROM cases")).scalar_one()

    base, _ = _timed(count, 5)

    def figs():
        with store.session() as s:
            return daily_figures(s, DAY)

    from houshi_desk.documents.fonts import cjk_font

    cjk_font()  # font registration is a one-off per process, not per report
    tf, f = _timed(figs)
    tp, pdf = _timed(lambda: render_pdf(f))
    total = tf + tp
    row(f"{name}: daily report over {args.cases} cases ({args.day_cases} that day), figures + PDF", base * 1000,
        total * 1000, baseline_what="count(*) of cases", goal="≤ 2000 ms", met=total <= 2)
    row(f"{name}: … of which the PDF ({len(pdf) // 1024} KiB)", None, tp * 1000)
    print(f"   day: {f.total_cases} cases, {sum(m.chosen for m in f.by_matter)} matters, due {f.due}, "
          f"overdue {f.overdue}, not accepted {f.not_accepted}, reprints {f.reprints}")

    t = time.perf_counter()
    populate_audit(store, args.audit)
    print(f"populate {args.audit} audit entries: {time.perf_counter() - t:.1f} s")

    def stream():
        # the same query verify runs (Core rows; SQLite's time as stored text), minus the hashing
        from sqlalchemy import String, select, type_coerce

        from houshi_desk.store.models_users import AuditEntryRow as A

        at = type_coerce(A.at, String) if store.dialect == "sqlite" else A.at
        n = 0
        with store.session() as s:
            res = s.connection().execute(select(A.seq, at, A.actor, A.action, A.case_number, A.detail, A.prev_hash,
                                                A.hash).order_by(A.seq).execution_options(yield_per=20000))
            for _ in res:
                n += 1
        return n

    tb, _ = _timed(stream, 1)

    def verify():
        with store.session() as s:
            return audit.verify(s)

    tv, r = _timed(verify, 1)
    assert r.ok and r.count == args.audit, r.message
    row(f"{name}: audit verify of {args.audit} entries", tb, tv, unit="s",
        baseline_what="streaming the same rows without hashing")

    with store.session() as s:
        users.add_user(s, username="benchuser", password="Bench-pass-1", role="clerk", actor="bench")

    def ping():
        with store.session() as s:
            s.execute(text("SELECT 1"))

    tping, _ = _timed(ping, 20)
    reps = 2 if args.quick else 10
    tl, _ = _timed(lambda: users.login(store, settings, "benchuser", "Bench-pass-1"), reps)
    from houshi_desk.users.errors import LoginFailed

    def bad():
        try:
            users.login(store, settings, "nosuchuser", "Bench-pass-1")
        except LoginFailed:
            pass

    tu, _ = _timed(bad, reps)
    row(f"{name}: login (argon2id default cost)", tping * 1000, tl * 1000, baseline_what="SELECT 1 round trip")
    row(f"{name}: login of an unknown user (same order: names cannot be guessed by timing)", tl * 1000, tu * 1000,
        baseline_what="login of a known user")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--day-cases", type=int, default=10_000)
    ap.add_argument("--audit", type=int, default=1_000_000)
    ap.add_argument("--pg", default=os.environ.get("HOUSHI_TEST_PG_URL", ""))
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--quick", action="store_true", help="2,000 cases, 5,000 audit entries")
    args = ap.parse_args()
    if args.quick:
        args.cases, args.day_cases, args.audit = 2000, 200, 5000

    with tempfile.TemporaryDirectory(prefix="houshi-bench-users-") as tmp:
        os.environ["HOUSHI_DESK_HOME"] = tmp
        os.environ["HOUSHI_DESK_SYSTEM_CONFIG"] = str(Path(tmp) / "system.toml")
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
        os.environ.pop("HOUSHI_DESK_DATABASE_URL", None)
        from houshi_desk.config import load_settings
        from houshi_desk.store.db import open_store

        settings = load_settings()
        if not args.no_sqlite:
            store = open_store(settings)
            try:
                bench_backend("SQLCipher (embedded)", store, settings, args)
            finally:
                store.close()
        if args.pg:
            import uuid

            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url

            name = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                store = open_store(settings, url=make_url(args.pg).set(database=name).render_as_string(hide_password=False))
                try:
                    bench_backend("PostgreSQL (hall mode)", store, settings, args)
                finally:
                    store.close()
            finally:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                admin.dispose()
        else:
            print("\nPostgreSQL skipped: no --pg URL and HOUSHI_TEST_PG_URL is not set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
