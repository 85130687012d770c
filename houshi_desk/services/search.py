"""Case search that stays fast however many cases the database holds (issue 19).

What the clerk types decides what is searched:

- a case number or its prefix (starts with a digit and has a ``-``): ``150702-W01-2026…``;
- a whole ID number (15 or 18 characters, digits and a final check character): exact match;
- the end of an ID number (4 to 17 characters but not 15, digits, the last may be ``X``) — the
  masked lists show the last four, so that is what a clerk reads out: ``002X``;
- anything else: the start of a name of any party (deceased, applicant, proxy), e.g. one surname.

The newest cases come first, at most ``limit``; "newest" is picked by case id (insertion order, which
is creation order: cases are only ever inserted by ``create_case`` at ``now``) and the rows shown are
ordered by ``created_at``. The cost is bounded by the answer, not by the size of the database, and
the join with the deceased party happens only for the rows shown:

- ID number or its tail: one index-only walk of ``ix_parties_id_number`` / ``ix_parties_id_tail``
  (the last four characters, an expression index) by case id, newest first, ``limit`` rows;
- name prefix or case-number prefix: the matching entries of an index that covers the search
  (``ix_parties_name_case``, the case number's unique index) are counted, up to ``CANDIDATES`` + 1.
  If there are no more, they are sorted by case id and the highest ``limit`` are the newest.
  Otherwise the prefix is common (a one-character surname matches ~4 % of all cases): a name walks
  ``ix_parties_surname`` — (first character, case id, name) — backwards from the newest case,
  reading only index entries, until ``limit`` cases match (more than ``CANDIDATES`` of the
  surname's entries match, so few are skipped); a case number walks the cases backwards by id.

The indexes come from migration ``search_0001``.

An account tied to an office (``users.scope``) finds only that office's cases: the office is a
condition of the inner, limited query — each candidate's case row is read by its primary key while the
index is walked (the surname walk goes in steps, see ``_walk_for_office``) — so ``limit`` counts only
cases the account may see, and the join with the deceased party still happens only for the rows shown. ``office=None`` (a province-level or hall-wide account)
searches everything, as before.
"""
from __future__ import annotations

import unicodedata

from sqlalchemy import and_, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from houshi_desk.domain.identity import mask_id_number
from houshi_desk.store.models import CaseRow, PartyRow

CANDIDATES = 500  # a prefix with more matching index entries than this walks the newest cases instead
ID_TAIL = 4  # the indexed end of the ID number: what the masked lists show


def id_tail(session: Session, column=PartyRow.id_number):
    """The SQL expression of the indexed ID tail: literally the one the migration indexes (a bound
    parameter in its place would not match the index)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.right(column, literal_column(str(ID_TAIL)))
    return func.substr(column, literal_column(str(-ID_TAIL)))


def classify(text: str) -> tuple[str, str]:
    """(kind, normalised query): kind is number | id | id_tail | name | empty."""
    q = text.strip()
    if not q:
        return "empty", ""
    up = unicodedata.normalize("NFKC", q).upper()  # full-width digits and dashes from a Chinese IME
    if up[:1].isdigit() and "-" in up:
        return "number", up
    digits, last = up[:-1], up[-1:]
    if digits.isascii() and (digits.isdigit() or not digits):
        if (last.isdigit() or last == "X") and len(up) in (15, 18):
            return "id", up
        if (last.isdigit() or last == "X") and ID_TAIL <= len(up) < 18:
            return "id_tail", up
    return "name", q


def search_cases(session: Session, text: str, limit: int = 50, *, office: str | None = None) -> list:
    """The newest ``limit`` cases matching ``text``; with ``office``, only that office's cases."""
    from houshi_desk.services.cases import CaseSummary

    kind, q = classify(text)
    if kind == "empty" or limit <= 0:
        return []
    ids = _newest_ids(session, kind, q, limit, office)
    if not ids:
        return []
    rows = session.execute(
        select(CaseRow.id, CaseRow.created_at, CaseRow.number, CaseRow.status, CaseRow.application_date,
               CaseRow.clerk, PartyRow.name, PartyRow.id_number)
        .join(PartyRow, (PartyRow.case_id == CaseRow.id) & (PartyRow.role == "deceased"))
        .where(CaseRow.id.in_(ids), *_office_is(office))
    ).all()
    seen: set[int] = set()
    out = []
    for r in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True):
        if r[0] in seen:  # a case with two deceased rows is listed once
            continue
        seen.add(r[0])
        out.append(CaseSummary(r[2], r[3], r[4], r[5], r[6], mask_id_number(r[7])))
    return out


def _party_match(session: Session, kind: str, q: str):
    """The condition on PartyRow for a party search."""
    if kind == "id":
        return PartyRow.id_number == q
    if kind == "id_tail":
        cond = id_tail(session) == q[-ID_TAIL:]
        if len(q) > ID_TAIL:
            cond = and_(cond, PartyRow.id_number.endswith(q, autoescape=True))
        return cond
    return and_(PartyRow.name >= q, PartyRow.name < q + "\uffff")


def _office_is(office: str | None) -> list:
    return [] if office is None else [CaseRow.office == office]


def _scoped(stmt, case_id, office: str | None):
    """``stmt`` (over PartyRow, or over CaseRow when ``case_id`` is ``CaseRow.id``) kept to ``office``'s
    cases: each candidate's case row is read by its primary key inside the limited query. A correlated
    subquery rather than a join: with a join PostgreSQL reads every case of a small office first (a
    sequential scan; there is no index on the office) instead of walking the search index newest-first."""
    if office is None:
        return stmt
    if case_id is CaseRow.id:
        return stmt.where(CaseRow.office == office)
    return stmt.where(select(CaseRow.office).where(CaseRow.id == case_id).scalar_subquery() == office)


def _newest_ids(session: Session, kind: str, q: str, limit: int, office: str | None = None) -> list[int]:
    """Ids of the newest ``limit`` matching cases (of ``office`` when given), newest first."""
    if kind in ("id", "id_tail"):
        cond = _party_match(session, kind, q)
        return list(session.execute(_scoped(
            select(PartyRow.case_id).where(cond), PartyRow.case_id, office)
            .distinct().order_by(PartyRow.case_id.desc()).limit(limit)
        ).scalars())
    if kind == "number":
        cond = and_(CaseRow.number >= q, CaseRow.number < q + "\uffff")
        col = CaseRow.id
    else:
        cond = _party_match(session, kind, q)
        col = PartyRow.case_id
    # Count the matching index entries, up to CANDIDATES + 1, without reading a row (nor the office:
    # this only decides between sorting the few and walking the newest).
    n = session.execute(
        select(func.count()).select_from(select(col).where(cond).limit(CANDIDATES + 1).subquery())).scalar_one()
    if n == 0:
        return []
    if n <= CANDIDATES:  # few: sort them all (at most CANDIDATES index entries)
        return list(session.execute(
            _scoped(select(col).where(cond), col, office).distinct().order_by(col.desc()).limit(limit)).scalars())
    if kind == "number":  # common prefix: the newest cases, checked one by one
        walk = and_(CaseRow.number + "" >= q, CaseRow.number + "" < q + "\uffff")  # not the number index: by id
        return list(session.execute(
            select(CaseRow.id).where(walk, *_office_is(office)).order_by(CaseRow.id.desc()).limit(limit)).scalars())
    surname = func.substr(PartyRow.name, literal_column("1"), literal_column("1"))  # as ix_parties_surname
    walk = surname == q[0] if len(q) == 1 else and_(surname == q[0], cond)  # one character: nothing else to test
    if office is not None:
        return _walk_for_office(session, walk, limit, office)
    return list(session.execute(
        select(PartyRow.case_id).where(walk).distinct().order_by(PartyRow.case_id.desc()).limit(limit)
    ).scalars())


WALK_BATCH_MAX = 2000  # case ids per step of an office's walk (an IN list of that many keys)


def _walk_for_office(session: Session, walk, limit: int, office: str) -> list[int]:
    """The surname walk for an office clerk: the index is walked newest-first in steps (the same
    index-only walk as everyone's, from below the last id seen), and each step's cases are kept to
    ``office`` by their primary keys, until ``limit`` cases are found or the surname's entries end.
    In steps rather than one query with the office inside: PostgreSQL cannot tell how many entries the
    office check will skip, and for a small office it then read and sorted every entry of the surname
    (bitmap scan; 13 ms at 100k cases, growing with the database) instead of stopping at ``limit``."""
    found: list[int] = []
    below = None
    step = max(4 * limit, 200)
    while len(found) < limit:
        q = select(PartyRow.case_id).where(walk)
        if below is not None:
            q = q.where(PartyRow.case_id < below)
        ids = list(session.execute(q.distinct().order_by(PartyRow.case_id.desc()).limit(step)).scalars())
        if not ids:
            break
        # the ids as literals in the statement: hundreds of bound parameters cost more than the look-ups
        keys = bindparam("step_ids", ids, expanding=True, literal_execute=True)
        mine = set(session.execute(
            select(CaseRow.id).where(CaseRow.id.in_(keys), CaseRow.office == office)).scalars())
        found.extend(i for i in ids if i in mine)
        if len(ids) < step:
            break
        below, step = ids[-1], min(2 * step, WALK_BATCH_MAX)
    return found[:limit]


def find_cases(store, user, text: str, *, limit: int = 50) -> list:
    """``houshi-desk case search``: the cases ``text`` finds among those ``user`` may see (their
    office's; all for an account with no office). Needs 查看案件 (nobody logged in: refused)."""
    from houshi_desk.users.roles import Permission
    from houshi_desk.users.scope import visible_office
    from houshi_desk.users.sessions import require

    acting = require(user, Permission.CASE_VIEW)
    with store.session() as s:
        return search_cases(s, text, limit=limit, office=visible_office(acting))


def case_list(store, user, *, day=None, text: str = "", limit: int = 50) -> tuple[list, dict[str, str]]:
    """The main window's case list with the clerks' display names: the cases found by ``text`` or,
    without text, the cases of ``day`` (up to 500) — only those of the account's office when it has
    one, as a single case is checked (``users.scope``). Needs 查看案件 (nobody logged in: refused)."""
    from houshi_desk.services.cases import cases_of_day
    from houshi_desk.services.people import clerk_names
    from houshi_desk.users.roles import Permission
    from houshi_desk.users.scope import visible_office
    from houshi_desk.users.sessions import require

    acting = require(user, Permission.CASE_VIEW)
    office = visible_office(acting)
    with store.session() as s:
        found = search_cases(s, text, limit=limit, office=office) if text.strip() else cases_of_day(s, day, office=office)
        return found, clerk_names(s)
