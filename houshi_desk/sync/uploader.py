"""The uploader: drains the outbox to the platform, one leased item at a time.

One instance per process (the GUI's worker thread, or ``houshi-desk sync``). What it promises
(SYNC.md): per-case order, cross-case round-robin, backoff with jitter and ``Retry-After``, a link
probe so items wait for the link instead of burning attempts, a random 0–10 s start when the link
returns, pause on a refused credential, ``needs_attention`` for a refused item without holding
other cases, and chunk offsets committed after every acknowledged chunk. A database error or a bug
never ends the loop: the item keeps its key and is tried again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from houshi_desk.errors import HoushiError
from houshi_desk.store.models_sync import SyncOutboxRow
from houshi_desk.sync import errors as E
from houshi_desk.sync.backoff import retry_delay
from houshi_desk.sync.client import OffsetMismatch
from houshi_desk.sync.clock import Clock
from houshi_desk.sync.inbox import pull_changes
from houshi_desk.sync.outbox import (
    ACKED, AUDIT_ANCHOR, BLOCKED, CANCELLED, IN_FLIGHT, NEEDS_ATTENTION, QUEUED, RETRY_WAIT,
    claim_next, compact_acked, compacted_payload, enqueue_audit_anchor, is_compacted, promote, recover_in_flight,
    set_state,
)

log = logging.getLogger(__name__)

LINK_CODES = ("network", "unavailable", "timeout", "connection_lost")
MSG_INTERNAL = "同步程序遇到意外错误，已自动排队重试；若反复出现请联系信息科。"
MSG_DB = "本机数据库暂时无法写入（磁盘可能已满），发送已暂停片刻后自动重试；请检查磁盘空间。"


class LocalFileError(E.SyncError):
    pass


class LeaseLost(Exception):
    """Another terminal took the item over (our lease expired); stop touching it."""


@dataclass
class UploaderStats:
    requests: int = 0
    bytes_sent: int = 0
    chunks_sent: int = 0
    bytes_attempted: int = 0  # every chunk byte put on the wire, acknowledged or not
    acked: int = 0
    retries: int = 0
    probes: int = 0
    events_applied: int = 0
    first_byte_at: float | None = None  # monotonic time of the first byte sent after (re)start
    throughput_bps: float | None = None  # measured upload rate (bytes/s), smoothed, for the status bar
    errors: list[str] = field(default_factory=list)


class Uploader:
    def __init__(self, store, *, client_factory: Callable[[], object], filestore, clock: Clock | None = None,
                 owner: str | None = None, lease_seconds: float = 300.0, chunk_size: int = 256 * 1024,
                 rng: random.Random | None = None, pull_interval: float = 60.0, probe_interval: float = 4.0,
                 slice_seconds: float = 20.0, start_delay: float = 2.0, link_return_delay: float = 10.0,
                 numbers_check: Callable[[object], bool] | None = None):
        self.store = store
        self.client_factory = client_factory
        self.filestore = filestore
        self.clock = clock or Clock()
        self.hall = getattr(store, "is_hall_mode", False)
        self.host = socket.gethostname()[:40].replace(":", "_").replace("%", "_")
        # host:pid:random — recovery after a crash recognises this computer's dead processes
        self.owner = owner or f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.chunk_size = chunk_size
        self.rng = rng or random.Random()
        self.pull_interval = pull_interval
        self.probe_interval = probe_interval
        self.slice_seconds = slice_seconds
        self.start_delay = start_delay
        self.link_return_delay = link_return_delay
        self.stats = UploaderStats()
        self._client = None
        self.link_down = False
        self.paused: E.AuthError | None = None
        self._next_probe = 0.0
        self._next_pull = 0.0
        self.not_before: datetime | None = None
        self._last_group: int | None = None
        self._skip: set[int] = set()
        self._db_trouble_until = 0.0
        self.stop_event = threading.Event()
        # issue 14: once the platform answers after a start, the day's case numbers continue after the
        # platform's (services.case_numbers.uploader_check); True when it answered
        self.numbers_check = numbers_check
        self._numbers_due = numbers_check is not None
        self._numbers_next = 0.0
        # Test hook for the kill -9 tests: widen the window between the platform's answer and our
        # commit, so a kill lands there often. Zero (off) unless the variable is set.
        self._reply_pause = float(os.environ.get("HOUSHI_SYNC_TEST_PAUSE_AFTER_REPLY", "0") or 0)

    # ------------------------------------------------------------------ lifecycle

    @property
    def client(self):
        if self._client is None:
            self._client = self.client_factory()
        return self._client

    def reset_client(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # noqa: BLE001 - closing a broken client must not stop the loop
                pass
        self._client = None

    def start(self) -> None:
        """Recover in-flight items (same keys), compact items delivered before acks compacted them
        (once; see ``outbox.compact_acked``) and schedule the first send within a few seconds."""
        now = self.clock.now()
        with self.store.session() as s:
            n = recover_in_flight(s, host=self.host, now=now)
        if n:
            log.info("outbox: %d in-flight item(s) back to queued after restart", n)
        try:  # here rather than in a migration: same code as the ack path, short batches, not at open
            compact_acked(self.store, now=now)
        except SQLAlchemyError as exc:  # only space is at stake: try again at the next start
            log.info("outbox: compaction of delivered items put off (%s)", type(exc).__name__)
        self.not_before = now + timedelta(seconds=self.rng.uniform(0, self.start_delay))
        self._numbers_due = self.numbers_check is not None

    def wake(self) -> None:
        """A case was saved or the link came back: look at the queue now."""
        self.clock.wake()

    def stop(self) -> None:
        self.stop_event.set()
        self.clock.wake()

    def run(self, *, once: bool = False, max_wait: float = 60.0) -> None:
        """Drain until stopped; with ``once``, until nothing can be sent within ``max_wait`` seconds."""
        self.start()
        last_work = self.clock.monotonic()
        while not self.stop_event.is_set():
            result = self.step()
            if result == "worked":
                last_work = self.clock.monotonic()
                continue
            wait = self._wait_hint()
            if once and (result == "paused" or wait is None or wait > max_wait
                         or self.clock.monotonic() - last_work > max_wait):
                if result not in ("paused", "link_down"):
                    self._pull_if_due(force=True)
                return
            self.clock.sleep(min(wait if wait is not None else 5.0, 5.0))

    # ------------------------------------------------------------------ one unit of work

    def step(self) -> str:
        mono = self.clock.monotonic()
        if mono < self._db_trouble_until:
            return "waiting"
        if self.paused is not None or self.link_down:
            if mono < self._next_probe:
                return "paused" if self.paused is not None else "link_down"
            if not self._probe():
                return "paused" if self.paused is not None else "link_down"
        if self._numbers_due and mono >= self._numbers_next:
            self._check_numbers()
        now = self.clock.now()
        if self.not_before is not None and now < self.not_before:
            return "waiting"
        try:
            self.client  # no URL or no credential: pause before touching (and counting) any item
        except E.AuthError as exc:
            self._pause(exc)
            return "paused"
        except HoushiError as exc:
            self._pause(E.AuthError(exc.message, code=getattr(exc, "code", "credentials")))
            return "paused"
        self._pull_if_due()
        try:
            with self.store.session() as s:
                row = claim_next(s, owner=self.owner, now=now, lease_seconds=self.lease.total_seconds(),
                                 after_group=self._last_group, exclude=self._skip)
        except SQLAlchemyError as exc:
            self._db_trouble(exc)
            return "waiting"
        if row is None:
            return "idle"
        self._last_group = row.group_order
        self._process(row)
        return "worked"

    def _wait_hint(self) -> float | None:
        """Seconds until something might be sendable (None: nothing pending at all)."""
        now = self.clock.now()
        mono = self.clock.monotonic()
        if self.paused is not None or self.link_down:
            return max(0.0, self._next_probe - mono)
        if self.not_before is not None and now < self.not_before:
            return (self.not_before - now).total_seconds()
        try:
            with self.store.session() as s:
                q = select(SyncOutboxRow.state, SyncOutboxRow.next_attempt_at, SyncOutboxRow.lease_until).where(
                    SyncOutboxRow.state.in_((QUEUED, RETRY_WAIT, IN_FLIGHT)))
                if self._skip:
                    q = q.where(SyncOutboxRow.id.not_in(list(self._skip)))
                rows = s.execute(q).all()
        except SQLAlchemyError:
            return 5.0
        best = None
        for state, nxt, lease_until in rows:
            at = nxt if state != IN_FLIGHT else lease_until
            secs = 0.0 if at is None else max(0.0, (at - now).total_seconds())
            best = secs if best is None else min(best, secs)
        return best

    # ------------------------------------------------------------------ link, pause, results

    def _probe(self) -> bool:
        self.stats.probes += 1
        try:
            self.client.session_info()
        except E.TransientError:
            self._next_probe = self.clock.monotonic() + self.probe_interval + self.rng.uniform(0, 1.0)
            return False
        except E.AuthError as exc:
            self._pause(exc)
            return False
        except HoushiError as exc:  # e.g. keyring locked
            self._pause(E.AuthError(exc.message, code="credentials"))
            return False
        self._link_up()
        return True

    def _link_up(self) -> None:
        was_down = self.link_down or self.paused is not None
        self.link_down = False
        self.paused = None
        if not was_down:
            return
        self._numbers_next = 0.0  # the day's case numbers, if still unchecked, are asked for at once
        now = self.clock.now()
        # SYNC.md: a random 0–10 s start after the link returns, so a hall of PCs does not stampede.
        self.not_before = now + timedelta(seconds=self.rng.uniform(0, self.link_return_delay))
        try:
            with self.store.session() as s:
                s.execute(update(SyncOutboxRow).where(
                    SyncOutboxRow.state == RETRY_WAIT,
                    SyncOutboxRow.last_error_code.in_(LINK_CODES + ("login", "clock_skew", "tls", "no_credentials",
                                                                    "credentials"))
                ).values(next_attempt_at=self.not_before))
                set_state(s, "paused", "", now)
        except SQLAlchemyError as exc:
            self._db_trouble(exc)
        log.info("sync: link to the platform is back")

    def _pause(self, exc: E.AuthError) -> None:
        self.paused = exc
        self.reset_client()  # the next probe re-reads the credential from the keyring
        self._next_probe = self.clock.monotonic() + (60.0 if exc.code != "clock_skew" else 30.0)
        try:
            with self.store.session() as s:
                set_state(s, "paused", exc.message, self.clock.now())
        except SQLAlchemyError as db_exc:
            self._db_trouble(db_exc)
        log.warning("sync paused: %s", exc.code)

    def _check_numbers(self) -> None:
        try:
            self._numbers_due = not self.numbers_check(self.client)
        except Exception:  # noqa: BLE001 - e.g. no credential yet: the queue handles that; ask again later
            log.info("sync: case numbers not checked with the platform yet", exc_info=True)
        if self._numbers_due:
            self._numbers_next = self.clock.monotonic() + 30.0

    def _pull_if_due(self, force: bool = False) -> None:
        mono = self.clock.monotonic()
        if not force and mono < self._next_pull:
            return
        self._next_pull = mono + self.pull_interval
        try:  # every sync also anchors the audit chain's head at the platform (issue 14)
            with self.store.session() as s:
                enqueue_audit_anchor(s, self.clock.now())
        except SQLAlchemyError as exc:
            log.info("sync: audit anchor not queued this time (%s)", type(exc).__name__)
        try:
            self.stats.events_applied += pull_changes(self.store, self.client, now=self.clock.now())
        except E.AuthError as exc:
            self._pause(exc)
        except (HoushiError, SQLAlchemyError) as exc:
            log.info("sync: results not fetched this time (%s)", type(exc).__name__)

    # ------------------------------------------------------------------ sending one item

    def _process(self, row: SyncOutboxRow) -> None:
        try:
            if is_compacted(row.payload):
                # delivered already (its body was dropped at the ack) and somehow queued again: the
                # platform has it under this key; keep the ack and its receipt, send nothing
                self._finish(row, ACKED, response=row.response, acked_at=row.acked_at or self.clock.now())
            elif row.kind == "create_case":
                resp = self.client.create_case(row.idempotency_key, row.payload)
                self._finish(row, ACKED, response={"case_id": resp["case_id"], "version": resp["version"]})
            elif row.kind == "upload":
                if self._upload(row):
                    self._finish(row, ACKED, response={"upload": row.remote_id})
            elif row.kind in ("submit", "supplement"):
                self._submit(row)
            elif row.kind == "withdraw":
                resp = self.client.withdraw(row.idempotency_key, row.case_number, row.payload)
                self._finish(row, ACKED, response={"case_id": resp["case_id"]})
            elif row.kind == AUDIT_ANCHOR:
                self._anchor(row)
            elif row.kind == "evaluation":  # 好差评 (issue 17)
                resp = self.client._post_json("/api/v1/evaluations", row.payload, row.idempotency_key, "evaluation_id")
                self._finish(row, ACKED, response={"evaluation_id": resp["evaluation_id"]})
            else:
                self._finish(row, NEEDS_ATTENTION, error=("未知的发送项类型，请联系信息科。", "unknown_kind"))
        except LeaseLost:
            log.warning("outbox item %s: lease lost to another terminal", row.id)
        except E.UploadGone as exc:
            self._finish(row, QUEUED, error=(exc.message, exc.code), remote_id=None, remote_offset=0,
                         upload_generation=row.upload_generation + 1, count_failure=False)
        except OffsetMismatch as exc:
            self._retry(row, exc)
        except E.TransientError as exc:
            if exc.link_down:
                self.link_down = True
                self._next_probe = self.clock.monotonic() + self.probe_interval
            self._retry(row, exc)
        except E.AuthError as exc:
            self._pause(exc)
            self._finish(row, RETRY_WAIT, error=(exc.message, exc.code), next_at=self.clock.now())
        except (E.RejectedError, LocalFileError, E.NotConfigured) as exc:
            if isinstance(exc, E.NotConfigured):
                self._finish(row, RETRY_WAIT, error=(exc.message, exc.code),
                             next_at=self.clock.now() + timedelta(minutes=5))
                return
            log.warning("outbox item %s (%s of %s) needs attention: %s", row.id, row.kind, row.case_number,
                        getattr(exc, "code", "local"))
            self._finish(row, NEEDS_ATTENTION, error=(exc.message, getattr(exc, "code", "local")))
            if getattr(exc, "code", "") == "duplicate_deceased":
                self._duplicate_task(row, exc)
        except SQLAlchemyError as exc:
            self._db_trouble(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not become a crash loop
            log.exception("outbox item %s: unexpected error", row.id)
            self.stats.errors.append(repr(exc))
            self.reset_client()
            self._retry(row, E.TransientError(MSG_INTERNAL, code="internal"))

    def _duplicate_task(self, row: SyncOutboxRow, exc: E.RejectedError) -> None:
        """The platform found another terminal's open case for this deceased (issue 15): a clerk
        task on the case says so; the item waits in needs-attention (nothing is retried)."""
        from houshi_desk.store.models import CaseRow, CaseTaskRow

        with self.store.session() as s:
            case_id = s.execute(select(CaseRow.id).where(CaseRow.number == row.case_number)).scalar_one_or_none()
            if case_id is None:
                return
            open_task = s.execute(select(CaseTaskRow.id).where(
                CaseTaskRow.case_id == case_id, CaseTaskRow.kind == "duplicate", CaseTaskRow.done_at.is_(None)))
            if open_task.first() is None:
                s.add(CaseTaskRow(case_id=case_id, kind="duplicate", matter_code=None, created_at=self.clock.now(),
                                  text=f"{exc.message}请与已有案件的受理点核对后撤回本案件；确属另一申请人"
                                       "办理前案未选的事项的，撤回后由主管登记原因重新受理（命令行：case new "
                                       "--override-duplicate 原因）。"))

    def _retry(self, row: SyncOutboxRow, exc: E.TransientError) -> None:
        self.stats.retries += 1
        delay = retry_delay(row.attempts, self.rng, exc.retry_after)
        if exc.code == "offset_mismatch":
            delay = 0.0
        now = self.clock.now()
        if exc.code == "rate_limited" and exc.retry_after:
            # the platform asked this client to slow down: hold the whole queue, not just the item
            self.not_before = max(self.not_before or now, now + timedelta(seconds=exc.retry_after))
        self._finish(row, RETRY_WAIT, error=(exc.message, exc.code), next_at=now + timedelta(seconds=delay))

    def _finish(self, row: SyncOutboxRow, state: str, *, error: tuple[str, str] | None = None,
                next_at: datetime | None = None, response: dict | None = None, count_failure: bool = True,
                **values) -> None:
        if self._reply_pause and state == ACKED:
            time.sleep(self._reply_pause)
        now = self.clock.now()
        vals = dict(state=state, updated_at=now, lease_owner=None, lease_until=None, next_attempt_at=next_at, **values)
        if state == ACKED:
            # the body goes in the same short transaction as the ack; key, hash, size and receipt stay
            vals.setdefault("acked_at", now)
            vals.update(last_error="", last_error_code="", response=response,
                        payload=compacted_payload(row.kind, row.payload, now))
        elif error is not None:
            vals.update(last_error=error[0], last_error_code=error[1])
        if state == QUEUED and not count_failure:
            vals["attempts"] = max(0, row.attempts - 1)
        with self.store.session() as s:
            res = s.execute(update(SyncOutboxRow).where(
                SyncOutboxRow.id == row.id, SyncOutboxRow.lease_owner == self.owner,
                SyncOutboxRow.state == IN_FLIGHT).values(**vals))
            if res.rowcount == 0:
                raise LeaseLost()
            if state == ACKED:
                promote(s, row.case_number, now)
                set_state(s, "last_answer", now.isoformat(timespec="seconds"), now)
        if state == ACKED:
            self.stats.acked += 1

    def _renew(self, **values) -> None:
        """Commit progress (e.g. a chunk offset) and extend our lease in one small transaction."""
        row_id = values.pop("row_id")
        if self._reply_pause:
            time.sleep(self._reply_pause)
        now = self.clock.now()
        with self.store.session() as s:
            res = s.execute(update(SyncOutboxRow).where(
                SyncOutboxRow.id == row_id, SyncOutboxRow.lease_owner == self.owner,
                SyncOutboxRow.state == IN_FLIGHT).values(lease_until=now + self.lease, updated_at=now, **values))
            if res.rowcount == 0:
                raise LeaseLost()

    def _upload(self, row: SyncOutboxRow) -> bool:
        """Send the attachment from where the server has it; True when complete, False when the
        item yields its turn to other cases (offset saved, state queued)."""
        try:
            data = self.filestore.get(row.file_sha256)
        except (OSError, KeyError, HoushiError) as exc:
            if self.hall:  # in hall mode another terminal may hold the file (or the hall key); let it send this one
                self._skip.add(row.id)
                if isinstance(exc, HoushiError):  # e.g. no hall key in this PC's keyring: say so, in its words
                    error = (f"{exc.message} 其他窗口可以发送这一项。", "file_unreadable_here")
                else:
                    error = ("本机读不到该附件文件，等待有该文件的窗口发送。", "file_elsewhere")
                self._finish(row, QUEUED, error=error, count_failure=False)
                return False
            raise LocalFileError(f"本机找不到附件文件（材料 {row.material_code}），无法上传。请重新扫描该材料后重新提交。",
                                 detail=repr(exc)) from exc
        if len(data) != row.file_size or hashlib.sha256(data).hexdigest() != row.file_sha256:
            raise LocalFileError(f"本机附件文件已损坏（材料 {row.material_code} 的校验值不符），无法上传。请重新扫描该材料。")
        key = row.idempotency_key if not row.upload_generation else f"{row.idempotency_key}/g{row.upload_generation}"
        location = row.remote_id
        known = None
        if not location:
            p = row.payload
            location, known = self.client.create_upload(key, case_id=row.case_number, size=row.file_size,
                                                        sha256=row.file_sha256, material=p.get("material", ""),
                                                        filename=p.get("filename", ""))
            self._renew(row_id=row.id, remote_id=location)
            row.remote_id = location
        if known is not None:  # just created (not a replay): the platform has nothing yet
            offset, length = known, row.file_size
        else:
            offset, length = self.client.upload_offset(location)  # a resume always asks the server first
        if length != row.file_size or offset > length:
            raise E.UploadGone("平台上的上传记录与本机不一致，正在重新上传该附件。")
        if offset != row.remote_offset:
            self._renew(row_id=row.id, remote_offset=offset)
        started = self.clock.monotonic()
        mismatches = 0
        sent = row.bytes_sent
        # never more than the platform takes in one chunk (it refuses a bigger one with 413)
        size = min(self.chunk_size, getattr(self.client, "max_chunk", None) or self.chunk_size)
        while offset < length:
            chunk = data[offset:offset + size]
            if self.stats.first_byte_at is None:
                self.stats.first_byte_at = self.clock.monotonic()
            self.stats.bytes_attempted += len(chunk)
            t_chunk = self.clock.monotonic()
            try:
                new = self.client.upload_chunk(location, offset, chunk, key)
            except OffsetMismatch:
                mismatches += 1
                if mismatches > 3:
                    raise
                offset, _ = self.client.upload_offset(location)
                continue
            self.stats.bytes_sent += len(chunk)
            self.stats.chunks_sent += 1
            elapsed = self.clock.monotonic() - t_chunk
            if elapsed > 0:
                rate = len(chunk) / elapsed
                prev = self.stats.throughput_bps
                self.stats.throughput_bps = rate if prev is None else 0.7 * prev + 0.3 * rate
            sent += len(chunk)
            offset = new
            self._renew(row_id=row.id, remote_offset=offset, bytes_sent=sent)
            if offset < length and self.clock.monotonic() - started > self.slice_seconds and self._others_waiting(row):
                self._finish(row, QUEUED, count_failure=False, remote_offset=offset)
                return False
        row.remote_offset = offset
        return True

    def _others_waiting(self, row: SyncOutboxRow) -> bool:
        now = self.clock.now()
        with self.store.session() as s:
            return s.execute(select(SyncOutboxRow.id).where(
                SyncOutboxRow.case_number != row.case_number, SyncOutboxRow.state.in_((QUEUED, RETRY_WAIT)),
                (SyncOutboxRow.next_attempt_at.is_(None)) | (SyncOutboxRow.next_attempt_at <= now)).limit(1)).first() is not None

    def _uploads_for(self, row: SyncOutboxRow) -> list[SyncOutboxRow]:
        """The upload items a submit (or supplement) refers to: those between it and the item of
        another kind before it."""
        with self.store.session() as s:
            anchor = s.execute(select(SyncOutboxRow.seq).where(
                SyncOutboxRow.case_number == row.case_number, SyncOutboxRow.kind != "upload",
                SyncOutboxRow.seq < row.seq).order_by(SyncOutboxRow.seq.desc()).limit(1)).scalar() or 0
            return s.execute(select(SyncOutboxRow).where(
                SyncOutboxRow.case_number == row.case_number, SyncOutboxRow.kind == "upload",
                SyncOutboxRow.seq > anchor, SyncOutboxRow.seq < row.seq,
                SyncOutboxRow.state != CANCELLED).order_by(SyncOutboxRow.seq)).scalars().all()

    def _submit(self, row: SyncOutboxRow) -> None:
        uploads = self._uploads_for(row)
        if any(u.state != ACKED or not u.remote_id for u in uploads):
            # T6: never submit before every attachment is complete; wait behind the uploads.
            self._finish(row, BLOCKED, error=("等待附件上传完成。", "waiting_uploads"), count_failure=False)
            return
        body = dict(row.payload)
        body["attachments"] = [
            {"material": u.material_code, "sha256": u.file_sha256, "size": u.file_size,
             "upload_id": u.remote_id.rsplit("/", 1)[-1]} for u in uploads]
        if row.kind == "supplement":
            resp = self.client.supplement(row.idempotency_key, row.case_number, body)
            self._finish(row, ACKED, response={"supplement_id": resp["supplement_id"]})
        else:
            resp = self.client.submit(row.idempotency_key, row.case_number, body)
            self._finish(row, ACKED, response={"submission_id": resp["submission_id"]})
        self._next_pull = min(self._next_pull, self.clock.monotonic() + 5.0)  # results soon after a submit

    def _anchor(self, row: SyncOutboxRow) -> None:
        """Send the audit chain head, stating what the chain now has at the platform's last anchor
        (the platform refuses the anchor of a chain rewritten since)."""
        from houshi_desk.audit.anchor import clear_restore, hash_at, restored_head

        latest = self.client.audit_anchor_latest()
        p = row.payload
        if latest is not None and latest["seq"] == p["seq"] and latest["hash"] == p["hash"]:
            self._finish(row, ACKED, response={"seq": p["seq"]})  # it arrived; only the reply was lost
            with self.store.session(write=True) as s:
                clear_restore(s)
            return
        body = dict(p)
        if latest is not None:
            with self.store.session() as s:
                body.update(prev_seq=latest["seq"], prev_hash=hash_at(s, latest["seq"]) or "")
                restored = restored_head(s)
            if restored is not None and body["prev_hash"] != latest["hash"]:
                # restored from a backup behind the platform's anchor: declare it, with what the chain
                # has at the platform's last anchor at or before the restored head (audit/anchor.py)
                base = self.client.audit_anchor_latest(at_or_before=restored)
                with self.store.session() as s:
                    base_seq = base["seq"] if base is not None else 0
                    body["restored"] = {"seq": restored, "prev_seq": base_seq, "prev_hash": hash_at(s, base_seq) or ""}
        resp = self.client.audit_anchor(row.idempotency_key, body)
        self._finish(row, ACKED, response={"seq": resp["seq"], **({"restored_from": resp["restored_from"]}
                                                                  if "restored_from" in resp else {})})
        with self.store.session(write=True) as s:
            clear_restore(s)

    def _db_trouble(self, exc: Exception) -> None:
        log.error("sync: database write failed (%s); pausing briefly", type(exc).__name__)
        self.stats.errors.append(MSG_DB)
        self._db_trouble_until = self.clock.monotonic() + 5.0
