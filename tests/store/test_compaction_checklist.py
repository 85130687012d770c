"""The checklist kept at acceptance is deflated in the embedded database (issue 19: it was 24 KiB of
every case there) and read back unchanged; PostgreSQL keeps it as plain JSON (it compresses large
values itself). A checklist written plain (before, or copied from the other database) reads the same."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text

from houshi_desk.services import cases as svc
from houshi_desk.store.types import PACKED, pack, unpack


def _stored(store, number: str) -> str:
    with store.engine.connect() as c:
        return c.execute(text("SELECT CAST(checklist AS TEXT) FROM cases WHERE number = :n"), {"n": number}).scalar()


def test_checklist_is_packed_on_the_file_and_reads_back_unchanged(store, settings):
    number = svc.create_case(store, svc.case_from_dict(svc.sample_case_dict()), settings=settings,
                             today=date(2026, 1, 23), clerk="clerk1")
    with store.session() as s:
        told = svc.get_case_row(s, number).checklist
    assert len(told["matters"]) > 10 and told["matters"][0]["name"]
    plain = json.dumps(told, ensure_ascii=False, separators=(",", ":"))
    stored = _stored(store, number)
    if store.dialect == "sqlite":
        assert json.loads(stored).keys() == {PACKED}
        assert told["matters"][0]["name"] not in stored
        assert len(stored) * 3 < len(plain.encode("utf-8"))  # a third or less of the compact UTF-8 text
    else:
        assert json.loads(stored) == told  # plain JSON: the server compresses it
    assert unpack(json.loads(stored)) == told

    # as a version before packing wrote it: plain JSON text, read the same
    with store.engine.begin() as c:
        c.execute(text("UPDATE cases SET checklist = :v WHERE number = :n"),
                  {"v": json.dumps(told), "n": number})
    with store.session() as s:
        row = svc.get_case_row(s, number)
        assert row.checklist == told
        assert svc.case_from_row(row).checklist == told
        row.checklist = dict(told, today="2026-01-24")  # written again: packed again on the file
    with store.session() as s:
        assert svc.get_case_row(s, number).checklist == dict(told, today="2026-01-24")
    assert (json.loads(_stored(store, number)).keys() == {PACKED}) == (store.dialect == "sqlite")


def test_small_values_and_none_are_left_as_they_are():
    assert pack(None) is None
    assert pack({"a": 1}) == {"a": 1}
    big = {"matters": [{"name": "终止职工基本养老保险关系待遇", "i": i} for i in range(100)]}
    assert pack(big).keys() == {PACKED} and unpack(pack(big)) == big
    assert unpack({"a": 1}) == {"a": 1} and unpack(None) is None


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
