"""The hall store: in hall mode (``database.url`` is PostgreSQL) scanned pages, material PDFs and
kept printed copies live in the hall's PostgreSQL database, so any window can send any case and a
window that dies mid-send is taken over by another one.

Same interface as the terminal's :class:`~houshi_desk.scanning.filestore.FileStore` (``put``,
``get``, ``exists``, ``delete``, ``all``, ``collect``); ``FileStore.for_settings`` hands it out in
hall mode, so callers never know which one they hold.

- Content-addressed: a file is named by the SHA-256 of its plaintext; the same page put twice (by
  two windows at once, too) is stored once.
- Chunked: 256 KiB plaintext chunks in ``hall_file_chunks``, each AES-256-GCM with its own random
  nonce and ``<sha256>:<seq>`` as associated data, so a chunk moved to another file or position fails
  to open. A file's row and all its chunks are written in one transaction: there is never half a file.
- The hall key: 32 random bytes made by ``houshi-desk hall key create`` and enrolled into each
  window's keyring by a supervisor (``hall key export|import``, passphrase-protected like the
  recovery key: scrypt + AES-GCM). It never lies in the database; ``hall_key`` holds its
  fingerprint, so a window with another hall key (or none) gets a clear Chinese error instead of
  garbage, and nothing is written under the wrong key.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

from houshi_desk.store.keys import KeyMissing, RecoveryFileError, KeyringUnavailable

CHUNK_SIZE = 256 * 1024
KEY_FORMAT = "houshi-desk-hall-key/1"
KDF = "scrypt-n32768-r8-p1"  # the recovery key's
_ENTRY = "hall-key"  # keyring entry (service "houshi-desk")
_NONCE = 12
_FP_INFO = b"houshi-desk/hall-key-fingerprint\x00"

_engines: dict[str, object] = {}
_engines_lock = threading.Lock()
_checked: set[tuple[str, str]] = set()  # (url, fingerprint) pairs already matched against the database


def _is_sha(name: str) -> bool:
    return isinstance(name, str) and len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def _store_error(message: str, **kw):
    from houshi_desk.store.db import StoreError

    return StoreError(message, **kw)


# ---------------------------------------------------------------- the hall key


def fingerprint(key: bytes) -> str:
    """32 hex digits naming a hall key; says nothing about the key itself."""
    return hashlib.sha256(_FP_INFO + key).hexdigest()[:32]


def show(fp: str | None) -> str:
    """A fingerprint as people read it aloud: ``ab12 cd34 ef56 7890``."""
    if not fp:
        return "—"
    return " ".join(fp[i:i + 4] for i in range(0, 16, 4))


def new_key() -> bytes:
    return secrets.token_bytes(32)


def keyring_key() -> bytes | None:
    """The hall key enrolled in this PC's keyring, or None."""
    from houshi_desk.store.keys import SERVICE, _keyring

    keyring, errors = _keyring()
    try:
        raw = keyring.get_password(SERVICE, _ENTRY)
    except errors.KeyringError as exc:
        raise KeyringUnavailable("无法读取系统钥匙串中的大厅密钥（钥匙串被锁定或不可用）。请解锁钥匙串后重试。",
                                 detail=f"{type(exc).__name__}: {exc}") from exc
    if not raw:
        return None
    try:
        doc = json.loads(raw)
        key = bytes.fromhex(doc["key"])
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyMissing("本机钥匙串中的大厅密钥已损坏，无法使用。请由主管重新导入：houshi-desk hall key import 文件 --force") from exc
    if len(key) != 32 or fingerprint(key) != doc.get("fingerprint"):
        raise KeyMissing("本机钥匙串中的大厅密钥已损坏，无法使用。请由主管重新导入：houshi-desk hall key import 文件 --force")
    return key


def save_keyring_key(key: bytes) -> str:
    from houshi_desk.store.keys import SERVICE, _keyring

    keyring, errors = _keyring()
    fp = fingerprint(key)
    try:
        keyring.set_password(SERVICE, _ENTRY, json.dumps({"key": key.hex(), "fingerprint": fp}))
    except errors.KeyringError as exc:
        raise KeyringUnavailable("无法把大厅密钥保存到系统钥匙串（钥匙串被锁定或不可用）。请解锁钥匙串或联系信息科。",
                                 detail=f"{type(exc).__name__}: {exc}") from exc
    return fp


def seal_key_file(key: bytes, out: Path, passphrase: str) -> str:
    """Write ``key`` to ``out`` protected by ``passphrase`` (the recovery file's scheme and fields)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from houshi_desk.store.keys import _derive

    if len(passphrase) < 8:
        raise RecoveryFileError("大厅密钥的保护口令至少需要 8 个字符。")
    fp = fingerprint(key)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, key, fp.encode("ascii"))
    doc = {
        "format": KEY_FORMAT,
        "key_id": fp,
        "kdf": KDF,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "sealed_key": base64.b64encode(sealed).decode(),
    }
    out.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return fp


def open_key_file(path: Path, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from houshi_desk.store.keys import _derive

    try:
        raw = Path(path).read_bytes()
        if len(raw) > 64 * 1024:
            raise ValueError("too big")
        doc = json.loads(raw.decode("utf-8"))
        fmt, fp, kdf = doc["format"], doc["key_id"], doc["kdf"]
        salt, nonce, sealed = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "sealed_key"))
    except FileNotFoundError as exc:
        raise RecoveryFileError(f"找不到大厅密钥文件：{path}。请检查路径和文件名。") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RecoveryFileError(f"大厅密钥文件无法读取或格式不对：{path}") from exc
    if fmt != KEY_FORMAT:
        hint = "（这是数据库恢复密钥文件，请用 houshi-desk key import 导入）" if str(fmt).startswith("houshi-desk-recovery") else ""
        raise RecoveryFileError(f"这不是大厅密钥文件：{path}{hint}")
    if kdf != KDF:
        raise RecoveryFileError(f"大厅密钥文件的口令算法不认识（{str(kdf)[:40]}），请用本程序导出的文件。")
    try:
        key = AESGCM(_derive(passphrase, salt)).decrypt(nonce, sealed, str(fp).encode("ascii"))
    except (InvalidTag, UnicodeEncodeError) as exc:
        raise RecoveryFileError("大厅密钥的保护口令不正确，或文件已被改动。") from exc
    if len(key) != 32 or fingerprint(key) != fp:
        raise RecoveryFileError("大厅密钥文件已被改动（指纹不符），未导入。")
    return key


def database_fingerprint(conn_or_session) -> str | None:
    from sqlalchemy import select

    from houshi_desk.store.models_hall import HallKeyRow

    return conn_or_session.execute(select(HallKeyRow.fingerprint).where(HallKeyRow.id == 1)).scalar()


def record_fingerprint(session, fp: str, *, actor: str) -> None:
    """Set the hall's key fingerprint (in the caller's transaction, row locked while it decides)."""
    from houshi_desk.store.models_hall import HallKeyRow

    row = session.get(HallKeyRow, 1, with_for_update=True)
    if row is None:
        session.add(HallKeyRow(id=1, fingerprint=fp, created_at=datetime.now(), created_by=actor[:64]))
    else:
        row.fingerprint, row.created_at, row.created_by = fp, datetime.now(), actor[:64]
    session.flush()


def stored_file_count(session) -> int:
    from sqlalchemy import func, select

    from houshi_desk.store.models_hall import HallFileRow

    return int(session.execute(select(func.count()).select_from(HallFileRow)).scalar_one())


def _resolve_key(engine, url: str) -> bytes:
    """This PC's hall key, checked against the fingerprint the hall database records."""
    key = keyring_key()
    fp = fingerprint(key) if key is not None else None
    if fp is not None and (url, fp) in _checked:
        return key
    try:
        with engine.connect() as conn:
            want = database_fingerprint(conn)
    except Exception as exc:  # noqa: BLE001 - any database failure: say so in Chinese
        raise _store_error("无法连接大厅数据库读取扫描件。请检查网络和数据库服务器，稍后重试。", detail=str(exc)) from exc
    if want is None:
        raise KeyMissing("这个大厅还没有建立大厅密钥，扫描件无法存入大厅数据库。请主管在一台窗口上运行 "
                         "houshi-desk hall key create，导出后在每台窗口导入（houshi-desk hall key import 文件）。")
    if key is None:
        raise KeyMissing(f"本机钥匙串中没有大厅密钥（本大厅密钥指纹 {show(want)}），扫描件无法存取。"
                         "请主管在已有密钥的窗口导出（houshi-desk hall key export 文件），再在本机导入：houshi-desk hall key import 文件")
    if fp != want:
        raise KeyMissing(f"本机钥匙串中的大厅密钥（指纹 {show(fp)}）不是这个大厅数据库的密钥（指纹 {show(want)}），"
                         "本机没有读写任何扫描件。请主管导入本大厅的密钥：houshi-desk hall key import 文件 --force")
    _checked.add((url, fp))
    return key


# ---------------------------------------------------------------- the store


def engine_for(url: str):
    """One small connection pool per hall database URL in this process (the page store's own: a put
    commits by itself, outside the caller's transaction, like a file written before the rows)."""
    from sqlalchemy import create_engine

    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=6)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _checked.clear()


class HallFileStore:
    """Encrypted, chunked, content-addressed page store in the hall's PostgreSQL database."""

    is_hall = True

    def __init__(self, engine, key: bytes | None = None, *, url: str | None = None, chunk_size: int = CHUNK_SIZE):
        if key is not None and len(key) != 32:
            raise ValueError("HallFileStore needs a 32-byte key")
        self.engine = engine
        self._url = url or engine.url.render_as_string(hide_password=True)
        self._key_bytes = key
        self.chunk_size = int(chunk_size)

    @classmethod
    def for_url(cls, url: str) -> "HallFileStore":
        return cls(engine_for(url), url=url)

    def __repr__(self) -> str:
        return f"HallFileStore({self.engine.url.render_as_string(hide_password=True)})"

    # the key is looked up on first use: a window without it can still log in, list and send cases
    def _key(self) -> bytes:
        if self._key_bytes is None:
            self._key_bytes = _resolve_key(self.engine, self._url)
        return self._key_bytes

    def _aead(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(self._key())

    def _name(self, sha256: str) -> str:
        if not _is_sha(sha256):
            raise _store_error(f"页面文件名不正确：{str(sha256)[:80]!r}。", hint="请联系信息科")
        return sha256

    def _insert(self):
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert

    def put(self, data: bytes) -> str:
        from sqlalchemy import insert
        from sqlalchemy.exc import SQLAlchemyError

        from houshi_desk.store.models_hall import HallFileChunkRow, HallFileRow

        data = bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        aead = self._aead()
        try:
            if self.exists(sha):
                return sha  # same content already stored (and checked when it was written)
            size = self.chunk_size
            n = max(1, -(-len(data) // size))
            rows = []
            for seq in range(n):
                nonce = secrets.token_bytes(_NONCE)
                rows.append({"sha256": sha, "seq": seq,
                             "data": nonce + aead.encrypt(nonce, data[seq * size:(seq + 1) * size], f"{sha}:{seq}".encode())})
            with self.engine.begin() as conn:
                # a second window putting the same page waits here for the first, then finds it stored
                res = conn.execute(self._insert()(HallFileRow).values(
                    sha256=sha, size=len(data), chunks=n, created_at=datetime.now()).on_conflict_do_nothing(
                    index_elements=["sha256"]))
                if res.rowcount:
                    conn.execute(insert(HallFileChunkRow), rows)
        except SQLAlchemyError as exc:
            raise _store_error("扫描页面没有保存到大厅数据库（连接中断或数据库空间不足），案件中已有的材料未受影响。"
                               "请稍后重试；如仍不行，请联系信息科。", detail=str(getattr(exc, "orig", None) or exc)) from exc
        return sha

    def get(self, sha256: str) -> bytes:
        from cryptography.exceptions import InvalidTag
        from sqlalchemy import select
        from sqlalchemy.exc import SQLAlchemyError

        from houshi_desk.store.models_hall import HallFileChunkRow, HallFileRow

        sha = self._name(sha256)
        aead = self._aead()
        try:
            with self.engine.connect() as conn:
                head = conn.execute(select(HallFileRow.size, HallFileRow.chunks).where(HallFileRow.sha256 == sha)).first()
                if head is None:
                    raise _store_error(f"大厅数据库中没有这个页面文件（{sha[:12]}…）。可能已被清理，请从备份恢复或重新扫描该材料。")
                chunks = conn.execute(select(HallFileChunkRow.seq, HallFileChunkRow.data)
                                      .where(HallFileChunkRow.sha256 == sha).order_by(HallFileChunkRow.seq)).all()
        except SQLAlchemyError as exc:
            raise _store_error("无法从大厅数据库读取扫描件（连接中断）。请稍后重试。", detail=str(exc)) from exc
        if [c.seq for c in chunks] != list(range(head.chunks)):
            raise _store_error(f"大厅数据库中的页面文件不完整（{sha[:12]}…），请重新扫描该材料。")
        parts = []
        for seq, blob in chunks:
            blob = bytes(blob)
            try:
                parts.append(aead.decrypt(blob[:_NONCE], blob[_NONCE:], f"{sha}:{seq}".encode()))
            except (InvalidTag, ValueError) as exc:
                raise _store_error(f"大厅数据库中的页面文件无法解密（{sha[:12]}…）：大厅密钥不对或数据被改动。"
                                   "请勿删除，联系主管核对大厅密钥（houshi-desk hall key import 文件）。") from exc
        data = b"".join(parts)
        if len(data) != head.size or hashlib.sha256(data).hexdigest() != sha:
            raise _store_error(f"大厅数据库中的页面文件校验失败（{sha[:12]}…），请重新扫描该材料。")
        return data

    def exists(self, sha256: str) -> bool:
        from sqlalchemy import select

        from houshi_desk.store.models_hall import HallFileRow

        sha = self._name(sha256)
        with self.engine.connect() as conn:
            return conn.execute(select(HallFileRow.sha256).where(HallFileRow.sha256 == sha)).first() is not None

    def delete(self, sha256: str) -> None:
        from sqlalchemy import delete

        from houshi_desk.store.models_hall import HallFileChunkRow, HallFileRow

        sha = self._name(sha256)
        with self.engine.begin() as conn:
            conn.execute(delete(HallFileChunkRow).where(HallFileChunkRow.sha256 == sha))
            conn.execute(delete(HallFileRow).where(HallFileRow.sha256 == sha))

    def all(self) -> Iterable[str]:
        from sqlalchemy import select

        from houshi_desk.store.models_hall import HallFileRow

        with self.engine.connect() as conn:
            names = list(conn.execute(select(HallFileRow.sha256).order_by(HallFileRow.sha256)).scalars())
        yield from names

    def collect(self, referenced: set[str], *, min_age_seconds: float = 3600.0) -> list[str]:
        """Delete stored files no row references; only those older than ``min_age_seconds`` (an
        attach in progress on any window has written its pages before its rows). A file an outbox
        item still points at (a material's frozen PDF waiting to be sent) always stays: the hall
        store shares the outbox's database, so it checks that itself."""
        from sqlalchemy import select

        from houshi_desk.store.models_hall import HallFileRow
        from houshi_desk.store.models_sync import SyncOutboxRow

        cutoff = datetime.now() - timedelta(seconds=min_age_seconds)
        with self.engine.connect() as conn:
            old = list(conn.execute(select(HallFileRow.sha256).where(HallFileRow.created_at <= cutoff)).scalars())
            queued = set(conn.execute(select(SyncOutboxRow.file_sha256).where(
                SyncOutboxRow.file_sha256.is_not(None), SyncOutboxRow.state.not_in(("acked", "cancelled")))).scalars())
        removed = []
        for sha in old:
            if sha not in referenced and sha not in queued:
                self.delete(sha)
                removed.append(sha)
        return removed
