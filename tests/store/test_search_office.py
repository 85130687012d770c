"""An office clerk's case search (users.scope, on top of issue 19's search): the office is checked on
each candidate's case row, read by its primary key inside the limited query, so the answer is the
newest ``limit`` cases of that office and the plans still walk the search indexes — also on the walk
over the newest matches (forced here with a small CANDIDATES)."""
from __future__ import annotations

from sqlalchemy import event, text

from houshi_desk.services import search
from tests.store.test_search import populate

SMALL = "小办理点"


def _numbers_of(session, office: str) -> set[str]:
    return set(session.execute(text("SELECT number FROM cases WHERE office = :o"), {"o": office}).scalars())


def test_office_search_is_the_newest_of_the_office_on_both_paths(store, monkeypatch):
    people = populate(store, 400)
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE cases SET office = CASE WHEN id % 4 = 0 THEN '{SMALL}' ELSE '大厅' END"))
    queries = ["王", "王伟", people[3]["name"], people[5]["id"], people[7]["id"][-4:], "150702-", people[9]["number"],
               people[9]["number"].rsplit("-", 1)[0]]
    for candidates in (search.CANDIDATES, 1):
        monkeypatch.setattr(search, "CANDIDATES", candidates)
        with store.session() as s:
            small = _numbers_of(s, SMALL)
            for q in queries:
                for limit in (50, 3):
                    everything = search.search_cases(s, q, limit=1000)
                    assert search.search_cases(s, q, limit=limit, office=SMALL) == [
                        c for c in everything if c.number in small][:limit], (q, limit, candidates)


def test_sqlite_plans_for_an_office_read_indexes_and_each_case_by_its_key(sqlite_store, monkeypatch):
    people = populate(sqlite_store, 900)  # a surname's walk takes more than one step
    with sqlite_store.engine.begin() as conn:
        conn.execute(text(f"UPDATE cases SET office = CASE WHEN id % 4 = 0 THEN '{SMALL}' ELSE '大厅' END"))
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if "cases.office" in statement or "substr(parties.name" in statement:  # and the office's surname walk
            statements.append((statement, parameters))

    queries = ["王", "王伟", people[3]["name"], people[5]["id"], people[7]["id"][-4:], "150702-", people[9]["number"]]
    event.listen(sqlite_store.engine, "before_cursor_execute", remember)
    try:
        for candidates in (search.CANDIDATES, 1):
            monkeypatch.setattr(search, "CANDIDATES", candidates)
            with sqlite_store.session() as s:
                for q in queries:
                    search.search_cases(s, q, office=SMALL)
    finally:
        event.remove(sqlite_store.engine, "before_cursor_execute", remember)
    assert len(statements) >= 2 * len(queries)
    used = set()
    with sqlite_store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            plan = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            for step in plan:
                if step.startswith("SCAN ") and step.split()[1] in ("cases", "parties") and "INDEX" not in step:
                    # the one allowed table walk: a common case-number prefix, newest first by id
                    assert step == "SCAN cases" and "ORDER BY cases.id DESC" in statement, (statement, plan)
                if step.startswith("SEARCH cases"):  # a candidate's case: by its key (or the number's index)
                    assert "PRIMARY KEY" in step or "sqlite_autoindex_cases_1" in step, (statement, plan)
            used |= {w for step in plan for w in step.split() if w.startswith("ix_")}
            if "parties.case_id <" in statement:  # a later step goes on below the last id, on the same index
                assert any("ix_parties_surname (<expr>=? AND case_id<?)" in step for step in plan), plan
    assert {"ix_parties_name_case", "ix_parties_surname", "ix_parties_id_tail"} <= used
    assert any("parties.case_id <" in statement for statement, _ in statements)
