"""Tables of the hall store (issue 17): in hall mode the scanned pages, material PDFs and kept
printed copies live in PostgreSQL, so any window can send any case.

A file is named by the SHA-256 of its plaintext (``hall_files``) and kept as 256 KiB chunks
(``hall_file_chunks``), each sealed with AES-256-GCM under the hall key (own nonce; the file's hash
and the chunk's number as associated data, so a chunk moved to another file or place fails to open).
The hall key itself never lies in the database: ``hall_key`` holds only its fingerprint, so a
window with another key is told so instead of showing garbage. On SQLite the tables exist, unused.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from houshi_desk.store.models import Base


class HallFileRow(Base):
    """One stored file; written in the same transaction as all its chunks."""

    __tablename__ = "hall_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class HallFileChunkRow(Base):
    """``nonce | AES-GCM ciphertext+tag`` of plaintext bytes [seq × chunk size, …) of a file."""

    __tablename__ = "hall_file_chunks"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("hall_files.sha256", ondelete="CASCADE"),
                                        primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class HallKeyRow(Base):
    """The fingerprint of the hall key (one row, id 1); never the key."""

    __tablename__ = "hall_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64), default="")
