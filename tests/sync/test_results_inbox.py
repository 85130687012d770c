"""Results coming back (T10): each department event applied once, even when the platform
delivers it three times; 补正 becomes a task on the case; the cursor moves with the events."""
from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import func, select

from houshi_desk.store.models import CaseMatterRow, CaseTaskRow, MatterStatusRow
from houshi_desk.store.models_sync import SyncInboxRow
from houshi_desk.sync.inbox import pull_changes
from houshi_desk.sync.outbox import get_state
from tests.sync.conftest import drain


def _wait_events(ref, n, timeout=20.0):
    deadline = time.monotonic() + timeout
    while len(ref.dump()["events"]) < n:
        assert time.monotonic() < deadline, "platform did not emit the expected events"
        time.sleep(0.1)


def test_T10_each_result_delivered_three_times_applied_once(terminal):
    ref = terminal.ref
    ref.platform.dup_events = 3
    ref.platform.processing.return_matters = {"hukou_cancel"}
    number = terminal.new_case([3000])
    drain(terminal.uploader())
    submitted = ref.dump()["submissions"][0]["body"]["matters"]
    # accepted+in_progress+done per matter, accepted+returned for the returned one
    expected = 3 * (len(submitted) - 1) + 2
    _wait_events(ref, expected)
    client = terminal.client()
    for _ in range(12):  # each pull sees the held-back page again until it went out three times
        pull_changes(terminal.store, client)
    with terminal.store.session() as s:
        # each applied result is stored once: its history row (issue 19); the inbox keeps none of them
        assert s.execute(select(func.count()).select_from(SyncInboxRow)).scalar() == 0
        history = s.execute(select(MatterStatusRow.event_id).where(MatterStatusRow.event_id.is_not(None))).scalars().all()
        assert len(history) == len(set(history)) == expected
        matters = {m.code: m.status for m in s.execute(select(CaseMatterRow).where(CaseMatterRow.chosen)).scalars()}
        assert matters["hukou_cancel"] == "returned"
        assert {v for k, v in matters.items() if k != "hukou_cancel"} == {"done"}
        tasks = s.execute(select(CaseTaskRow)).scalars().all()
        assert [(t.kind, t.matter_code) for t in tasks] == [("supplement", "hukou_cancel")]
        assert "补正" in tasks[0].text
        assert get_state(s, "changes_cursor") == str(ref.dump()["events"][-1]["seq"])
    assert number


def test_garbage_changes_reply_moves_nothing(terminal):
    from houshi_desk.sync.errors import TransientError

    terminal.new_case([])
    drain(terminal.uploader())
    _wait_events(terminal.ref, 1)
    terminal.ref.platform.faults.update({"script": ["garbage:GET:/changes", "bad_json:GET:/changes"]})
    client = terminal.client()
    for _ in range(2):
        try:
            pull_changes(terminal.store, client)
        except TransientError as exc:
            assert "无法识别" in exc.message
        else:
            raise AssertionError("garbage accepted")
    with terminal.store.session() as s:
        assert s.execute(select(func.count()).select_from(SyncInboxRow)).scalar() == 0
        assert get_state(s, "changes_cursor", "0") == "0"
    assert pull_changes(terminal.store, client) >= 1


def test_supplement_answers_a_return_and_the_matter_finishes(terminal):
    """退回补正 → a task; the clerk rescans and answers → a supplement item (uploads + supplement)
    → the department takes the matter up again and finishes it."""
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.store.models import MaterialFileRow
    from houshi_desk.sync.outbox import enqueue_supplement

    ref = terminal.ref
    ref.platform.processing.return_matters = {"hukou_cancel"}
    number = terminal.new_case([3000])
    up = terminal.uploader()
    drain(up)
    _wait_events(ref, 1)
    deadline = time.monotonic() + 20
    while True:
        pull_changes(terminal.store, terminal.client())
        with terminal.store.session() as s:
            task = s.execute(select(CaseTaskRow).where(CaseTaskRow.kind == "supplement")).scalar_one_or_none()
        if task is not None:
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with terminal.store.session() as s:
        row = get_case_row(s, number)
        material = row.materials[1]
        data = b"%PDF-1.4\n supplement page"
        material.files.append(MaterialFileRow(page_no=1, sha256=terminal.filestore.put(data), mime="application/pdf",
                                              size=len(data), source="import", created_at=datetime.now()))
        material.state = "scanned"
        s.flush()
        enqueue_supplement(s, row, "hukou_cancel", [material.code], note="已补充户口簿")
    drain(up, start=False)
    dump = ref.dump()
    assert [(x["case_id"], x["matter"]) for x in dump["supplements"]] == [(number, "hukou_cancel")]
    deadline = time.monotonic() + 20
    while True:
        pull_changes(terminal.store, terminal.client())
        with terminal.store.session() as s:
            status = s.execute(select(CaseMatterRow.status).where(CaseMatterRow.code == "hukou_cancel")).scalar()
            done_at = s.execute(select(CaseTaskRow.done_at)).scalar()
        if status == "done":
            break
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert done_at is not None
