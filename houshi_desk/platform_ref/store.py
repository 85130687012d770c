"""The reference platform's own database (SQLite under --data) and its upload files.

One connection behind one lock: the platform is a test double with real semantics, not a
high-throughput server, and a single writer keeps “commit the operation and its idempotency
record together” trivially atomic.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (app_key TEXT PRIMARY KEY, secret TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
    scheme TEXT NOT NULL DEFAULT 'hmac');
CREATE TABLE IF NOT EXISTS cases (case_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    app_key TEXT, created_at REAL NOT NULL, status TEXT NOT NULL DEFAULT 'shell', PRIMARY KEY (case_id, version));
CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, length INTEGER NOT NULL,
    sha256 TEXT NOT NULL, material TEXT, filename TEXT, offset INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, completed_at REAL);
CREATE TABLE IF NOT EXISTS submissions (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, version INTEGER NOT NULL,
    body TEXT NOT NULL, created_at REAL NOT NULL, UNIQUE (case_id, version));
CREATE TABLE IF NOT EXISTS supplements (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, version INTEGER NOT NULL,
    matter TEXT NOT NULL, body TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS withdrawals (case_id TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT,
    created_at REAL NOT NULL, PRIMARY KEY (case_id, version));
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
    headers TEXT NOT NULL, body BLOB NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL,
    case_id TEXT NOT NULL, version INTEGER NOT NULL, matter TEXT, department TEXT, kind TEXT NOT NULL,
    text TEXT, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS schedule (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, version INTEGER,
    matter TEXT, department TEXT, kind TEXT NOT NULL, text TEXT, due_at REAL NOT NULL, emitted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (app_key TEXT NOT NULL, nonce TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (app_key, nonce));
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces(expires_at);
CREATE TABLE IF NOT EXISTS audit_anchors (id INTEGER PRIMARY KEY AUTOINCREMENT, app_key TEXT NOT NULL, office TEXT,
    terminal TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL, received_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS audit_anchors_by_terminal ON audit_anchors(app_key, terminal, seq);
CREATE TABLE IF NOT EXISTS audit_restores (id INTEGER PRIMARY KEY AUTOINCREMENT, app_key TEXT NOT NULL,
    restored_seq INTEGER NOT NULL, base_seq INTEGER NOT NULL, lost_from INTEGER, lost_to INTEGER,
    anchor_id INTEGER NOT NULL, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS request_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL, method TEXT, path TEXT,
    key TEXT, status INTEGER, note TEXT);
"""

IDEMPOTENCY_KEEP_SECONDS = 31 * 24 * 3600  # contract: keys are kept at least 30 days

# Ownership (issue 14): who made each row. A row belongs to its terminal (app_key) and, when the
# terminal is registered with an office, to that office — a hall's terminals share its cases.
OWNER_COLUMNS = {
    "clients": {"office": "TEXT"},
    "cases": {"office": "TEXT"},
    "uploads": {"app_key": "TEXT", "office": "TEXT"},
    "supplements": {"app_key": "TEXT", "office": "TEXT"},
    "withdrawals": {"app_key": "TEXT", "office": "TEXT"},
    "idempotency": {"app_key": "TEXT", "office": "TEXT"},
}


class Principal:
    """The terminal behind a verified request: its app key and (optional) office."""

    __slots__ = ("app_key", "office")

    def __init__(self, app_key: str, office: str | None):
        self.app_key, self.office = app_key, office or None

    def owns(self, app_key: str | None, office: str | None) -> bool:
        """A row made by ``app_key`` (of ``office``): this terminal's own, or its office's."""
        if app_key is not None and app_key == self.app_key:
            return True
        return self.office is not None and office is not None and office == self.office

    def __repr__(self) -> str:
        return f"Principal({self.app_key!r}, office={self.office!r})"


class PlatformStore:
    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "uploads").mkdir(exist_ok=True)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.dir / "platform.db", check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        if "scheme" not in {r[1] for r in self.db.execute("PRAGMA table_info(clients)")}:  # a data folder from before SM2
            self.db.execute("ALTER TABLE clients ADD COLUMN scheme TEXT NOT NULL DEFAULT 'hmac'")
        for table, columns in OWNER_COLUMNS.items():  # a data folder from before ownership
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self._nonce_inserts = 0
        self.expire_idempotency()
        self.expire_nonces()

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # --- helpers (callers hold self.lock)
    def q(self, sql: str, *args) -> list[sqlite3.Row]:
        return self.db.execute(sql, args).fetchall()

    def one(self, sql: str, *args) -> sqlite3.Row | None:
        return self.db.execute(sql, args).fetchone()

    def bump(self, name: str, by: int = 1) -> None:
        self.db.execute("INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + ?",
                        (name, by, by))

    def counters(self) -> dict[str, int]:
        with self.lock:
            return {r["name"]: r["value"] for r in self.q("SELECT name, value FROM counters")}

    def log(self, method: str, path: str, key: str | None, status: int, note: str = "") -> None:
        with self.lock:
            self.db.execute("INSERT INTO request_log(at, method, path, key, status, note) VALUES (?,?,?,?,?,?)",
                            (time.time(), method, path, key, status, note))

    def expire_idempotency(self) -> None:
        with self.lock:
            self.db.execute("DELETE FROM idempotency WHERE created_at < ?", (time.time() - IDEMPOTENCY_KEEP_SECONDS,))

    # --- replay protection: nonces outlive a restart (issue 14)
    def remember_nonce(self, app_key: str, nonce: str, expires_at: float) -> bool:
        """Record a signed request's nonce until its timestamp leaves the accepted window; False
        when it was seen before (a replay). Committed at once, so a restart remembers it."""
        with self.lock:
            cur = self.db.execute("INSERT OR IGNORE INTO nonces(app_key, nonce, expires_at) VALUES (?,?,?)",
                                  (app_key, nonce, expires_at))
            self._nonce_inserts += 1
            if self._nonce_inserts % 1000 == 0:
                self.expire_nonces()
            return cur.rowcount == 1

    def expire_nonces(self) -> None:
        with self.lock:
            self.db.execute("DELETE FROM nonces WHERE expires_at < ?", (time.time(),))

    def upload_path(self, upload_id: str) -> Path:
        return self.dir / "uploads" / f"{upload_id}.part"

    # --- clients
    def add_client(self, app_key: str, secret: str, revoked: bool = False, scheme: str = "hmac",
                   office: str | None = None) -> None:
        """``scheme`` "hmac": ``secret`` is the shared secret; "sm2": it is the terminal's public key.
        ``office``: the terminal's office (受理点) code — terminals of one office share its cases;
        without one a terminal sees only its own. Re-registering keeps a recorded office unless a
        new one is given."""
        if scheme not in ("hmac", "sm2"):
            raise ValueError(f"unknown client scheme {scheme!r}")
        with self.lock:
            self.db.execute("INSERT INTO clients(app_key, secret, revoked, scheme, office) VALUES (?,?,?,?,?) "
                            "ON CONFLICT(app_key) DO UPDATE SET secret = excluded.secret, revoked = excluded.revoked, "
                            "scheme = excluded.scheme, office = coalesce(excluded.office, clients.office)",
                            (app_key, secret, int(revoked), scheme, office or None))

    def principal(self, app_key: str) -> Principal:
        with self.lock:
            row = self.one("SELECT office FROM clients WHERE app_key = ?", app_key)
        return Principal(app_key, row["office"] if row else None)

    def client_secret(self, app_key: str) -> tuple[str | None, bool]:
        secret, revoked, _scheme = self.client(app_key)
        return secret, revoked

    def client(self, app_key: str) -> tuple[str | None, bool, str]:
        """(secret or public key, revoked, scheme)."""
        with self.lock:
            row = self.one("SELECT secret, revoked, scheme FROM clients WHERE app_key = ?", app_key)
        return (row["secret"], bool(row["revoked"]), row["scheme"]) if row else (None, False, "hmac")

    def dump(self) -> dict:
        """Everything the tests assert on."""
        with self.lock:
            return {
                "cases": [dict(r) | {"payload": json.loads(r["payload"])} for r in self.q("SELECT * FROM cases")],
                "uploads": [dict(r) for r in self.q("SELECT * FROM uploads")],
                "submissions": [dict(r) | {"body": json.loads(r["body"])} for r in self.q("SELECT * FROM submissions")],
                "withdrawals": [dict(r) for r in self.q("SELECT * FROM withdrawals")],
                "supplements": [dict(r) | {"body": json.loads(r["body"])} for r in self.q("SELECT * FROM supplements")],
                "events": [dict(r) for r in self.q("SELECT * FROM events ORDER BY seq")],
                "counters": {r["name"]: r["value"] for r in self.q("SELECT name, value FROM counters")},
                "idempotency_keys": self.one("SELECT count(*) AS n FROM idempotency")["n"],
                "nonces": self.one("SELECT count(*) AS n FROM nonces")["n"],
                "audit_anchors": [dict(r) for r in self.q("SELECT * FROM audit_anchors ORDER BY id")],
                "audit_restores": [dict(r) for r in self.q("SELECT * FROM audit_restores ORDER BY id")],
            }
