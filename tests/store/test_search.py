"""Case search (houshi_desk/services/search.py, issue 19) on both back ends: the same answers as a
brute-force reading of every case, through both of its paths (few matches: sort them; many: walk
the newest cases), the indexes it needs after ``upgrade heads`` and after upgrading a database of
the previous release, and — on SQLite — query plans that read indexes, never a whole table."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, insert, text

from houshi_desk.services import cases as svc
from houshi_desk.services import search
from houshi_desk.store.models import CaseRow, PartyRow

SURNAMES = "王李张刘陈"  # few surnames: each matches far more than search.CANDIDATES cases
GIVEN = "伟芳娜秀英敏静丽强磊"
N_CASES = 1500
INDEXES = {"ix_parties_name_case", "ix_parties_surname", "ix_parties_id_tail"}
PREVIOUS_HEADS = ("policy_0001", "sync_0001", "users_0001")  # the heads before search_0001


def _id_number(rng: random.Random) -> str:
    from stdnum.cn import ric

    born = date(1930, 1, 1) + timedelta(days=rng.randrange(25000))
    body = f"110105{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def populate(store, n: int = N_CASES, seed: int = 1, *, as_found: bool = False) -> list[dict]:
    """Synthetic cases with a deceased and an applicant each; ``created_at`` rises with the id.
    ``as_found``: written through the tables as the database has them (an older schema: JSON columns
    plain, before size_0001 packed them), not through today's models."""
    rng = random.Random(seed)
    cases, parties, people = [], [], []
    t0 = datetime(2026, 1, 5, 8, 0)
    for i in range(1, n + 1):
        day = date(2026, 1, 5) + timedelta(days=i // 100)
        number = f"150702-W{1 + i % 3:02d}-{day:%Y%m%d}-{i % 100 + 1:04d}"
        at = t0 + timedelta(minutes=i)
        cases.append(dict(id=i, number=number, region="nm", region_code="150702", terminal_id=f"W{1 + i % 3:02d}",
                          office="", status="submitted", clerk="clerk1", created_at=at, updated_at=at,
                          application_date=day, facts={}, death={}, death_kind="normal", died_at=at, notes="",
                          version=1, id_card_surrendered=False, anonymised=False))
        for role in ("deceased", "applicant"):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            idn = _id_number(rng)
            parties.append(dict(case_id=i, role=role, name=name, id_number=idn, card_type="resident", identity={},
                                phone="", address="", employer="", bank_account="", bank_name="", note=""))
            people.append({"case": i, "number": number, "at": at, "name": name, "id": idn, "role": role})
    with store.engine.begin() as conn:
        if as_found:
            from sqlalchemy import MetaData, Table

            found = MetaData()
            conn.execute(insert(Table("cases", found, autoload_with=conn)), cases)
            conn.execute(insert(Table("parties", found, autoload_with=conn)), parties)
        else:
            conn.execute(insert(CaseRow), cases)
            conn.execute(insert(PartyRow), parties)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
    return people


def reference(people: list[dict], query: str, limit: int = 50) -> list[str]:
    """Brute force: the newest ``limit`` matching cases (by id), shown newest first."""
    kind, q = search.classify(query)
    if kind == "number":
        hits = {p["case"] for p in people if p["number"].startswith(q)}
    elif kind == "id":
        hits = {p["case"] for p in people if p["id"] == q}
    elif kind == "id_tail":
        hits = {p["case"] for p in people if p["id"].endswith(q)}
    else:
        hits = {p["case"] for p in people if p["name"].startswith(q)}
    newest = sorted(hits, reverse=True)[:limit]
    number = {p["case"]: p["number"] for p in people}
    return [number[c] for c in newest]  # created_at rises with the id here


def _queries(people: list[dict]) -> list[str]:
    rng = random.Random(5)
    some = rng.sample(people, 12)
    return (list(SURNAMES) + [p["name"][:2] for p in some[:4]] + [p["name"] for p in some[:4]]
            + [p["id"] for p in some[4:7]] + [p["id"][-4:] for p in some[7:10]] + [p["id"][-6:] for p in some[10:]]
            + ["150702-", "150702-W02", some[0]["number"], some[1]["number"].rsplit("-", 1)[0], "不存在的人"])


def test_search_answers_as_a_brute_force_reading_through_both_paths(store):
    people = populate(store)
    counts = {s: sum(1 for p in people if p["name"].startswith(s)) for s in SURNAMES}
    assert min(counts.values()) > search.CANDIDATES  # the surnames take the "walk the newest" path
    with store.session() as s:
        for q in _queries(people):
            for limit in (50, 7):
                got = [c.number for c in svc.search_cases(s, q, limit=limit)]
                assert got == reference(people, q, limit), (q, limit)


def test_search_shows_the_deceased_masked_and_finds_by_any_party(store):
    people = populate(store, 300)
    applicant = next(p for p in people if p["role"] == "applicant")
    deceased = next(p for p in people if p["case"] == applicant["case"] and p["role"] == "deceased")
    with store.session() as s:
        found = svc.search_cases(s, applicant["id"][-4:])
        mine = [c for c in found if c.number == applicant["number"]]
        assert mine and mine[0].deceased_name == deceased["name"]
        assert mine[0].deceased_id_masked == deceased["id"][:6] + "*" * 8 + deceased["id"][-4:]
        assert svc.search_cases(s, applicant["name"])[0].deceased_name  # the list always names the deceased
        assert svc.search_cases(s, "   ") == []


@pytest.mark.parametrize("query, kind", [
    ("王", "name"), ("王小明", "name"), ("123", "name"), ("150702-W01", "number"), ("150702-w01-2026", "number"),
    ("11010519491231002X", "id"), ("11010519491231002x", "id"), ("110105491231002", "id"), ("002X", "id_tail"),
    ("1231002x", "id_tail"), ("  0071 ", "id_tail"), ("X002", "name"), ("００２Ｘ", "id_tail"),
    ("１５０７０２－Ｗ０１", "number"),
])
def test_what_the_clerk_types_decides_the_search(query, kind):
    got, q = search.classify(query)
    assert got == kind
    if kind != "name":
        assert q.isascii() and q == q.strip().upper()


def _index_names(store) -> set[str]:
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            rows = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'parties'"))
        else:  # the inspector skips expression indexes on SQLite
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parties'"))
        return set(rows.scalars())


def test_the_search_indexes_exist_after_upgrade_heads(store):
    assert INDEXES <= _index_names(store)


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_store(request, tmp_path):
    """An empty database on either back end, not migrated at all."""
    import secrets

    from houshi_desk.store.db import postgres_store, sqlite_store

    if request.param == "postgresql":
        store = postgres_store(request.getfixturevalue("pg_url"))
    else:
        store = sqlite_store(tmp_path / "previous.db", secrets.token_hex(32))
    yield store
    store.close()


def _alembic(store, fn, *revisions):
    from alembic import command
    from alembic.config import Config

    from houshi_desk.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        for rev in revisions:
            getattr(command, fn)(cfg, rev)


def test_upgrade_from_the_previous_release_keeps_the_cases_and_adds_the_indexes(unmigrated_store):
    store = unmigrated_store
    _alembic(store, "upgrade", *PREVIOUS_HEADS)
    assert not INDEXES & _index_names(store)
    people = populate(store, 600, as_found=True)
    store.migrate()
    assert INDEXES <= _index_names(store)
    with store.session() as s:
        for q in ("王", people[0]["id"][-4:], people[0]["name"], "150702-"):
            assert [c.number for c in svc.search_cases(s, q)] == reference(people, q), q


def test_sqlite_plans_read_indexes_never_a_whole_table(sqlite_store):
    people = populate(sqlite_store)
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    queries = ["王", "王伟", people[3]["name"], people[5]["id"], people[7]["id"][-4:], "150702-", people[9]["number"]]
    event.listen(sqlite_store.engine, "before_cursor_execute", remember)
    try:
        with sqlite_store.session() as s:
            for q in queries:
                svc.search_cases(s, q)
    finally:
        event.remove(sqlite_store.engine, "before_cursor_execute", remember)
    assert len(statements) >= len(queries)
    used = set()
    with sqlite_store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            plan = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            for step in plan:
                if step.startswith("SCAN ") and step.split()[1] in ("cases", "parties") and "INDEX" not in step:
                    # the one allowed table walk: a common case-number prefix, newest first by id
                    assert step == "SCAN cases" and "ORDER BY cases.id DESC" in statement, (statement, plan)
            used |= {w for step in plan for w in step.split() if w.startswith("ix_")}
    assert {"ix_parties_name_case", "ix_parties_surname", "ix_parties_id_tail"} <= used
