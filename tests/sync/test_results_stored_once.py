"""Each department result is stored once (issue 19): applied, it is its matter's history row, whose
unique event id is the record that it was applied — no inbox row repeats it. A result for a case or
matter this store does not have stays in the inbox whole. Replays add nothing either way, and the
case window and ``case show --json`` show the results as before."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from houshi_desk.services import cases as svc
from houshi_desk.store.models import CaseMatterRow, CaseTaskRow, MatterStatusRow
from houshi_desk.store.models_sync import SyncInboxRow
from houshi_desk.sync.inbox import apply_event

NOW = datetime(2026, 1, 24, 9, 0)


def _events(number: str) -> list[dict]:
    return [
        {"event_id": "e-1", "seq": 1, "case_id": number, "version": 1, "matter": "hukou_cancel",
         "department": "public_security", "kind": "accepted", "text": "已受理", "at": "2026-01-24T08:00:00+08:00"},
        {"event_id": "e-2", "seq": 2, "case_id": number, "version": 1, "matter": "hukou_cancel",
         "department": "public_security", "kind": "done", "text": "户口已注销", "at": "2026-01-24T08:30:00+08:00"},
        {"event_id": "e-3", "seq": 3, "case_id": number, "version": 1, "matter": "driving_licence_cancel",
         "department": "public_security", "kind": "returned", "text": "请补正驾驶证", "at": "2026-01-24T08:40:00+08:00"},
        {"event_id": "e-4", "seq": 4, "case_id": "150702-W09-20260101-0001", "version": 1, "matter": "hukou_cancel",
         "department": "public_security", "kind": "done", "text": "", "at": "2026-01-24T08:50:00+08:00"},
        {"event_id": "e-5", "seq": 5, "case_id": number, "version": 1, "matter": "no_such_matter",
         "department": "civil_affairs", "kind": "accepted", "text": "", "at": "2026-01-24T08:55:00+08:00"},
    ]


def _submitted(store, settings) -> str:
    return svc.create_case(store, svc.case_from_dict(svc.sample_case_dict(deceased_seq=41)), settings=settings,
                           today=date(2026, 1, 23), clerk="clerk01", submit=True)


def _apply(store, events) -> list[bool]:
    with store.session(write=True) as s:
        return [apply_event(s, ev, NOW) for ev in events]


def test_applied_results_live_once_in_the_history_and_replays_add_nothing(store, settings):
    number = _submitted(store, settings)
    events = _events(number)
    assert _apply(store, events) == [True] * 5
    assert _apply(store, events + events[:2]) == [False] * 7  # a replayed page, a result twice: nothing new
    with store.session() as s:
        inbox = {r.event_id: r for r in s.execute(select(SyncInboxRow)).scalars()}
        history = {h.event_id: h for h in s.execute(select(MatterStatusRow).where(
            MatterStatusRow.event_id.is_not(None))).scalars()}
        matters = {m.code: m for m in s.execute(select(CaseMatterRow)).scalars()}
        tasks = s.execute(select(CaseTaskRow)).scalars().all()
        # applied: the history row only; not applied (no such case / matter here): the inbox, whole
        assert set(history) == {"e-1", "e-2", "e-3"} and set(inbox) == {"e-4", "e-5"}
        for ev in events[3:]:
            r = inbox[ev["event_id"]]
            assert not r.applied
            assert {"event_id": r.event_id, "case_id": r.case_number, "matter": r.matter_code,
                    "department": r.department, "kind": r.kind, "text": r.text, **r.raw} == ev
        h = history["e-2"]
        assert (h.status, h.source, h.note, h.at, h.matter.code) == ("done", "public_security", "户口已注销",
                                                                     datetime(2026, 1, 24, 0, 30), "hukou_cancel")
        assert (matters["hukou_cancel"].status, matters["hukou_cancel"].result) == ("done", "户口已注销")
        assert matters["driving_licence_cancel"].status == "returned"
        assert [(t.kind, t.matter_code) for t in tasks] == [("supplement", "driving_licence_cancel")]
        assert s.execute(select(func.count()).select_from(MatterStatusRow).where(
            MatterStatusRow.event_id.is_not(None))).scalar() == 3


def test_the_history_event_id_is_unique(store, settings):
    """The database itself refuses a result applied twice (e.g. two writers racing past the check)."""
    from sqlalchemy.exc import IntegrityError

    number = _submitted(store, settings)
    _apply(store, _events(number)[:1])
    with pytest.raises(IntegrityError):
        with store.session(write=True) as s:
            m = s.execute(select(CaseMatterRow).where(CaseMatterRow.code == "assistance_stop")).scalar_one()
            s.add(MatterStatusRow(matter_id=m.id, status="done", at=NOW, source="civil_affairs", event_id="e-1"))


def test_the_case_window_and_case_show_json_show_the_results(sqlite_store, settings, logged_in, capsys):
    from houshi_desk.cli import main
    from houshi_desk.services.case_view import case_snapshot

    number = _submitted(sqlite_store, settings)
    _apply(sqlite_store, _events(number))
    snap = case_snapshot(sqlite_store, settings, number, settings=settings, audited=False)
    hukou = next(m for m in snap.matters if m["code"] == "hukou_cancel")
    assert hukou["status"] == "done" and hukou["result"] == "户口已注销"
    assert hukou["history"][-2:] == [(datetime(2026, 1, 24, 0, 0), "accepted", "公安部门", "", "已受理"),
                                     (datetime(2026, 1, 24, 0, 30), "done", "公安部门", "", "户口已注销")]
    assert main(["case", "show", number, "--json"]) == 0
    shown = {m["code"]: m for m in json.loads(capsys.readouterr().out)["matters"]}
    assert (shown["hukou_cancel"]["status"], shown["hukou_cancel"]["result"]) == ("done", "户口已注销")
    assert shown["driving_licence_cancel"]["status"] == "returned"
    assert shown["driving_licence_cancel"]["reason"].startswith("适用")


def test_a_result_in_the_history_is_stored_compactly(store, settings):
    """size_0002: the platform's UUID event id in 16 bytes, the source "" when it is the matter's own
    department (read back from the matter), and on SQLite the time in 8 bytes — read back the same."""
    from sqlalchemy import text

    from houshi_desk.store.types import pack_time

    number = _submitted(store, settings)
    uid = "968bb6c2-5891-4d7f-8e86-fe4f6cbff064"
    ev = dict(_events(number)[1], event_id=uid)
    other = dict(_events(number)[0], department="civil_affairs")  # not hukou_cancel's own department
    assert _apply(store, [ev, other]) == [True, True]
    assert _apply(store, [ev]) == [False]
    with store.engine.connect() as c:
        stored = {bytes(r[0]): r[1:] for r in c.execute(text(
            "SELECT event_id, source, at FROM matter_status_history WHERE event_id IS NOT NULL"))}
    u = bytes.fromhex(uid.replace("-", ""))
    assert set(stored) == {u, b"e-1"}
    assert stored[u][0] == "" and stored[b"e-1"][0] == "civil_affairs"
    if store.dialect == "sqlite":
        assert bytes(stored[u][1]) == pack_time(datetime(2026, 1, 24, 0, 30))
    with store.session() as s:
        rows = {h.event_id: h for h in s.execute(select(MatterStatusRow).where(
            MatterStatusRow.event_id.is_not(None))).scalars()}
        window = [h.source for h in rows[uid].matter.history][:2]
    assert (rows[uid].source, rows[uid].at) == ("public_security", datetime(2026, 1, 24, 0, 30))
    assert rows["e-1"].source == "civil_affairs"
    assert window == ["window", "window"]
