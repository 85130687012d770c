"""JSON values packed with a preset dictionary (issue 19): the checklist kept at acceptance, the
facts, the death record and identity documents are stored as deflate with a dictionary built from
the catalog (store/types.py) — on SQLite and PostgreSQL alike — and read back unchanged. Older forms
(plain JSON, the first packing's base64 dict) read the same; a shipped dictionary never changes."""
from __future__ import annotations

import base64
import hashlib
import json
import zlib
from datetime import date, datetime

import pytest
from sqlalchemy import text

from houshi_desk.services import cases as svc
from houshi_desk.store.types import DICTIONARIES, MAGIC, PACKED, PackingError, dictionary, pack, unpack


def _stored(store, column: str, number: str) -> bytes:
    with store.engine.connect() as c:
        v = c.execute(text(f"SELECT {column} FROM cases WHERE number = :n"), {"n": number}).scalar()
    return bytes(v) if isinstance(v, memoryview) else v


def test_checklist_and_facts_are_packed_and_read_back_unchanged(store, settings):
    number = svc.create_case(store, svc.case_from_dict(svc.sample_case_dict()), settings=settings,
                             today=date(2026, 1, 23), clerk="clerk1")
    with store.session() as s:
        row = svc.get_case_row(s, number)
        told, facts, death = row.checklist, row.facts, row.death
        identity = row.parties[0].identity
    assert len(told["matters"]) > 10 and told["matters"][0]["name"]
    assert facts["death_kind"] == "normal" and death and identity["name"]
    plain = json.dumps(told, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    stored = _stored(store, "checklist", number)
    assert isinstance(stored, bytes) and stored[0] == MAGIC and stored[1] in DICTIONARIES
    assert told["matters"][0]["name"].encode("utf-8") not in stored
    assert len(stored) * 10 < len(plain)  # a tenth or less of the compact UTF-8 text (was a third)
    assert unpack(stored) == told
    assert len(_stored(store, "facts", number)) * 3 < len(json.dumps(facts, ensure_ascii=False).encode())

    # as versions before wrote it: plain JSON, and (SQLite) the first packing's base64 dict — read the same
    first = {PACKED: base64.b64encode(zlib.compress(plain, 9)).decode("ascii")}
    for old in (json.dumps(told, ensure_ascii=False), json.dumps(first)):
        with store.engine.begin() as c:
            c.execute(text("UPDATE cases SET checklist = :v WHERE number = :n"),
                      {"v": old.encode("utf-8") if store.dialect == "postgresql" else old, "n": number})
        with store.session() as s:
            row = svc.get_case_row(s, number)
            assert row.checklist == told
            assert svc.case_from_row(row).checklist == told
    with store.session(write=True) as s:
        svc.get_case_row(s, number).checklist = dict(told, today="2026-01-24")  # written again: packed again
    with store.session() as s:
        assert svc.get_case_row(s, number).checklist == dict(told, today="2026-01-24")
    assert _stored(store, "checklist", number)[0] == MAGIC


def test_pack_round_trips_and_picks_the_smallest():
    assert pack(None) is None and unpack(None) is None
    for value in ({}, {"a": 1}, [1, "二", None], {"matters": [{"name": "终止职工基本养老保险关系待遇", "i": i}
                                                                  for i in range(100)]}):
        packed = pack(value)
        assert packed[0] == MAGIC and unpack(packed) == value and unpack(memoryview(packed)) == value
    assert unpack({"a": 1}) == {"a": 1} and unpack('{"a": 1}') == {"a": 1} and unpack(b'{"a":1}') == {"a": 1}
    with pytest.raises(PackingError):
        unpack(bytes((MAGIC, 250)) + b"\x00")


def test_shipped_dictionaries_never_change():
    """Rows name their dictionary by number and are read with it forever: a changed or missing file
    would make them unreadable (or read wrong). Add a new number instead (resources/packing/README.md)."""
    from houshi_desk.resources import resource_path

    folder = resource_path("resources", "packing")
    shipped = {int(p.stem.split("-")[1]): p for p in folder.glob("json-*.zdict")}
    assert set(shipped) == set(DICTIONARIES)
    for number, path in shipped.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == DICTIONARIES[number], path
        assert dictionary(number) == path.read_bytes() and 0 < len(path.read_bytes()) <= 32 * 1024


def test_json_columns_are_compact_utf8_text(store, settings):
    """Chinese in a JSON column is stored as itself, not as \\u escapes (twice its bytes), and
    without spaces after separators (issue 19)."""
    data = svc.sample_case_dict()
    number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=date(2026, 1, 23),
                             clerk="clerk1", submit=True)
    with store.engine.connect() as c:
        body = c.execute(text("SELECT CAST(payload AS TEXT) FROM sync_outbox WHERE case_number = :n "
                              "AND kind = 'create_case'"), {"n": number}).scalar()
    assert data["deceased"]["name"] in body and "\\u" not in body
    assert '", "' not in body and '": ' not in body
    value = json.loads(body)
    assert value["case_id"] == number and any(p["name"] == data["deceased"]["name"] for p in value["parties"])


def test_a_matters_reason_is_stored_once_in_the_checklist(store, settings):
    """case_matters.reason repeated the checklist snapshot's text: it is stored "" when the same and
    read from the snapshot; a reason the snapshot does not hold is stored as it is."""
    from houshi_desk.store.models import CaseMatterRow

    number = svc.create_case(store, svc.case_from_dict(svc.sample_case_dict(deceased_seq=3)), settings=settings,
                             today=date(2026, 1, 23), clerk="clerk1")
    with store.session() as s:
        row = svc.get_case_row(s, number)
        told = {m["code"]: m["reason"] for m in row.checklist["matters"]}
        assert {m.code: m.reason for m in row.matters} == {m.code: told[m.code] for m in row.matters}
        assert {m.stored_reason for m in row.matters} == {""}
        assert all(m.reason for m in svc.case_from_row(row).matters)
    with store.session(write=True) as s:
        m = svc.get_case_row(s, number).matters[0]
        code = m.code
        s.add(CaseMatterRow(case_id=m.case_id, code="not_in_the_checklist", department="x", applicable=True,
                            mandatory=False, chosen=False, reason="另行登记", updated_at=datetime(2026, 1, 23)))
    with store.engine.connect() as c:
        stored = dict(c.execute(text("SELECT code, reason FROM case_matters")).fetchall())
    assert stored["not_in_the_checklist"] == "另行登记" and stored[code] == ""
    with store.session() as s:
        assert {m.code: m.reason for m in svc.get_case_row(s, number).matters}["not_in_the_checklist"] == "另行登记"
