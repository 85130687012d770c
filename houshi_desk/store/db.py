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

from houshi_desk.errors import HoushiError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine
    from sqlalchemy.orm import Session

# SQLAlchemy is imported where it is used, not here: opening the embedded file (keyring, SQLCipher
# key, revision check, page probe) runs on the driver alone, and the engine is made at its first
# use (issue 19: importing SQLAlchemy is 0.15-0.3 s, longer than a bare window takes to paint).

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The heads of migrations/versions; tests/store/test_migration_heads.py compares it with Alembic's
# own list, so a new migration must update it. ``open_store`` checks a database against it in one
# query (``Store.schema_is_current``) and imports and runs Alembic only when they differ (issue 19);
# on the recorded heads it reads the schema and the first pages of every table and index instead
# (``probe_pages``), so a damaged page there is still found while opening.
MIGRATION_HEADS = frozenset({"size_0002"})


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
    from sqlalchemy.engine import URL

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
    # Each pooled connection (up to 12) keeps its own cache of decrypted pages, by SQLite's default up
    # to 2000 KiB, filled slowly as the file grows: the window's three grew ~12 KB per case (issue 19,
    # tests/bench/bench_memory.py). 1 MiB each (negative: KiB, not pages) bounds that and still holds
    # the hot pages: bench_search's p90s are unchanged (256 KiB made them ~40 % slower).
    # tests/store/test_sqlite_page_cache.py checks every connection.
    cur.execute("PRAGMA cache_size = -1024")
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
    """An engine plus a session factory; ``with store.session() as s:`` commits or rolls back.

    ``engine_factory`` instead of ``engine``: the engine is made at its first use (the embedded file
    is opened and checked on the driver alone, see :func:`_open_embedded`); ``dialect`` names it
    meanwhile. The embedded file's integrity check starts with that engine, before any write."""

    def __init__(self, engine: Engine | None = None, *, description: str, engine_factory=None,
                 dialect: str | None = None):
        if (engine is None) == (engine_factory is None):
            raise ValueError("Store needs an engine or an engine factory")
        self._engine = engine
        self._engine_factory = engine_factory
        self._engine_lock = threading.Lock()
        self._dialect = dialect or engine.dialect.name
        self.description = description  # for `doctor` and logs; never contains a key
        self.check_integrity = False  # embedded: start the integrity check with the (lazy) engine
        self._factories = None  # (plain, write) session factories, made at the first session
        self._factories_lock = threading.Lock()
        self._writing = threading.local()
        self._integrity = None  # store.integrity.IntegrityWatch of an embedded file, once started
        self.data_dir: Path | None = None  # embedded: where the "has cases" marker belongs

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._engine_lock:
                engine = self._engine
                if engine is None:
                    engine = self._engine_factory()
                    if self.check_integrity:
                        self._start_integrity(engine)  # before anyone else can see the engine
                    self._engine = engine
        return engine

    @property
    def engine_made(self) -> bool:
        return self._engine is not None

    def _session_factories(self):
        """The ORM loads here, at the first session, not while opening (issue 19: the login is
        usable as soon as the file is open and checked; the first query pays for the ORM)."""
        with self._factories_lock:
            if self._factories is None:
                from sqlalchemy import event
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
        return self._dialect  # "sqlite" | "postgresql"

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
        from sqlalchemy.exc import DatabaseError

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
                if looks_damaged(exc) or (self._integrity is not None and self._integrity.wait(120)):
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
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

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

    @property
    def integrity(self):
        """The background check of the embedded file (None elsewhere); asking for it makes the
        engine when the check waits for one."""
        if self._integrity is None and self.check_integrity:
            self.engine  # noqa: B018 - starts the check
        return self._integrity

    def start_integrity_check(self):
        """Check the embedded file in the background; any write waits for (and obeys) the verdict.
        With the engine not made yet, the check starts when it is (:attr:`engine`)."""
        if self.dialect != "sqlite" or self._integrity is not None:
            return self._integrity
        with self._engine_lock:
            if self._engine is None:
                self.check_integrity = True
                return None
            if self._integrity is None:
                self._start_integrity(self._engine)
        return self._integrity

    def _start_integrity(self, engine) -> None:
        from sqlalchemy import event

        from houshi_desk.store.integrity import IntegrityWatch

        watch = IntegrityWatch(engine, engine.url.database)

        def before_write(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip()[:7].upper().startswith(_WRITE_VERBS):
                current = self._integrity
                if current.due_again():  # a window open for days: checked again daily
                    with self._recheck_lock:
                        if self._integrity is current:
                            self._integrity = current.again()
                    current = self._integrity
                current.require_whole()

        self._recheck_lock = threading.Lock()
        self._integrity = watch
        event.listen(engine, "before_cursor_execute", before_write)
        watch.start()

    def close(self) -> None:
        if self._integrity is not None:
            self._integrity.stop()
        if self._engine is None:  # opened and checked, never used: nothing pooled to close
            self.check_integrity = False
            return
        if self.dialect == "sqlite":
            self._checkpoint()
        self._engine.dispose()

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


def _sqlite_engine(path: Path, key_hex: str) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

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
    return engine


def _cannot_open(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"数据库文件无法打开：密钥不正确或文件已损坏（{path}）。文件未作任何改动；"
        "请联系主管用恢复密钥导入（houshi-desk key import 文件），"
        "或从备份恢复（houshi-desk backup restore 备份文件）。",
        detail=str(getattr(exc, "orig", None) or exc),
    )


def raw_sqlite_connection(path: Path, key_hex: str):
    """The SQLCipher driver's own connection, keyed and set up as the engine's are (the same
    pragmas, :func:`_on_sqlite_connect`), without SQLAlchemy; a wrong key or a file that is not a
    database is the clerk's :class:`StoreError`."""
    from sqlcipher3 import dbapi2

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = dbapi2.connect(str(path), check_same_thread=False)
    try:
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")  # as the pysqlcipher dialect keys it
        _on_sqlite_connect(conn, None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (dbapi2.DatabaseError, MemoryError) as exc:
        conn.close()
        raise _cannot_open(path, exc) from exc
    return conn


def sqlite_store(path: Path, key_hex: str) -> Store:
    """An encrypted file opened at once (backups, restores, tests); the window and the commands go
    through :func:`open_store`, which checks the file on the driver and makes the engine later."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _sqlite_engine(path, key_hex)
    store = Store(engine, description=f"加密 SQLite：{path}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except DatabaseError as exc:
        engine.dispose()
        raise _cannot_open(path, exc) from exc
    return store


def postgres_store(url: str) -> Store:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

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
        if migrate and not store.schema_is_current():
            _migrate(store)
        return store
    return _open_embedded(settings, migrate=migrate)


def _migrate(store: Store) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store.migrate()
    except SQLAlchemyError as exc:
        _raise_if_damaged(store, exc)
        store.close()
        raise StoreError("数据库结构升级失败，已有数据未改动。请联系信息科。", detail=str(exc)) from exc


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


def probe_pages(conn) -> None:
    """Read the schema and, through each table and index, its root page and first leaf: what the
    Alembic revision check used to read on every start and, on purpose, a little more (about 70
    tiny reads, a few ms), so a damaged page among them is reported as damage while opening, not
    at the first query. ``conn``: the driver's connection. The whole file is checked in the
    background before any write (:meth:`Store.start_integrity_check`)."""
    from houshi_desk.store.integrity import looks_damaged

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


def applied_revisions(conn) -> set[str] | None:
    """The rows of ``alembic_version`` on a driver connection; None before the first migration."""
    try:
        return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()}
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - "no such table" on a new file; damage is raised
        from houshi_desk.store.integrity import looks_damaged

        if looks_damaged(exc):
            raise
        return None


def _open_embedded(settings, *, migrate: bool = True) -> Store:
    """The encrypted file in the data directory, checked on the SQLCipher driver alone (key, the
    "has cases" marker, the revision rows, the first pages of every table and index, the day's
    case numbers); SQLAlchemy and the engine come at the first query, and Alembic only when the
    revisions differ from :data:`MIGRATION_HEADS` (issue 19: the login is usable this soon)."""
    from houshi_desk.store.integrity import damage_error, looks_damaged
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
    key_hex = database_key(p.data_dir, db)
    store = Store(engine_factory=lambda: _sqlite_engine(db, key_hex), dialect="sqlite",
                  description=f"加密 SQLite：{db}")
    store.data_dir = p.data_dir
    conn = raw_sqlite_connection(db, key_hex)

    @contextmanager
    def reading():
        try:
            yield
        except (Exception, MemoryError) as exc:  # noqa: BLE001 - whatever reading the file raised
            if isinstance(exc, HoushiError) or not (isinstance(exc, MemoryError) or looks_damaged(exc)):
                raise
            raise damage_error(db, f"{type(exc).__name__}: {exc}") from exc

    try:
        with reading():
            if marker:
                _check_against_marker(conn, db, marker)
            current = applied_revisions(conn) == MIGRATION_HEADS
            if current and migrate:
                probe_pages(conn)
        store.start_integrity_check()  # starts with the engine, before its first write
        if migrate and not current:
            conn.close()
            conn = None
            _migrate(store)  # makes the engine
            conn = raw_sqlite_connection(db, key_hex)
        if current or migrate:
            with reading():
                _settle_marker(store, conn)
    except BaseException:
        if conn is not None:
            conn.close()
            conn = None
        store.close()
        raise
    finally:
        if conn is not None:
            conn.close()
    return store


def _check_against_marker(conn, db: Path, marker: dict) -> None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='cases'").fetchone() is None:
        raise _missing(db, "现在的数据库文件是另一个（新建的）数据库")
    if conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone() is None:
        raise _missing(db, "现在的数据库文件中一个案件也没有")
    last = marker.get("last_case")
    if last and conn.execute("SELECT 1 FROM cases WHERE number = ?", (last,)).fetchone() is None:
        raise _missing(db, f"现在的数据库文件是较早的副本，缺少本机最近受理的案件 {last}")


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


def _settle_marker(store: Store, conn) -> None:
    """After opening: a database with cases and no marker gets one (installs from before the
    marker, a recovered keyring); with a marker, no day's sequence is lower than its high-water mark.
    ``conn``: a driver connection to the file (no migration pending)."""
    from houshi_desk.store.keys import MARKER_DAYS, key_id, merge_marker, read_marker, write_marker

    marker = read_marker(store.data_dir)
    newest = conn.execute("SELECT max(number) FROM cases").fetchone()[0]
    seqs = dict(conn.execute(
        "SELECT prefix, last FROM case_number_sequences ORDER BY substr(prefix, -8) DESC LIMIT ?",
        (MARKER_DAYS,)).fetchall())
    kid = key_id(store.data_dir, create=False)
    if marker is None or (newest and marker.get("pending_restore")) or (newest and marker.get("key_id") != kid):
        if newest:
            write_marker(store.data_dir, merge_marker(marker, key_id=kid, last_case=newest, high=seqs))
        if marker is None:
            return
    behind = {p: n for p, n in (marker.get("high") or {}).items()
              if isinstance(n, int) and seqs.get(p, 0) < n}
    if behind:
        from sqlalchemy import func
        from sqlalchemy.dialects.sqlite import insert

        from houshi_desk.store.models import CaseNumberSequenceRow

        with store.session(write=True) as s:
            for prefix, last in behind.items():
                s.execute(insert(CaseNumberSequenceRow).values(prefix=prefix, last=last).on_conflict_do_update(
                    index_elements=["prefix"],
                    set_={"last": func.max(CaseNumberSequenceRow.last, last)}))
        log.warning("case number sequences raised to the high-water marks this PC remembers: %s", behind)
