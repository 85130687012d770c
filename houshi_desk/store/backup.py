"""Backups of the embedded database and the encrypted file store, in one verified archive.

A backup is a tar file ``houshi-backup-<region>-<terminal>-<time>.hdbak`` holding:

* ``houshi-desk.db`` — a consistent copy of the SQLCipher database (``VACUUM INTO`` on the open
  connection: still encrypted with the same key, taken inside one read transaction);
* ``files/<aa>/<sha256>`` — every file of the encrypted file store (scans, kept printed copies), as
  they are on disk (AES-GCM, never decrypted into the archive);
* ``manifest.json`` — when, which key (its id, never the key), how many cases, the newest case, the
  case-number sequences, and the SHA-256 of every member; sealed with an HMAC under a key derived
  from the database key, so a changed or foreign manifest is refused.

Nothing in the archive is readable without the terminal's key. Written to a ``.partial`` name,
verified (manifest, every hash, the copy re-opened and integrity-checked, every file decrypted) and
only then renamed. ``restore`` verifies the same way before it moves anything; the database it
replaces is kept beside it, never deleted.

Hall mode (PostgreSQL) — :func:`create_hall_backup`, run on the database host only
(:func:`database_is_local`, or ``--hall`` given by the supervisor on the server). A hall backup
``houshi-hall-backup-<region>-<database>-<time>.hdbak`` is a tar file holding:

* ``hall.dump.enc`` — ``pg_dump --format=custom`` of the hall database (every case, the outbox with
  its idempotency keys, and the hall store's scanned pages), encrypted as it streams out of pg_dump
  in 1 MiB AES-256-GCM records (index and last-record flag authenticated: a cut or reordered file is
  refused);
* ``files/<aa>/<sha256>`` — files still stored on that PC (its local file store), decrypted with the
  PC's own file key and encrypted again under the backup key, so the backup needs one key only;
* ``manifest.json`` — as above, plus the row count of every table, sealed with the HMAC.

The backup key is the **hall key** when the keyring holds one (every enrolled terminal has it, and
its passphrase-protected export exists: the backup survives the loss of the server and its keyring),
else this PC's own database key (then restoring needs that PC's recovery key file). Verified after
writing: every hash, every file decrypted, and the dump decrypted into ``pg_restore --list``.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)

FORMAT = "houshi-desk-backup/1"
HALL_FORMAT = "houshi-desk-hall-backup/1"
HALL_DUMP = "hall.dump.enc"
SUFFIX = ".hdbak"
DB_MEMBER = "houshi-desk.db"
MANIFEST = "manifest.json"


class BackupError(HoushiError):
    pass


class HallModeBackup(BackupError):
    """Backups of the hall's PostgreSQL database are made by the hall, not by this command."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    cases: int
    files: int
    last_case: str | None
    key_id: str
    terminal: str
    size: int


def default_dir(settings) -> Path:
    return settings.paths.data_dir / "backups"


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _mac_key(key_hex: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"houshi-desk/backup-manifest").derive(
        bytes.fromhex(key_hex))


def _seal(manifest: dict, key_hex: str) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "mac"}, sort_keys=True, ensure_ascii=False)
    return hmac.new(_mac_key(key_hex), body.encode("utf-8"), hashlib.sha256).hexdigest()


def _corrupt(path: Path, why: str) -> BackupError:
    return BackupError(f"备份文件已损坏或被改动，不能使用（{path.name}：{why}）。请换用另一份备份；"
                       "这份文件请交信息科检查。")


# ---------------------------------------------------------------------------------------------- write


def create_backup(store, settings, to_dir: Path | None = None, *, now: datetime | None = None) -> BackupInfo:
    """Write and verify a backup of this terminal's database and file store; returns its info."""
    from sqlalchemy import text

    from houshi_desk.store.integrity import check_engine, damage_error
    from houshi_desk.store.keys import database_key, key_id

    if store.dialect != "sqlite":
        raise HallModeBackup(
            "本机使用的是大厅数据库（PostgreSQL），请用大厅备份（create_hall_backup）。")
    p = settings.paths
    now = now or datetime.now()
    problems = check_engine(store.engine)
    if problems:
        raise damage_error(p.database_file, "; ".join(problems[:20]))
    key_hex = database_key(p.data_dir, p.database_file)
    kid = key_id(p.data_dir, create=False)
    out_dir = Path(to_dir) if to_dir else default_dir(settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(f"备份目录无法创建：{out_dir}（{exc.strerror or exc}）。请换一个目录或检查 U 盘。") from exc
    terminal = f"{settings.office_region_code}-{str(settings.office_terminal_id).upper()}"
    final = out_dir / f"houshi-backup-{terminal}-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out_dir))
    partial = final.with_name(final.name + ".partial")
    try:
        db_copy = work / DB_MEMBER
        raw = store.engine.raw_connection()
        try:
            conn = raw.driver_connection
            conn.execute("VACUUM INTO ?", (str(db_copy),))
        finally:
            raw.close()
        from houshi_desk.store.db import sqlite_store

        copy = sqlite_store(db_copy, key_hex)
        try:
            with copy.engine.connect() as c:
                cases = int(c.execute(text("SELECT count(*) FROM cases")).scalar() or 0)
                last_case = c.execute(text("SELECT max(number) FROM cases")).scalar()
                sequences = dict(c.execute(text("SELECT prefix, last FROM case_number_sequences")).all())
        finally:
            copy.close()
        members = {DB_MEMBER: {"size": db_copy.stat().st_size, "sha256": _sha_file(db_copy)}}
        files_root = p.files_dir
        file_names = []
        with tarfile.open(partial, "w") as tar:
            tar.add(db_copy, arcname=DB_MEMBER)
            if files_root.exists():
                for sub in sorted(files_root.iterdir()):
                    if not sub.is_dir():
                        continue
                    for f in sorted(sub.iterdir()):
                        if f.name.startswith(".") or not f.is_file():
                            continue  # temp files of a write in progress
                        data = f.read_bytes()
                        name = f"files/{sub.name}/{f.name}"
                        members[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                        info = tarfile.TarInfo(name)
                        info.size, info.mode, info.mtime = len(data), 0o600, int(now.timestamp())
                        tar.addfile(info, io.BytesIO(data))
                        file_names.append(name)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(timespec="seconds"),
                "key_id": kid,
                "terminal": terminal,
                "app_version": _version(),
                "cases": cases,
                "last_case": last_case,
                "sequences": sequences,
                "members": members,
            }
            manifest["mac"] = _seal(manifest, key_hex)
            blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(blob), 0o600, int(now.timestamp())
            tar.addfile(info, io.BytesIO(blob))
            tar.fileobj.flush()
            os.fsync(tar.fileobj.fileno())
        os.chmod(partial, 0o600)
        verified = verify_backup(partial, key_hex, settings)
        os.replace(partial, final)
    except OSError as exc:
        raise BackupError(f"备份没有写完：{exc.strerror or exc}（{out_dir}）。已有数据未受影响；"
                          "请检查磁盘空间或 U 盘后重试。", detail=str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if partial.exists():
            partial.unlink()
    log.info("backup %s written: %d cases, %d files", final, cases, len(file_names))
    return BackupInfo(final, verified["created_at"], cases, len(file_names), last_case, kid, terminal,
                      final.stat().st_size)


def _version() -> str:
    from houshi_desk import __version__

    return __version__


# ---------------------------------------------------------------------------------------------- read


def read_manifest(path: Path) -> dict:
    """The manifest of a backup, unverified (for ``list`` and to find the key); BackupError if the
    file is not a backup at all."""
    path = Path(path)
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.getmember(MANIFEST)
            if member.size > 64 * 1024 * 1024:
                raise _corrupt(path, "清单过大")
            manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件：{path}") from exc
    except (tarfile.TarError, KeyError, ValueError, UnicodeDecodeError, OSError) as exc:
        raise _corrupt(path, "不是完整的备份文件") from exc
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, HALL_FORMAT):
        raise _corrupt(path, "格式不认识")
    return manifest


def verify_backup(path: Path, key_hex: str, settings=None, *, extract_db_to: Path | None = None) -> dict:
    """Check every byte of a backup against its sealed manifest, re-open the database copy and
    check it, decrypt every file; returns the manifest. With ``extract_db_to`` the checked database
    copy is left there (the restore moves it into place)."""
    from sqlalchemy import text

    from houshi_desk.scanning.errors import StorageError
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import StoreError, sqlite_store
    from houshi_desk.store.integrity import check_engine

    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") == HALL_FORMAT:
        return verify_hall_backup(path, key_hex)
    if not hmac.compare_digest(str(manifest.get("mac", "")), _seal(manifest, key_hex)):
        raise _corrupt(path, "清单校验失败（被改动，或不是用本机密钥做的备份）")
    members = manifest.get("members") or {}
    if DB_MEMBER not in members:
        raise _corrupt(path, "缺少数据库")
    files_key = _files_key(key_hex)
    checker = FileStore(Path(tempfile.gettempdir()), files_key)
    seen = set()
    work = Path(tempfile.mkdtemp(prefix=".verify-", dir=extract_db_to.parent if extract_db_to else None))
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                want = members.get(member.name)
                if want is None or not member.isfile() or member.size != want["size"]:
                    raise _corrupt(path, f"多出或不符的内容 {member.name[:80]}")
                fh = tar.extractfile(member)
                if member.name == DB_MEMBER:
                    target = work / DB_MEMBER
                    h = hashlib.sha256()
                    with open(target, "wb") as out:
                        for chunk in iter(lambda: fh.read(1 << 20), b""):
                            h.update(chunk)
                            out.write(chunk)
                    digest = h.hexdigest()
                else:
                    data = fh.read()
                    digest = hashlib.sha256(data).hexdigest()
                    sha = member.name.rsplit("/", 1)[-1]
                    try:
                        checker.open_blob(sha, data)
                    except StorageError as exc:
                        raise _corrupt(path, f"文件 {sha[:12]}… 无法解密") from exc
                if digest != want["sha256"]:
                    raise _corrupt(path, f"{member.name[:80]} 的校验值不符")
                seen.add(member.name)
        missing = set(members) - seen
        if missing:
            raise _corrupt(path, f"缺少 {len(missing)} 项内容")
        try:
            copy = sqlite_store(work / DB_MEMBER, key_hex)
        except StoreError as exc:
            raise _corrupt(path, "数据库副本无法打开") from exc
        try:
            problems = check_engine(copy.engine)
            if problems:
                raise _corrupt(path, "数据库副本已损坏：" + problems[0][:100])
            with copy.engine.connect() as c:
                cases = int(c.execute(text("SELECT count(*) FROM cases")).scalar() or 0)
        finally:
            copy.close()
        if cases != manifest.get("cases"):
            raise _corrupt(path, "案件数与清单不符")
        if extract_db_to is not None:
            os.replace(work / DB_MEMBER, extract_db_to)
    except (tarfile.TarError, OSError) as exc:
        raise _corrupt(path, "读取中断") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _files_key(key_hex: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    # Same derivation as keys.derived_key(…, "files"), from a given master key.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"houshi-desk/files").derive(
        bytes.fromhex(key_hex))


def list_backups(directory: Path) -> list[tuple[Path, dict | None, str]]:
    """Backups in ``directory``, newest first: (path, manifest or None, problem)."""
    out = []
    if not Path(directory).is_dir():
        return out
    for f in sorted(Path(directory).glob(f"*{SUFFIX}"), reverse=True):
        try:
            out.append((f, read_manifest(f), ""))
        except BackupError as exc:
            out.append((f, None, exc.message))
    return out


# ---------------------------------------------------------------------------------------------- restore


def restore_backup(settings, path: Path, *, now: datetime | None = None) -> tuple[dict, Path | None]:
    """Bring a verified backup back into the data directory. The database file found there (if any)
    is kept as ``houshi-desk.db.before-restore-<time>``. Returns (manifest, that kept file)."""
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store import keys

    p = settings.paths
    path = Path(path)
    now = now or datetime.now()
    manifest = read_manifest(path)
    kid = str(manifest.get("key_id") or "")
    key_hex = keys._get(kid) if kid else None
    if not key_hex:
        raise BackupError(
            f"这份备份是用另一把数据库密钥做的（密钥标识 {kid[:8]}…），本机钥匙串中没有这把密钥。"
            "请先由主管导入原电脑的恢复密钥文件：houshi-desk key import 文件，再恢复备份。")
    p.data_dir.mkdir(parents=True, exist_ok=True)
    incoming = p.data_dir / f".restore-{now:%Y%m%d-%H%M%S}.db"
    try:
        verify_backup(path, key_hex, settings, extract_db_to=incoming)
        kept = None
        db = p.database_file
        _refuse_if_in_use(db, p.data_dir)
        if db.exists():
            kept = db.with_name(f"{db.name}.before-restore-{now:%Y%m%d-%H%M%S}")
            os.replace(db, kept)
            for side in ("-wal", "-shm"):
                extra = db.with_name(db.name + side)
                if extra.exists():
                    os.replace(extra, kept.with_name(kept.name + side))
        (p.data_dir / "key-id").write_text(kid + "\n", encoding="ascii")
        os.replace(incoming, db)
        os.chmod(db, 0o600)
    finally:
        if incoming.exists():
            incoming.unlink()
    files = FileStore(p.data_dir, _files_key(key_hex))
    with tarfile.open(path, "r:") as tar:
        for member in tar:
            if member.name.startswith("files/") and member.isfile():
                files.put_blob(member.name.rsplit("/", 1)[-1], tar.extractfile(member).read())
    recent = dict(sorted((manifest.get("sequences") or {}).items(), key=lambda kv: kv[0][-8:], reverse=True)
                  [:keys.MARKER_DAYS])
    if manifest.get("cases"):
        keys.write_marker(p.data_dir, keys.merge_marker(keys.read_marker(p.data_dir), key_id=kid,
                                                        last_case=manifest.get("last_case"), high=recent,
                                                        replace_last=True))
    else:
        keys.clear_marker(p.data_dir)
    log.info("backup %s restored (%s cases); previous database kept as %s", path, manifest.get("cases"), kept)
    return manifest, kept


def _refuse_if_in_use(db: Path, data_dir: Path) -> None:
    """A window (or another command) still holding the database would go on writing into the file
    moved aside. Switching it out of WAL needs every other connection gone: that is the test (it
    also folds the WAL into the file kept aside)."""
    import sqlcipher3

    from houshi_desk.store import keys

    if not db.exists() or db.stat().st_size == 0:
        return
    kid = keys.key_id(data_dir, create=False)
    key_hex = keys._get(kid) if kid else None
    if not key_hex:
        return  # cannot open it to ask; nothing of ours can be holding it either
    import gc
    import time

    deadline = time.monotonic() + 5.0
    while True:
        conn = sqlcipher3.connect(str(db), timeout=1.0)
        try:
            conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            busy = str(mode).lower() != "delete"
        except sqlcipher3.DatabaseError as exc:
            text = str(exc).lower()
            busy = "locked" in text or "busy" in text
        finally:
            conn.close()
        if not busy or time.monotonic() > deadline:
            break
        # a command that is just finishing, or a store of this process dropped without close(): its
        # connections go when it is collected; a window that is really open keeps them and is refused
        gc.collect()
        time.sleep(0.25)
    if busy:
        raise BackupError("本机数据库正在被使用（受理窗口或另一个命令还开着），不能恢复。"
                          "请先关闭所有 houshi-desk 窗口、等正在运行的命令结束，再运行 backup restore。")


# ---------------------------------------------------------------------------------------------- hall

_RECORD = 1 << 20  # plaintext bytes per encrypted record of the dump
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "127.0.0.1", "::1")


def _hkdf(key_hex: str, purpose: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"houshi-desk/{purpose}".encode()).derive(
        bytes.fromhex(key_hex))


def database_hosts(url: str) -> list[str]:
    """The hosts a PostgreSQL URL connects to ('' = the default Unix socket)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    hosts: list[str] = []
    for value in (u.host, u.query.get("host"), u.query.get("hostaddr")):
        for v in (value if isinstance(value, tuple) else (value,)):
            hosts.extend(h.strip() for h in str(v or "").split(",") if h.strip())
    return hosts or [""]


def _address_is_mine(host: str) -> bool:
    """Does ``host`` name this PC? Resolved, and one of its addresses can be bound here (an address
    of another machine cannot be): no interface list needed, the same on Windows and Linux."""
    import socket

    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    for family, _type, _proto, _name, addr in infos:
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.bind((addr[0], 0) + tuple(addr[2:]))
            return True
        except OSError:
            continue
    return False


def database_is_local(url: str) -> bool:
    """Is the hall database on this PC: a Unix socket, localhost, or a name/address of this PC?"""
    for host in database_hosts(url):
        if host == "" or host.startswith(("/", "@")) or host.lower() in _LOCAL_NAMES:
            continue
        if not _address_is_mine(host):
            return False
    return True


def libpq_target(url: str) -> tuple[str, dict]:
    """(libpq URI without the password, environment with PGPASSWORD): the password never appears on
    a command line."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    from sqlalchemy.engine import URL

    # URL.set(password=None) keeps the password: build it again without one
    bare = URL.create("postgresql", username=u.username, host=u.host, port=u.port, database=u.database, query=u.query)
    uri = bare.render_as_string(hide_password=False)
    return uri, env


def pg_tool(name: str, server_major: int) -> str:
    """``pg_dump`` / ``pg_restore`` of the server's version (a newer one also works, an older one
    refuses the server)."""
    import glob
    import re
    import subprocess

    candidates = []
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "C:/Program Files/PostgreSQL/*/bin",
                    "/opt/homebrew/opt/postgresql@*/bin"):
        for d in glob.glob(pattern):
            m = re.search(r"(\d+)", Path(d).parent.name)
            exe = Path(d) / (name + (".exe" if os.name == "nt" else ""))
            if m and exe.exists():
                candidates.append((int(m.group(1)), str(exe)))
    found = shutil.which(name)
    if found:
        try:
            out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=20).stdout
            m = re.search(r"(\d+)(?:\.\d+)?", out)
            if m:
                candidates.append((int(m.group(1)), found))
        except (OSError, subprocess.SubprocessError):
            pass
    usable = sorted((v, p) for v, p in candidates if v >= server_major)
    if not usable:
        raise BackupError(f"本机没有找到 PostgreSQL {server_major} 或更新版本的 {name}，无法备份大厅数据库。"
                          f"请在数据库服务器上安装 PostgreSQL {server_major} 的客户端工具后重试。")
    exact = [p for v, p in usable if v == server_major]
    return exact[0] if exact else usable[0][1]


def _server_major(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as c:
        return int(c.execute(text("SHOW server_version_num")).scalar()) // 10000


def table_counts(bind) -> dict[str, int]:
    """Rows per table of the public schema (the restore compares them); ``bind`` is an engine or a
    connection (then inside its transaction)."""
    from contextlib import nullcontext

    from sqlalchemy import text
    from sqlalchemy.engine import Engine

    out = {}
    with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as c:
        names = c.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars().all()
        for name in names:
            out[name] = int(c.execute(text(f'SELECT count(*) FROM "{name}"')).scalar())
    return out


@dataclass(frozen=True)
class BackupKey:
    kind: str  # "hall" | "terminal"
    key_id: str
    key_hex: str


def hall_backup_key(settings) -> BackupKey:
    """The hall key when this PC's keyring holds it, else this PC's own database key."""
    hall = _hall_key()
    if hall is not None:
        return BackupKey("hall", *hall)
    from houshi_desk.store.keys import database_key, key_id

    p = settings.paths
    key_hex = database_key(p.data_dir, p.database_file)
    return BackupKey("terminal", key_id(p.data_dir, create=False) or "", key_hex)


def _hall_key() -> tuple[str, str] | None:
    """(fingerprint, key hex) of the hall key in this PC's keyring, None when none is enrolled."""
    try:
        from houshi_desk.store import hallstore  # the hall store (issue 17), built beside this module
    except ImportError:
        return None
    key = hallstore.keyring_key()
    return (hallstore.fingerprint(key), key.hex()) if key else None


def key_for_manifest(manifest: dict) -> str:
    """The key a backup was made with, from this PC's keyring; BackupError saying what to import."""
    from houshi_desk.store import keys

    kid = str(manifest.get("key_id") or "")
    if manifest.get("key_kind") == "hall":
        hall = _hall_key()
        if hall is not None and hall[0] == kid:
            return hall[1]
        raise BackupError(f"这份大厅备份是用大厅密钥（标识 {kid[:8]}…）加密的，本机钥匙串中没有这把密钥。"
                          "请先由主管导入大厅密钥：houshi-desk hall key import 文件，再恢复备份。")
    key_hex = keys._get(kid) if kid else None
    if not key_hex:
        raise BackupError(
            f"这份备份是用另一把数据库密钥做的（密钥标识 {kid[:8]}…），本机钥匙串中没有这把密钥。"
            "请先由主管导入原电脑的恢复密钥文件：houshi-desk key import 文件，再恢复备份。")
    return key_hex


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _aad(index: int, last: bool) -> bytes:
    return b"houshi-hall-dump" + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def _encrypt_stream(src, dst, key: bytes) -> tuple[int, str]:
    """Read ``src`` to its end, write records ``len(4) | ciphertext`` (nonce = file prefix + index);
    returns (plaintext bytes, SHA-256 of the plaintext)."""
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    prefix = secrets.token_bytes(8)
    dst.write(b"HDDUMP1\n" + prefix)
    h, total, index = hashlib.sha256(), 0, 0
    chunk = src.read(_RECORD)
    while True:
        following = src.read(_RECORD) if chunk else b""
        last = not following
        h.update(chunk)
        total += len(chunk)
        ct = aead.encrypt(_nonce(prefix, index), chunk, _aad(index, last))
        dst.write(len(ct).to_bytes(4, "big") + ct)
        index += 1
        if last:
            return total, h.hexdigest()
        chunk = following


def _decrypt_stream(src, key: bytes):
    """Yield the plaintext records of an encrypted dump; ValueError when anything is off."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    head = src.read(16)
    if len(head) != 16 or not head.startswith(b"HDDUMP1\n"):
        raise ValueError("not an encrypted dump")
    prefix, index = head[8:], 0
    while True:
        size = src.read(4)
        if len(size) != 4:
            raise ValueError("cut short")
        n = int.from_bytes(size, "big")
        if n > _RECORD + 16:
            raise ValueError("record too large")
        ct = src.read(n)
        if len(ct) != n:
            raise ValueError("cut short")
        last = False
        try:
            data = aead.decrypt(_nonce(prefix, index), ct, _aad(index, False))
        except InvalidTag:
            try:
                data = aead.decrypt(_nonce(prefix, index), ct, _aad(index, True))
            except InvalidTag as exc:
                raise ValueError(f"record {index} does not decrypt") from exc
            last = True
        yield data
        index += 1
        if last:
            if src.read(1):
                raise ValueError("data after the last record")
            return


def _seal_blob(key: bytes, sha: str, data: bytes) -> bytes:
    """A file under the backup key, in the file store's own format (MAGIC | nonce | AES-GCM)."""
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from houshi_desk.scanning.filestore import MAGIC

    nonce = secrets.token_bytes(12)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, sha.encode("ascii"))


def create_hall_backup(store, settings, to_dir: Path | None = None, *, now: datetime | None = None,
                       key: BackupKey | None = None) -> BackupInfo:
    """On the hall database's host: pg_dump (custom format) of the hall database plus this PC's
    stored files, encrypted under the hall key (or this PC's key), verified, then renamed."""
    import subprocess

    from sqlalchemy import text

    from houshi_desk.scanning.filestore import FileStore

    if store.dialect != "postgresql":
        raise BackupError("本机不是大厅模式，请用普通备份。")
    key = key or hall_backup_key(settings)
    p = settings.paths
    now = now or datetime.now()
    out_dir = Path(to_dir) if to_dir else default_dir(settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(f"备份目录无法创建：{out_dir}（{exc.strerror or exc}）。请换一个目录或检查 U 盘。") from exc
    database = store.engine.url.database or "hall"
    name = f"houshi-hall-backup-{settings.office_region_code}-{database}-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    final = out_dir / name
    partial = final.with_name(final.name + ".partial")
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out_dir))
    major = _server_major(store.engine)
    uri, env = libpq_target(store.engine.url.render_as_string(hide_password=False))
    dump_key, files_key = _hkdf(key.key_hex, "hall-backup-dump"), _hkdf(key.key_hex, "hall-backup-files")
    try:
        enc = work / HALL_DUMP
        # The row counts and the dump see one snapshot (exported from a repeatable-read transaction
        # kept open while pg_dump runs): the windows go on working during a hall backup, and the
        # restore compares its rows with these counts.
        with store.engine.connect().execution_options(isolation_level="REPEATABLE READ") as snap_conn:
            with snap_conn.begin():
                snapshot = snap_conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                counts = table_counts(snap_conn)
                cmd = [pg_tool("pg_dump", major), "--format=custom", "--no-owner", "--no-privileges",
                       f"--snapshot={snapshot}", f"--dbname={uri}"]
                with open(enc, "wb") as out, tempfile.TemporaryFile() as errors:
                    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, env=env)
                    try:
                        dump_size, dump_sha = _encrypt_stream(proc.stdout, out, dump_key)
                    finally:
                        proc.stdout.close()
                        proc.wait()
                    errors.seek(0)
                    err = errors.read().decode("utf-8", "replace")
                    out.flush()
                    os.fsync(out.fileno())
        if proc.returncode != 0:
            raise BackupError("大厅数据库导出（pg_dump）失败，未生成备份。请检查数据库服务后重试。",
                              detail=err.replace(uri, "<db>")[-2000:])
        members = {HALL_DUMP: {"size": enc.stat().st_size, "sha256": _sha_file(enc)}}
        # files still on this PC: its own file store, never the hall store for_settings hands out here
        local = sorted(FileStore(p.data_dir, b"\0" * 32).all()) if p.files_dir.exists() else []
        files_src = FileStore(p.data_dir, settings_files_key(settings)) if local else None
        with tarfile.open(partial, "w") as tar:
            tar.add(enc, arcname=HALL_DUMP)
            for sha in sorted(local):
                blob = _seal_blob(files_key, sha, files_src.get(sha))
                member = f"files/{sha[:2]}/{sha}"
                members[member] = {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
                info = tarfile.TarInfo(member)
                info.size, info.mode, info.mtime = len(blob), 0o600, int(now.timestamp())
                tar.addfile(info, io.BytesIO(blob))
            manifest = {
                "format": HALL_FORMAT,
                "created_at": now.isoformat(timespec="seconds"),
                "key_kind": key.kind,
                "key_id": key.key_id,
                "terminal": f"{settings.office_region_code}-{str(settings.office_terminal_id).upper()}",
                "database": database,
                "server_major": major,
                "app_version": _version(),
                "cases": counts.get("cases", 0),
                "tables": counts,
                "dump_size": dump_size,
                "dump_sha256": dump_sha,
                "members": members,
            }
            manifest["mac"] = _seal(manifest, key.key_hex)
            blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(blob), 0o600, int(now.timestamp())
            tar.addfile(info, io.BytesIO(blob))
            tar.fileobj.flush()
            os.fsync(tar.fileobj.fileno())
        os.chmod(partial, 0o600)
        verify_hall_backup(partial, key.key_hex, pg_restore=pg_tool("pg_restore", major))
        os.replace(partial, final)
    except OSError as exc:
        raise BackupError(f"备份没有写完：{exc.strerror or exc}（{out_dir}）。已有数据未受影响；"
                          "请检查磁盘空间或 U 盘后重试。", detail=str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if partial.exists():
            partial.unlink()
    log.info("hall backup %s written: %d cases, %d local files", final, counts.get("cases", 0), len(local))
    return BackupInfo(final, manifest["created_at"], counts.get("cases", 0), len(local),
                      None, key.key_id, manifest["terminal"], final.stat().st_size)


def _check_members(path: Path, tar, members: dict, on_member) -> None:
    seen = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        want = members.get(member.name)
        if want is None or not member.isfile() or member.size != want["size"]:
            raise _corrupt(path, f"多出或不符的内容 {member.name[:80]}")
        h = hashlib.sha256()
        on_member(member, tar.extractfile(member), h)
        if h.hexdigest() != want["sha256"]:
            raise _corrupt(path, f"{member.name[:80]} 的校验值不符")
        seen.add(member.name)
    if set(members) - seen:
        raise _corrupt(path, f"缺少 {len(set(members) - seen)} 项内容")


class _Hashing:
    def __init__(self, fh, h):
        self.fh, self.h = fh, h

    def read(self, n=-1):
        data = self.fh.read(n)
        self.h.update(data)
        return data


def _pipe_dump(path: Path, fh, h, dump_key: bytes, manifest: dict, sink) -> None:
    """Decrypt the dump member into ``sink.write``, checking its size and plaintext hash."""
    plain, total = hashlib.sha256(), 0
    try:
        for data in _decrypt_stream(_Hashing(fh, h), dump_key):
            plain.update(data)
            total += len(data)
            sink(data)
    except ValueError as exc:
        raise _corrupt(path, f"数据库导出无法解密（{exc}）") from exc
    while fh.read(1 << 20):  # the rest of the member (nothing, unless damaged) into the hash
        pass
    if total != manifest.get("dump_size") or plain.hexdigest() != manifest.get("dump_sha256"):
        raise _corrupt(path, "数据库导出与清单不符")


def verify_hall_backup(path: Path, key_hex: str, *, pg_restore: str | None = None) -> dict:
    """Every hash against the sealed manifest, every file decrypted, and the dump decrypted into
    ``pg_restore --list`` (it reads the archive's table of contents)."""
    import subprocess

    from houshi_desk.scanning.errors import StorageError
    from houshi_desk.scanning.filestore import FileStore

    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") != HALL_FORMAT:
        raise _corrupt(path, "不是大厅备份")
    if not hmac.compare_digest(str(manifest.get("mac", "")), _seal(manifest, key_hex)):
        raise _corrupt(path, "清单校验失败（被改动，或不是用这把密钥做的备份）")
    members = manifest.get("members") or {}
    if HALL_DUMP not in members:
        raise _corrupt(path, "缺少数据库导出")
    dump_key, files_key = _hkdf(key_hex, "hall-backup-dump"), _hkdf(key_hex, "hall-backup-files")
    checker = FileStore(Path(tempfile.gettempdir()), files_key)
    pg_restore = pg_restore or pg_tool("pg_restore", int(manifest.get("server_major") or 0))

    def on_member(member, fh, h):
        if member.name == HALL_DUMP:
            import threading

            proc = subprocess.Popen([pg_restore, "--list"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            outs: dict = {}
            readers = [threading.Thread(target=lambda n=n, f=f: outs.__setitem__(n, f.read()), daemon=True)
                       for n, f in (("out", proc.stdout), ("err", proc.stderr))]
            for r in readers:  # read while writing: a full output pipe must not stall the writer
                r.start()
            try:
                _pipe_dump(path, fh, h, dump_key, manifest, proc.stdin.write)
            except BrokenPipeError:
                pass  # pg_restore stopped reading: its exit status says why
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass
                for r in readers:
                    r.join()
                proc.wait()
            if proc.returncode != 0 or b"TABLE DATA" not in outs.get("out", b""):
                raise _corrupt(path, "数据库导出无法读取（pg_restore --list 失败）")
        else:
            data = fh.read()
            h.update(data)
            sha = member.name.rsplit("/", 1)[-1]
            try:
                checker.open_blob(sha, data)
            except StorageError as exc:
                raise _corrupt(path, f"文件 {sha[:12]}… 无法解密") from exc

    try:
        with tarfile.open(path, "r:") as tar:
            _check_members(path, tar, members, on_member)
    except (tarfile.TarError, OSError) as exc:
        raise _corrupt(path, "读取中断") from exc
    return manifest


def restore_hall_backup(settings, path: Path, target_url: str) -> dict:
    """Verify a hall backup, then pg_restore it into ``target_url`` — an EMPTY database (anything
    in it is refused, never overwritten) — and put its files into this PC's file store. The row
    count of every table is compared with the manifest. Returns the manifest."""
    import subprocess

    from sqlalchemy import create_engine, text

    from houshi_desk.scanning.filestore import FileStore

    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") != HALL_FORMAT:
        raise BackupError("这不是大厅数据库的备份，请用不带 --database 的 backup restore 恢复本机数据。")
    if not target_url.startswith("postgresql"):
        raise BackupError("大厅备份只能恢复到 PostgreSQL 数据库：请用 --database postgresql+psycopg://… "
                          "指定一个新建的空数据库。")
    key_hex = key_for_manifest(manifest)
    engine = create_engine(target_url)
    try:
        try:
            major = _server_major(engine)
            with engine.connect() as c:
                tables = c.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
        except Exception as exc:  # noqa: BLE001 - any connection failure is told the same way
            raise BackupError("无法连接要恢复到的数据库，请检查地址、用户和密码（数据库须已新建）。",
                              detail=str(exc)[:500]) from exc
        if tables:
            raise BackupError("要恢复到的数据库不是空的（已有数据表），为免覆盖，未做任何改动。"
                              "请新建一个空数据库（createdb），再用 --database 指定它。")
        pg_restore = pg_tool("pg_restore", max(major, int(manifest.get("server_major") or 0)))
        verify_hall_backup(path, key_hex, pg_restore=pg_restore)
        dump_key, files_key = _hkdf(key_hex, "hall-backup-dump"), _hkdf(key_hex, "hall-backup-files")
        uri, env = libpq_target(target_url)
        work = Path(tempfile.mkdtemp(prefix=".hall-restore-"))
        try:
            plain = work / "hall.dump"
            with tarfile.open(path, "r:") as tar, open(os.open(plain, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as out:
                _pipe_dump(path, tar.extractfile(tar.getmember(HALL_DUMP)), hashlib.sha256(), dump_key, manifest,
                           out.write)
            run = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                                  f"--dbname={uri}", str(plain)], capture_output=True, env=env)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # the plain dump never outlives the restore
        if run.returncode != 0:
            raise BackupError("大厅数据库恢复（pg_restore）失败，目标数据库未改动（整个恢复在一个事务中）。"
                              "请联系信息科。", detail=run.stderr.decode("utf-8", "replace").replace(uri, "<db>")[-2000:])
        got = table_counts(engine)
    finally:
        engine.dispose()
    want = manifest.get("tables") or {}
    wrong = {t: (n, got.get(t)) for t, n in want.items() if got.get(t) != n}
    if wrong:
        raise BackupError("恢复后的数据与备份清单不符：" + "、".join(f"{t} {a}≠{b}" for t, (a, b) in list(wrong.items())[:5]),
                          detail=str(wrong))
    files = None
    opener = FileStore(Path(tempfile.gettempdir()), files_key)
    with tarfile.open(path, "r:") as tar:
        for member in tar:
            if member.name.startswith("files/") and member.isfile():
                files = files or FileStore(settings.paths.data_dir, settings_files_key(settings))
                sha = member.name.rsplit("/", 1)[-1]
                if files.put(opener.open_blob(sha, tar.extractfile(member).read())) != sha:
                    raise _corrupt(path, f"文件 {sha[:12]}… 内容不符")
    log.info("hall backup %s restored (%s cases)", path, manifest.get("cases"))
    return manifest


def settings_files_key(settings) -> bytes:
    from houshi_desk.store.keys import derived_key

    return derived_key(settings.paths.data_dir, settings.paths.database_file, "files")
