"""SQLAlchemy 2 tables of the case store (same models on SQLCipher and PostgreSQL).

The core: cases, their parties, matters with status history, materials with their files (scanned
pages), clerk tasks (补正), the print log and the per-terminal case-number sequence. Areas add
their own tables in ``models_<area>.py`` on the same ``Base`` (sync's outbox and inbox, users and
the audit trail); ``models_all`` imports them all so metadata is complete.

Schema changes go through Alembic migrations only (``houshi_desk/store/migrations``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from houshi_desk.store.types import CompactDateTime, EventId, PackedJSON

# Stable constraint names, so migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    region: Mapped[str] = mapped_column(String(8))  # catalog region: nm | nx
    region_code: Mapped[str] = mapped_column(String(6))
    terminal_id: Mapped[str] = mapped_column(String(8))
    office: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    clerk: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    application_date: Mapped[date] = mapped_column(Date, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by an edit after submission
    facts: Mapped[dict] = mapped_column(PackedJSON, default=dict)  # packed: store/types.py (size_0001)
    death: Mapped[dict] = mapped_column(PackedJSON, default=dict)  # DeathFacts as JSON, packed
    death_kind: Mapped[str] = mapped_column(String(16), default="normal")
    died_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    id_card_surrendered: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)  # personal data removed by retention
    # What the family was told at acceptance (policy_0001): reprints render from this, not today's catalog.
    catalog_version: Mapped[str] = mapped_column(String(32), default="", server_default="")
    checklist: Mapped[dict | None] = mapped_column(PackedJSON, nullable=True)  # packed (store/types.py)
    delivery: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # {"method": pickup|post, address, …}
    # The hall's queue (queue_0001): the ticket the family was called with and when; all empty without the queue.
    ticket: Mapped[str | None] = mapped_column(String(32), nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    served_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # accepted at the window
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # the ticket closed

    parties: Mapped[list["PartyRow"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PartyRow.id"
    )
    matters: Mapped[list["CaseMatterRow"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMatterRow.id"
    )
    materials: Mapped[list["CaseMaterialRow"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMaterialRow.id"
    )
    tasks: Mapped[list["CaseTaskRow"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseTaskRow.id"
    )

    def party(self, role: str) -> "PartyRow | None":
        return next((p for p in self.parties if p.role == role), None)


class PartyRow(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # deceased | applicant | proxy
    name: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str] = mapped_column(String(32), index=True)
    card_type: Mapped[str] = mapped_column(String(16), default="resident")
    identity: Mapped[dict] = mapped_column(PackedJSON, default=dict)  # IdentityDocument.to_dict(full=True), packed
    photo_wlt: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    employer: Mapped[str] = mapped_column(String(120), default="")
    bank_account: Mapped[str] = mapped_column(String(64), default="")
    bank_name: Mapped[str] = mapped_column(String(120), default="")
    relation: Mapped[str | None] = mapped_column(String(32), nullable=True)  # to the deceased (applicant) or applicant (proxy)
    note: Mapped[str] = mapped_column(Text, default="")
    relationship_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # 特定关系人: what relationship
    # a proxy's authorisation period (委托期限), not the ID card's validity (that is in ``identity``)
    authorised_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    authorised_to: Mapped[date | None] = mapped_column(Date, nullable=True)

    case: Mapped[CaseRow] = relationship(back_populates="parties")


class CaseMatterRow(Base):
    __tablename__ = "case_matters"
    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_matters_case_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    department: Mapped[str] = mapped_column(String(32), default="")
    applicable: Mapped[bool] = mapped_column(Boolean)
    mandatory: Mapped[bool] = mapped_column(Boolean)
    chosen: Mapped[bool] = mapped_column(Boolean)
    # Why (not) applicable, as the family was told. Stored "" when it is the reason the case's checklist
    # snapshot holds for this matter (issue 19: the same text twice); ``reason`` reads it from there.
    stored_reason: Mapped[str] = mapped_column("reason", Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    due_date_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    result: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(CompactDateTime)  # 8 bytes on SQLite too (size_0002)

    # loaded with the matter (from the identity map, as a rule): ``reason`` reads the case's checklist
    case: Mapped[CaseRow] = relationship(back_populates="matters", lazy="selectin")
    history: Mapped[list["MatterStatusRow"]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="MatterStatusRow.id"
    )

    @property
    def reason(self) -> str:
        if self.stored_reason:
            return self.stored_reason
        told = self.told_reason()
        return told if told is not None else (self.stored_reason or "")

    @reason.setter
    def reason(self, value: str) -> None:
        self.stored_reason = value

    def told_reason(self) -> str | None:
        """The reason the case's checklist snapshot holds for this matter; None without one."""
        case = self.case
        return told_reason(case.checklist if case is not None else None, self.code)


def told_reason(checklist: dict | None, code: str) -> str | None:
    for m in (checklist or {}).get("matters") or ():
        if isinstance(m, dict) and m.get("code") == code:
            reason = m.get("reason")
            return reason if isinstance(reason, str) else None
    return None


@event.listens_for(CaseMatterRow, "before_insert")
def _reason_once(mapper, connection, target: CaseMatterRow) -> None:
    if target.stored_reason and target.stored_reason == target.told_reason():
        target.stored_reason = ""


class MatterStatusRow(Base):
    """Every status a matter went through, from the clerk or from a department's result."""

    __tablename__ = "matter_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("case_matters.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(CompactDateTime)  # 8 bytes on SQLite too (size_0002)
    # window | platform | <department>; stored "" when it is the matter's own department (size_0002)
    stored_source: Mapped[str] = mapped_column("source", String(32), default="window")
    actor: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # a department result's event id: the record that it was applied (sync/inbox.py; unique: size_0001),
    # a UUID's 16 bytes (size_0002)
    event_id: Mapped[str | None] = mapped_column(EventId, nullable=True, unique=True, index=True)

    # loaded with the row (from the identity map, as a rule): ``source`` may read the matter's department
    matter: Mapped[CaseMatterRow] = relationship(back_populates="history", lazy="selectin")

    @property
    def source(self) -> str:
        if self.stored_source:
            return self.stored_source
        matter = self.matter
        return (matter.department if matter is not None else "") or ""

    @source.setter
    def source(self, value: str) -> None:
        self.stored_source = value


@event.listens_for(MatterStatusRow, "before_insert")
def _source_once(mapper, connection, target: MatterStatusRow) -> None:
    matter = target.matter
    if matter is not None and matter.department and target.stored_source == matter.department:
        target.stored_source = ""


class CaseMaterialRow(Base):
    __tablename__ = "case_materials"
    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_materials_case_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="missing")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(CompactDateTime)  # 8 bytes on SQLite too (size_0002)

    case: Mapped[CaseRow] = relationship(back_populates="materials")
    files: Mapped[list["MaterialFileRow"]] = relationship(
        back_populates="material", cascade="all, delete-orphan", order_by="MaterialFileRow.page_no"
    )


class MaterialFileRow(Base):
    """One stored page (or a whole PDF) of a material; the bytes live encrypted under files/<sha256>."""

    __tablename__ = "material_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("case_materials.id", ondelete="CASCADE"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dpi: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(32), default="")  # sane:test:0 | import | camera | folder
    created_at: Mapped[datetime] = mapped_column(DateTime)

    material: Mapped[CaseMaterialRow] = relationship(back_populates="files")


class CaseTaskRow(Base):
    """Something the clerk must do on a case, e.g. a department's 补正 request."""

    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # supplement | surrender_id_card | ...
    matter_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    case: Mapped[CaseRow] = relationship(back_populates="tasks")


class PrintLogRow(Base):
    """Every print (or PDF save) of a document, true to what happened; reprints marked 补打."""

    __tablename__ = "print_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(32))  # application | promise | proxy | notice | receipt | ...
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(64), default="")
    printer: Mapped[str] = mapped_column(String(120), default="")  # "" = saved as PDF only
    paper: Mapped[str] = mapped_column(String(32), default="")
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="printed")  # printed | failed | saved
    error: Mapped[str] = mapped_column(Text, default="")
    pdf_path: Mapped[str] = mapped_column(String(400), default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")


class CaseNumberSequenceRow(Base):
    """Last sequence number per ``region-terminal-day`` prefix; bumped atomically by an upsert."""

    __tablename__ = "case_number_sequences"

    prefix: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class EvaluationRow(Base):
    """A 好差评 evaluation (GB/T 39735-2020 data items); a 差评 (level 1–2) is also the supervisor's
    rectification task: ``rectify_due`` working-day deadline, ``rectified_at`` when done (queue_0001)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # accepted | closed (受理后 / 办结后)
    matter_codes: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(16))  # window (窗口) | evaluator (评价器) | slip (纸质)
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    clerk: Mapped[str] = mapped_column(String(64), index=True)
    rectify_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    rectified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    rectified_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    rectify_note: Mapped[str] = mapped_column(Text, default="", server_default="")


Index("ix_cases_region_status_date", CaseRow.region, CaseRow.status, CaseRow.application_date)
