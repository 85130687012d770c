"""Delivered outbox items are compacted (issue 19): once the platform has acknowledged an item its
body is dropped in the same transaction as the ack; the Idempotency-Key, the payload's SHA-256 and
size, the ack time and the platform's receipt stay. A copy of the items from before the ack (a
restored backup, a USB bundle) still sends harmlessly: the platform answers the same key from its
idempotency store. Items acked by an older version are compacted once when the sender starts.
On the encrypted file and on hall-mode PostgreSQL, against the reference platform on loopback."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, text, update

from houshi_desk.store.models_sync import SyncOutboxRow, SyncStateRow
from houshi_desk.sync.client import canonical_json
from houshi_desk.sync.outbox import (
    COMPACTION_MARK, compact_acked, enqueue_audit_anchor, is_compacted, payload_bytes, sha256_hex,
)
from tests.sync.conftest import drain, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once

PASS = "u盘口令-2026"
COPIED = ("state", "payload", "response", "acked_at", "remote_id", "remote_offset", "bytes_sent", "attempts",
          "first_contact_at", "last_attempt_at", "next_attempt_at", "lease_owner", "lease_until")


@pytest.fixture(params=["sqlite", "postgresql"])
def term(request, terminal, monkeypatch):
    """The terminal on the encrypted file, or in hall mode on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield terminal
        return
    from houshi_desk.store.db import open_store
    from tests.sync.conftest import Terminal

    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", request.getfixturevalue("pg_url"))
    store = open_store(terminal.settings)
    assert store.is_hall_mode
    yield Terminal(terminal.settings, store, terminal.filestore, terminal.ref)
    store.close()


def _stored_text(store, row_id: int) -> str:
    """The payload column as the database holds it (not as SQLAlchemy hands it back)."""
    with store.engine.connect() as c:
        return c.execute(text("SELECT CAST(payload AS TEXT) FROM sync_outbox WHERE id = :i"), {"i": row_id}).scalar()


def _snapshot(store, number=None) -> dict:
    return {r.idempotency_key: {f: getattr(r, f) for f in COPIED} for r in outbox_rows(store, number)}


def _restore(store, snapshot: dict) -> None:
    """Put the items back as a copy taken earlier had them (what restoring that backup does to them)."""
    with store.session() as s:
        for key, values in snapshot.items():
            s.execute(update(SyncOutboxRow).where(SyncOutboxRow.idempotency_key == key).values(**values))


def test_ack_drops_the_body_and_keeps_key_hash_size_and_receipt(term):
    from houshi_desk.services.outbox import load_items
    from houshi_desk.services.cases import sample_case_dict

    number = term.new_case([40_000, 6_000], seed=1)
    before = {r.idempotency_key: r for r in outbox_rows(term.store, number)}
    id_number = sample_case_dict()["deceased"]["id_number"]
    create = next(r for r in before.values() if r.kind == "create_case")
    assert id_number in _stored_text(term.store, create.id)  # the body, personal data and all, until the ack

    drain(term.uploader())

    after = outbox_rows(term.store, number)
    assert [r.idempotency_key for r in after] == list(before)  # every key kept, same order
    for r in after:
        old = before[r.idempotency_key]
        assert r.state == "acked" and r.acked_at is not None and r.response, (r.kind, r.state)
        assert is_compacted(r.payload), (r.kind, r.payload)
        assert r.payload_sha256 == old.payload_sha256 == sha256_hex(canonical_json(old.payload))
        assert payload_bytes(r.payload) == len(canonical_json(old.payload)) > 0
        assert r.payload["case_id"] == number and r.payload["version"] == 1
        stored = _stored_text(term.store, r.id)
        assert id_number not in stored and "parties" not in stored and "matters" not in stored
        assert len(stored.encode("utf-8")) < 200 < len(json.dumps(old.payload).encode("utf-8")) or r.kind == "upload"
    uploads = [r for r in after if r.kind == "upload"]
    assert [(u.payload["material"], u.payload["sha256"], u.payload["size"]) for u in uploads] == \
        [(u.material_code, u.file_sha256, u.file_size) for u in uploads]
    assert all(u.payload["filename"] for u in uploads)
    assert {r.kind: r.response for r in after}["create_case"] == {"case_id": number, "version": 1}
    assert_exactly_once(term)

    # the outbox view still lists what was sent
    items = [i for i in load_items(term.store, include_finished=True) if i["case"] == number]
    assert [(i["kind"], i["state"]) for i in items] == [(r.kind, "acked") for r in after]
    assert [i["size"] for i in items if i["kind"] == "upload"] == [40_000, 6_000]
    # the audit anchor keeps its {seq, hash}: an unchanged chain head is not anchored twice
    anchor = next(r for r in outbox_rows(term.store) if r.kind == "audit_anchor")
    assert anchor.state == "acked" and {"seq", "hash"} <= set(anchor.payload)
    with term.store.session() as s:
        assert enqueue_audit_anchor(s) is None


def test_copies_from_before_the_ack_still_send_only_once(term, tmp_path):
    """A backup restored from before the ack re-sends whole bodies under the same keys; a USB
    bundle of the same items is refused as already known; a compacted item queued again sends
    nothing. The platform ends with every case, submission and file exactly once."""
    from houshi_desk.sync.bundle import export_bundle, import_bundle

    number = term.new_case([30_000], seed=2)
    bundle = tmp_path / "before-ack.hdb"
    exported = export_bundle(term.store, term.filestore, term.settings, bundle, PASS)
    copy = _snapshot(term.store, number)  # the items as a backup taken now has them
    drain(term.uploader())
    assert all(is_compacted(r.payload) for r in outbox_rows(term.store, number))
    counters = dict(term.ref.dump()["counters"])

    # the same items enqueued again from the bundle: the kept keys say they are known
    again = import_bundle(term.store, term.filestore, bundle, PASS)
    assert (again.created, again.skipped) == (0, exported.items)

    # restore: the items are back as they were before the ack, bodies whole, same keys
    _restore(term.store, copy)
    assert not any(is_compacted(r.payload) for r in outbox_rows(term.store, number))
    drain(term.uploader())
    rows = outbox_rows(term.store, number)
    assert all(r.state == "acked" and is_compacted(r.payload) for r in rows)
    c = assert_exactly_once(term)
    assert c.get("idempotent_replays", 0) > counters.get("idempotent_replays", 0)  # answered from its store
    assert c.get("cases_created") == counters.get("cases_created")

    # a compacted item queued again has no body to send: it stays delivered, with its receipt
    create = next(r for r in rows if r.kind == "create_case")
    with term.store.session() as s:
        s.execute(update(SyncOutboxRow).where(SyncOutboxRow.id == create.id).values(state="queued"))
    platform = term.ref.platform.store
    with platform.lock:
        seen = platform.one("SELECT coalesce(max(id), 0) AS n FROM request_log")["n"]
    drain(term.uploader())
    redone = next(r for r in outbox_rows(term.store, number) if r.kind == "create_case")
    assert (redone.state, redone.acked_at, redone.response, redone.payload) == \
        ("acked", create.acked_at, create.response, create.payload)
    with platform.lock:
        paths = [w["path"] for w in platform.q("SELECT path FROM request_log WHERE id > ?", seen)]
    assert not [p for p in paths if f"/cases/{number}" in p or p.endswith("/cases")], paths
    assert_exactly_once(term)


def test_items_acked_before_compaction_are_compacted_once_at_start(term):
    numbers = [term.new_case([20_000], seed=3), term.new_case([], seed=4)]
    whole = _snapshot(term.store)
    drain(term.uploader())
    acked = _snapshot(term.store)
    # as an older version left them: acked, bodies whole, no mark
    _restore(term.store, {k: dict(v, payload=whole[k]["payload"]) for k, v in acked.items() if k in whole})
    with term.store.session() as s:
        s.execute(delete(SyncStateRow).where(SyncStateRow.name == COMPACTION_MARK))
    assert not any(is_compacted(r.payload) for r in outbox_rows(term.store) if r.kind != "audit_anchor")

    up = term.uploader()
    up.start()
    rows = outbox_rows(term.store)
    assert all(is_compacted(r.payload) for r in rows if r.kind != "audit_anchor"), [r.kind for r in rows]
    assert {r.case_number for r in rows} >= set(numbers)
    for r in rows:
        if r.idempotency_key not in whole:  # an audit anchor queued while sending
            continue
        body = whole[r.idempotency_key]["payload"]
        assert r.payload_sha256 == sha256_hex(canonical_json(body))
        assert payload_bytes(r.payload) == len(canonical_json(body))
        assert (r.response, r.acked_at) == (acked[r.idempotency_key]["response"], acked[r.idempotency_key]["acked_at"])
    with term.store.session() as s:
        top = s.execute(select(SyncOutboxRow.id).order_by(SyncOutboxRow.id.desc()).limit(1)).scalar()
        assert s.get(SyncStateRow, COMPACTION_MARK).value == str(top)
    assert compact_acked(term.store) == 0  # done once: the next start looks at nothing old

    # an item acked whole after the mark (e.g. an acked upload brought in by a bundle) is found next time
    key = next(k for k in whole if whole[k]["payload"].get("material"))
    _restore(term.store, {key: {"payload": whole[key]["payload"]}})
    with term.store.session() as s:
        s.execute(update(SyncStateRow).where(SyncStateRow.name == COMPACTION_MARK).values(value="0"))
    assert compact_acked(term.store, batch=2) == 1
    assert all(is_compacted(r.payload) for r in outbox_rows(term.store) if r.kind != "audit_anchor")


def test_results_are_stored_once_in_the_history(term):
    """A department's result was stored three times (the inbox's columns, the whole event again in
    ``raw``, and the matter's history): applied, it is now only its history row, whose event id is
    the record that it was applied (tests/sync/test_results_stored_once.py has the unapplied case)."""
    import time

    from houshi_desk.store.models import CaseMatterRow, CaseRow, MatterStatusRow
    from houshi_desk.store.models_sync import SyncInboxRow
    from houshi_desk.sync.inbox import KIND_STATUS, pull_changes

    number = term.new_case([], seed=5)
    drain(term.uploader())
    platform = term.ref.platform.store
    for _ in range(600):  # the departments answer every 0.3 s (ref_platform); wait for all of it
        with platform.lock:
            if not platform.one("SELECT count(*) AS n FROM schedule WHERE emitted = 0")["n"]:
                break
        time.sleep(0.05)
    client = term.client()
    sent = [e for e in client.changes("0", limit=1000)["events"] if e["case_id"] == number]
    assert len(sent) >= 3 and any(e.get("text") for e in sent)
    assert pull_changes(term.store, client) >= len(sent)
    assert pull_changes(term.store, client) == 0
    with term.store.session() as s:
        assert s.execute(select(SyncInboxRow).where(SyncInboxRow.case_number == number)).first() is None
        rows = {h.event_id: (h, code) for h, code in s.execute(
            select(MatterStatusRow, CaseMatterRow.code).join(CaseMatterRow).join(CaseRow)
            .where(CaseRow.number == number, MatterStatusRow.event_id.is_not(None)))}
    assert set(rows) == {e["event_id"] for e in sent}
    for ev in sent:
        h, code = rows[ev["event_id"]]
        assert (h.status, h.source, h.note, code) == (KIND_STATUS[ev["kind"]].value, ev["department"],
                                                       ev.get("text") or "", ev["matter"])
