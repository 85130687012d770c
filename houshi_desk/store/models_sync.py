"""Tables of the sync area: the outbox (what must reach the platform), the results inbox and a
small key/value state (changes cursor, queue pause, last answer from the platform).

The outbox is written in the same transaction that submits a case (``houshi_desk.sync.outbox``),
so a saved case is a case that will be sent; nothing lives only in memory.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from houshi_desk.store.models import Base


class SyncOutboxRow(Base):
    """One request to the platform, frozen at enqueue time. States: queued → in_flight → acked;
    retry_wait, blocked, needs_attention, cancelled (see SYNC.md)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (UniqueConstraint("case_number", "seq", name="uq_sync_outbox_case_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    case_version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(Integer)  # order inside the case
    group_order: Mapped[int] = mapped_column(BigInteger)  # order across cases: oldest first
    kind: Mapped[str] = mapped_column(String(16))  # create_case | upload | submit | withdraw
    state: Mapped[str] = mapped_column(String(16), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    material_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    file_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    remote_id: Mapped[str | None] = mapped_column(String(300), nullable=True)  # upload URL, case id
    remote_offset: Mapped[int] = mapped_column(BigInteger, default=0)  # last acknowledged chunk end
    upload_generation: Mapped[int] = mapped_column(Integer, default=0)  # bumped if the server lost an upload
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")  # plain Chinese, for the clerk
    last_error_code: Mapped[str] = mapped_column(String(40), default="")
    lease_owner: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    response: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="local")  # local | bundle
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncInboxRow(Base):
    """A department's result as the platform reported it; the unique event id makes replays harmless."""

    __tablename__ = "sync_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    matter_code: Mapped[str] = mapped_column(String(64), default="")
    department: Mapped[str] = mapped_column(String(32), default="")
    kind: Mapped[str] = mapped_column(String(16))  # accepted | in_progress | done | returned | refused
    text: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    applied: Mapped[bool] = mapped_column(default=False)  # False when the case is not in this store
    raw: Mapped[dict] = mapped_column(JSON, default=dict)


class SyncStateRow(Base):
    """Small named values shared by every terminal of the store (cursor, pause reason, ...)."""

    __tablename__ = "sync_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


Index("ix_sync_outbox_pick", SyncOutboxRow.state, SyncOutboxRow.group_order)
