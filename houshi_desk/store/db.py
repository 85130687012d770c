"""Opening the case database: SQLCipher file by default, PostgreSQL in hall mode.

``open_store(settings)`` returns a :class:`Store` with the schema migrated to the newest version
(``alembic upgrade heads``: areas keep their own migration branches). Every failure a clerk can
meet (wrong key, corrupted file, keyring locked, PostgreSQL down) becomes a :class:`StoreError`
with a Chinese message; nothing existing is ever overwritten or re-created.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(HoushiError):
    pass


def _sqlcipher_url(path: Path, key_hex: str) -> URL:
    # A raw 256-bit key (x'…') skips SQLCipher's per-connection PBKDF2, which costs ~0.1 s a connect.
    return URL.create("sqlite+pysqlcipher", password=f"x'{key_hex}'", database=str(path))


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _on_sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a saved case must survive a power cut
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _on_sqlite_begin(conn) -> None:
    # The pysqlite driver's own transaction handling starts a transaction only before a write and
    # commits when the outermost SAVEPOINT is released, so "all or nothing" with begin_nested()
    # silently became "some". SQLAlchemy's documented remedy: autocommit driver + explicit BEGIN.
    # A write session (Store.session(write=True)) takes the write lock at once: a deferred
    # transaction that reads and then writes is refused outright ("database is locked", no waiting)
    # when another connection committed in between; BEGIN IMMEDIATE waits its turn instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("houshi_write") else "BEGIN")


class Store:
    """An engine plus a session factory; ``with store.session() as s:`` commits or rolls back."""

    def __init__(self, engine: Engine, *, description: str):
        self.engine = engine
        self.description = description  # for `doctor` and logs; never contains a key
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(engine.execution_options(houshi_write=True), expire_on_commit=False)
        self._writing = threading.local()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name  # "sqlite" | "postgresql"

    @property
    def is_hall_mode(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception.

        ``write=True`` for a transaction that changes data after reading it (saving a case, logging
        a print, a login): on SQLite it holds the write lock from its first statement, so it waits
        for another writer (the uploader, a CLI command, another window) instead of failing. One
        thread may hold one write session at a time; a second one inside it would wait for
        itself, so that is refused at once as a programming error.
        """
        if write and self.dialect == "sqlite":
            if getattr(self._writing, "open", False):
                raise RuntimeError("a write session is already open in this thread; use that session")
            self._writing.open = True
        s = (self._write_sessions if write else self._sessions)()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()
            if write and self.dialect == "sqlite":
                self._writing.open = False

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    def close(self) -> None:
        self.engine.dispose()


def sqlite_store(path: Path, key_hex: str) -> Store:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The pysqlcipher dialect defaults to SingletonThreadPool, which keeps one connection per
    # thread and, past pool_size threads, closes other threads' connections while they may be in
    # use (a crash in the GUI's worker pool). A QueuePool hands each session its own connection.
    engine = create_engine(
        _sqlcipher_url(path, key_hex),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    store = Store(engine, description=f"加密 SQLite：{path}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except DatabaseError as exc:
        engine.dispose()
        raise StoreError(
            f"数据库文件无法打开：密钥不正确或文件已损坏（{path}）。文件未作任何改动；"
            "请联系主管用恢复密钥导入，或从备份恢复。",
            detail=str(exc.orig) if exc.orig else str(exc),
        ) from exc
    return store


def postgres_store(url: str) -> Store:
    engine = create_engine(url, pool_pre_ping=True)  # pre-ping: survive a server restart mid-day
    safe = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise StoreError(
            f"无法连接大厅数据库（{safe}）。请检查网络和数据库服务器，稍后重试。",
            detail=str(exc.orig) if exc.orig else str(exc),
        ) from exc
    return Store(engine, description=f"PostgreSQL：{safe}")


def open_store(settings=None, *, url: str | None = None, migrate: bool = True) -> Store:
    """The store the settings point at: ``HOUSHI_DESK_DATABASE_URL`` / ``database.url`` or the
    encrypted file in the data directory (key from the keyring, created on first run)."""
    if settings is None:
        from houshi_desk.config import load_settings

        settings = load_settings()
    url = url if url is not None else settings.database_url
    if url:
        if not url.startswith("postgresql"):
            raise StoreError(f"不支持的数据库地址：{url.split(':', 1)[0]}（只支持 postgresql+psycopg:// 或留空使用本机加密库）。")
        store = postgres_store(url)
    else:
        from houshi_desk.store.keys import database_key

        p = settings.paths
        store = sqlite_store(p.database_file, database_key(p.data_dir, p.database_file))
    if migrate:
        try:
            store.migrate()
        except SQLAlchemyError as exc:
            store.close()
            raise StoreError("数据库结构升级失败，已有数据未改动。请联系信息科。", detail=str(exc)) from exc
    return store
