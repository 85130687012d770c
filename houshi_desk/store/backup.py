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
replaces is kept beside it, never deleted. Hall mode (PostgreSQL) backups are the hall's own job.
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
            "本机使用的是大厅数据库（PostgreSQL），案件不在本机，本命令不备份大厅数据库。"
            "大厅数据库的备份由信息科在数据库服务器上进行，请联系信息科。")
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
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
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
    if busy:
        raise BackupError("本机数据库正在被使用（受理窗口或另一个命令还开着），不能恢复。"
                          "请先关闭所有 houshi-desk 窗口、等正在运行的命令结束，再运行 backup restore。")
