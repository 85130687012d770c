"""Opening the case database: SQLCipher file by default, PostgreSQL in hall mode.

``open_store(settings)`` returns a :class:`Store` with the schema migrated to the newest version
(``alembic upgrade heads``: areas keep their own migration branches). Every failure a clerk can
meet (wrong key, corrupted file, keyring locked, PostgreSQL down) becomes a :class:`StoreError`
with a Chinese message; nothing existing is ever overwritten or re-created.
"""
from __future__ import annotations

import json
import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import create_engine, event, func, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from houshi_desk.errors import HoushiError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The heads of migrations/versions; tests/store/test_migration_heads.py compares it with Alembic's
# own list, so a new migration must update it. ``open_store`` checks a database against it in one
# query (``Store.schema_is_current``) and imports and runs Alembic only when they differ (issue 19);
# on the recorded heads it reads the schema and the first pages of every table and index instead
# (``probe_pages``), so a damaged page there is still found while opening.
MIGRATION_HEADS = frozenset({"hall_0001"})


class StoreError(HoushiError):
    pass


class DatabaseDamaged(StoreError):
    """The embedded database file is damaged; nothing more is written into it."""


class DatabaseMissing(StoreError):
    """This PC had a database with cases here, and the file is missing, empty or another one."""


_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP")


def _json_text(value) -> str:
    """JSON columns as compact UTF-8 text: Chinese as itself rather than \\u escapes (twice
    its bytes), no spaces (issue 19: bytes per case). Reading is the same either way."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
    cur.execute("PRAGMA cipher_log_level = NONE")  # damage is reported as a StoreError, not on stderr
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
        self._factories = None  # (plain, write) session factories, made at the first session
        self._factories_lock = threading.Lock()
        self._writing = threading.local()
        self.integrity = None  # store.integrity.IntegrityWatch of an embedded file, once started
        self.data_dir: Path | None = None  # embedded: where the "has cases" marker belongs

    def _session_factories(self):
        """The ORM loads here, at the first session, not while opening (issue 19: the login is
        usable as soon as the file is open and checked; the first query pays for the ORM)."""
        with self._factories_lock:
            if self._factories is None:
                from sqlalchemy.orm import sessionmaker

                plain = sessionmaker(self.engine, expire_on_commit=False)
                write = sessionmaker(self.engine.execution_options(houshi_write=True), expire_on_commit=False)
                for factory in (plain, write):  # new case numbers, for the embedded file's marker
                    event.listen(factory, "after_flush", _cases_flushed)
                self._factories = (plain, write)
            return self._factories

    @property
    def _sessions(self):
        return self._session_factories()[0]

    @property
    def _write_sessions(self):
        return self._session_factories()[1]

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
        except BaseException as exc:
            s.rollback()
            if self.dialect == "sqlite" and isinstance(exc, DatabaseError):
                from houshi_desk.store.integrity import damage_error, looks_damaged

                # A damaged page often surfaces as a bare "SQL logic error": ask the check.
                if looks_damaged(exc) or (self.integrity is not None and self.integrity.wait(120)):
                    raise damage_error(self.engine.url.database, str(exc.orig or exc)) from exc
            raise
        else:
            numbers = s.info.pop("houshi_new_cases", None)
            if numbers and self.data_dir is not None:
                self.note_cases(numbers)
        finally:
            s.close()
            if write and self.dialect == "sqlite":
                self._writing.open = False

    def schema_is_current(self) -> bool:
        """One query: are the applied revisions exactly :data:`MIGRATION_HEADS`?"""
        try:
            with self.engine.connect() as conn:
                applied = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except (SQLAlchemyError, MemoryError):
            # No alembic_version yet (a new database), or an unreadable one (SQLCipher raises
            # MemoryError on a damaged page); fresh connections for whatever comes next.
            self.engine.dispose()
            return False
        return applied == MIGRATION_HEADS

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    def note_cases(self, numbers) -> None:
        """Remember (keyring) that this data directory holds cases, the newest one and the day's
        highest number. A keyring failure only logs: the case itself is saved."""
        from houshi_desk.store.keys import key_id, merge_marker, read_marker, write_marker

        high: dict[str, int] = {}
        for number in numbers:
            prefix, _, seq = number.rpartition("-")
            if seq.isdigit():
                high[prefix] = max(high.get(prefix, 0), int(seq))
        try:
            marker = merge_marker(read_marker(self.data_dir), key_id=key_id(self.data_dir, create=False),
                                  last_case=max(numbers), high=high)
            write_marker(self.data_dir, marker)
        except HoushiError as exc:
            log.warning("could not remember the newest case in the keyring: %s", exc.message)

    def start_integrity_check(self):
        """Check the embedded file in the background; any write waits for (and obeys) the verdict."""
        from houshi_desk.store.integrity import IntegrityWatch

        if self.dialect != "sqlite" or self.integrity is not None:
            return self.integrity
        watch = IntegrityWatch(self.engine, self.engine.url.database)

        def before_write(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip()[:7].upper().startswith(_WRITE_VERBS):
                current = self.integrity
                if current.due_again():  # a window open for days: checked again daily
                    with self._recheck_lock:
                        if self.integrity is current:
                            self.integrity = current.again()
                    current = self.integrity
                current.require_whole()

        self._recheck_lock = threading.Lock()
        self.integrity = watch
        event.listen(self.engine, "before_cursor_execute", before_write)
        watch.start()
        return watch

    def close(self) -> None:
        if self.integrity is not None:
            self.integrity.stop()
        if self.dialect == "sqlite":
            self._checkpoint()
        self.engine.dispose()

    def _checkpoint(self) -> None:
        """Leave one self-contained file: write the WAL back and empty it. SQLite does this when its
        last connection closes, but not when that connection was the integrity check's, interrupted
        by close() (or still lingering in the disposed pool): then the WAL stayed and its newer
        copies of pages hid whatever happened to the main file later (issue 19: the page-two damage
        test passed unnoticed). Another process reading right now: skipped, never waited for."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=0")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()
        except Exception as exc:  # noqa: BLE001 - the data is safe in the WAL either way
            log.debug("checkpoint at close skipped: %s", exc)


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
        json_serializer=_json_text,
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
            "请联系主管用恢复密钥导入（houshi-desk key import 文件），"
            "或从备份恢复（houshi-desk backup restore 备份文件）。",
            detail=str(exc.orig) if exc.orig else str(exc),
        ) from exc
    return store


def postgres_store(url: str) -> Store:
    engine = create_engine(url, pool_pre_ping=True,  # pre-ping: survive a server restart mid-day
                           json_serializer=_json_text)
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
        store = _open_embedded(settings)
    if migrate:
        try:
            if not store.schema_is_current():
                store.migrate()
            elif store.dialect == "sqlite":
                probe_pages(store)
        except SQLAlchemyError as exc:
            _raise_if_damaged(store, exc)
            store.close()
            raise StoreError("数据库结构升级失败，已有数据未改动。请联系信息科。", detail=str(exc)) from exc
    if store.data_dir is not None:
        try:
            _settle_marker(store)
        except BaseException:
            store.close()
            raise
    return store


# ---------------------------------------------------------------- the embedded file: never silently new

_RESTORE_HINT = ("请不要新建或删除任何文件，由主管从备份恢复：houshi-desk backup restore 备份文件"
                 "（换了电脑时先 houshi-desk key import 恢复密钥文件）；没有备份时请联系信息科找回原数据文件。")


def _missing(path: Path, what: str) -> DatabaseMissing:
    return DatabaseMissing(f"本机原有一个存有案件的数据库，但{what}（{path}）。程序没有新建空数据库，"
                           f"以免案件悄悄丢失、受理编号重复。{_RESTORE_HINT}")


def _cases_flushed(session, _flush_context) -> None:
    """A flush that inserted cases: remember their numbers for :meth:`Store.note_cases`. A session
    event rather than a mapper event on CaseRow, so opening the store does not import the models."""
    from houshi_desk.store.models import CaseRow  # loaded already: the session holds a CaseRow

    numbers = [o.number for o in session.new if isinstance(o, CaseRow) and o.number]
    if numbers:
        session.info.setdefault("houshi_new_cases", []).extend(numbers)


def probe_pages(store: Store) -> None:
    """Read the schema and, through each table and index, its root page and first leaf: what the
    Alembic revision check used to read on every start and, on purpose, a little more (about 70
    tiny reads, a few ms), so a damaged page among them is reported as damage while opening, not
    at the first query. The whole file is checked in the background before any write
    (:meth:`Store.start_integrity_check`). Raises the damage error (and closes the store)."""
    from houshi_desk.store.integrity import damage_error, looks_damaged

    raw = None
    try:
        raw = store.engine.raw_connection()
        conn = raw.driver_connection
        objects = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND rootpage > 0").fetchall()
        for kind, name, table in objects:
            q = (f'SELECT 1 FROM "{name}" NOT INDEXED LIMIT 1' if kind == "table"
                 else f'SELECT 1 FROM "{table}" INDEXED BY "{name}" LIMIT 1')
            try:
                conn.execute(q).fetchall()
            except MemoryError:  # SQLCipher's answer to some damaged pages
                raise
            except Exception as exc:  # noqa: BLE001 - a partial index the plain scan cannot use
                if looks_damaged(exc):
                    raise
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - whatever reading the file raised
        if not (isinstance(exc, MemoryError) or looks_damaged(exc)):
            raise
        if raw is not None:
            raw.invalidate()
            raw = None
        path = store.engine.url.database
        store.close()
        raise damage_error(path, f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}") from exc
    finally:
        if raw is not None:
            raw.close()


def _open_embedded(settings) -> Store:
    from houshi_desk.store.keys import database_key, key_id, read_marker

    p = settings.paths
    db = p.database_file
    marker = read_marker(p.data_dir)
    if marker:
        if marker.get("pending_restore") and (not db.exists() or db.stat().st_size == 0):
            raise DatabaseMissing(
                f"已导入恢复密钥，但本机还没有恢复案件数据库（{db}）。程序没有新建空数据库，以免受理编号重复。"
                "请由主管从备份恢复：houshi-desk backup restore 备份文件；没有备份时请联系信息科。")
        if not db.exists():
            raise _missing(db, "数据库文件不见了")
        if db.stat().st_size == 0:
            raise _missing(db, "数据库文件已被清空")
        if key_id(p.data_dir, create=False) is None:
            raise _missing(db, "数据目录中的密钥标识文件（key-id）不见了")
    store = sqlite_store(db, database_key(p.data_dir, db))
    store.data_dir = p.data_dir
    if marker:
        try:
            _check_against_marker(store, db, marker)
        except BaseException:
            store.close()
            raise
    store.start_integrity_check()
    return store


def _check_against_marker(store: Store, db: Path, marker: dict) -> None:
    try:
        with store.engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='cases'")).first() is None:
                raise _missing(db, "现在的数据库文件是另一个（新建的）数据库")
            if conn.execute(text("SELECT 1 FROM cases LIMIT 1")).first() is None:
                raise _missing(db, "现在的数据库文件中一个案件也没有")
            last = marker.get("last_case")
            if last and conn.execute(text("SELECT 1 FROM cases WHERE number = :n"), {"n": last}).first() is None:
                raise _missing(db, f"现在的数据库文件是较早的副本，缺少本机最近受理的案件 {last}")
    except DatabaseError as exc:
        from houshi_desk.store.integrity import damage_error

        raise damage_error(db, str(exc.orig or exc)) from exc


def _raise_if_damaged(store: Store, exc: Exception) -> None:
    """A migration that fails on a damaged page is damage, not a "结构升级失败"."""
    from houshi_desk.store.integrity import check_engine, damage_error, looks_damaged

    if store.dialect != "sqlite":
        return
    problems = []
    if looks_damaged(exc):
        problems = [str(getattr(exc, "orig", None) or exc)]
    else:
        try:
            problems = check_engine(store.engine)
        except Exception:  # noqa: BLE001 - the check itself could not run: report the migration error
            problems = []
    if problems:
        path = store.engine.url.database
        store.close()
        raise damage_error(path, "; ".join(problems[:20])) from exc


def _settle_marker(store: Store) -> None:
    """After opening: a database with cases and no marker gets one (installs from before the
    marker, a recovered keyring); with a marker, no day's sequence is lower than its high-water mark."""
    from houshi_desk.store.keys import MARKER_DAYS, key_id, merge_marker, read_marker, write_marker

    marker = read_marker(store.data_dir)
    try:
        with store.engine.connect() as conn:
            newest = conn.execute(text("SELECT max(number) FROM cases")).scalar()
            seqs = dict(conn.execute(text(
                "SELECT prefix, last FROM case_number_sequences ORDER BY substr(prefix, -8) DESC LIMIT :n"),
                {"n": MARKER_DAYS}).all())
    except DatabaseError as exc:
        from houshi_desk.store.integrity import damage_error

        raise damage_error(store.engine.url.database, str(exc.orig or exc)) from exc
    kid = key_id(store.data_dir, create=False)
    if marker is None or (newest and marker.get("pending_restore")) or (newest and marker.get("key_id") != kid):
        if newest:
            write_marker(store.data_dir, merge_marker(marker, key_id=kid, last_case=newest, high=seqs))
        if marker is None:
            return
    behind = {p: n for p, n in (marker.get("high") or {}).items()
              if isinstance(n, int) and seqs.get(p, 0) < n}
    if behind:
        from sqlalchemy.dialects.sqlite import insert

        from houshi_desk.store.models import CaseNumberSequenceRow

        with store.session(write=True) as s:
            for prefix, last in behind.items():
                s.execute(insert(CaseNumberSequenceRow).values(prefix=prefix, last=last).on_conflict_do_update(
                    index_elements=["prefix"],
                    set_={"last": func.max(CaseNumberSequenceRow.last, last)}))
        log.warning("case number sequences raised to the high-water marks this PC remembers: %s", behind)
