"""Outbox states and ordering against the real reference platform (T3, T6, T8)."""
from __future__ import annotations

import hashlib

from tests.sync.conftest import drain, outbox_rows


def test_submit_freezes_case_into_ordered_items(terminal):
    number = terminal.new_case([1000, 2000])
    rows = outbox_rows(terminal.store, number)
    assert [r.kind for r in rows] == ["create_case", "upload", "upload", "submit"]
    assert [r.state for r in rows] == ["queued", "blocked", "blocked", "blocked"]
    assert len({r.idempotency_key for r in rows}) == 4
    assert all(len(r.payload_sha256) == 64 for r in rows)
    # the create payload carries full parties (the platform needs them) but the submit does not
    assert any(p["id_number"] == "11010519491231002X" for p in rows[0].payload["parties"])
    assert [a["size"] for a in rows[-1].payload["attachments"]] == [1000, 2000]


def test_T3_every_committed_case_is_acked_and_files_match(terminal):
    numbers = [terminal.new_case([70_000, 150_000], seed=i) for i in range(3)]
    up = terminal.uploader()
    drain(up)
    rows = outbox_rows(terminal.store)
    assert {r.state for r in rows} == {"acked"}, [(r.kind, r.state, r.last_error) for r in rows]
    dump = terminal.ref.dump()
    assert sorted(c["case_id"] for c in dump["cases"]) == sorted(numbers)
    assert sorted(s["case_id"] for s in dump["submissions"]) == sorted(numbers)
    for u in dump["uploads"]:
        data = (terminal.ref.data_dir / "uploads" / f"{u['id']}.part").read_bytes()
        assert u["complete"] == 1 and hashlib.sha256(data).hexdigest() == u["sha256"]
    assert len(dump["uploads"]) == 6


def test_T6_no_submit_before_attachments_complete(terminal):
    numbers = [terminal.new_case([200_000, 90_000], seed=i) for i in range(2)]
    terminal.ref.platform.faults.update({"rates": {"5xx": 0.15, "drop": 0.1}, "seed": 6})
    drain(terminal.uploader(chunk_size=32 * 1024))
    dump = terminal.ref.dump()
    assert dump["counters"].get("premature_submits", 0) == 0
    by_id = {u["id"]: u for u in dump["uploads"]}
    for s in dump["submissions"]:
        for a in s["body"]["attachments"]:
            assert by_id[a["upload_id"]]["completed_at"] <= s["created_at"]
    assert sorted(s["case_id"] for s in dump["submissions"]) == sorted(numbers)


def test_T8_rejected_case_needs_attention_after_one_attempt_others_drain(terminal):
    bad = terminal.new_case([5000], seed=1)
    good = [terminal.new_case([5000], seed=i) for i in range(2, 5)]
    terminal.ref.platform.reject_cases[bad] = "逝者身份信息与人口库比对不一致"
    drain(terminal.uploader())
    rows = outbox_rows(terminal.store)
    first_bad = [r for r in rows if r.case_number == bad][0]
    assert first_bad.state == "needs_attention" and first_bad.attempts == 1
    assert "逝者身份信息与人口库比对不一致" in first_bad.last_error
    assert {r.state for r in rows if r.case_number == bad and r.seq > 1} == {"blocked"}
    assert {r.state for r in rows if r.case_number in good} == {"acked"}


def test_cancel_before_first_contact_and_withdraw_after(terminal):
    from houshi_desk.sync.outbox import cancel_case

    a = terminal.new_case([1000], seed=1)
    with terminal.store.session() as s:
        assert cancel_case(s, a, reason="家属撤回") == "cancelled"
    b = terminal.new_case([1000], seed=2)
    up = terminal.uploader()
    up.start()
    assert up.step() == "worked"  # the shell of b reached the platform
    with terminal.store.session() as s:
        assert cancel_case(s, b, reason="家属撤回") == "withdraw"
    drain(up)
    states = {(r.case_number, r.kind): r.state for r in outbox_rows(terminal.store)}
    assert states[(a, "create_case")] == "cancelled"
    assert states[(b, "withdraw")] == "acked"
    dump = terminal.ref.dump()
    assert [c["case_id"] for c in dump["cases"]] == [b]
    assert [w["case_id"] for w in dump["withdrawals"]] == [b]
    assert dump["submissions"] == []
