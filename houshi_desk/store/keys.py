"""The database key: created on first run, kept in the OS keyring, exportable as a recovery file.

The key never touches a settings file or a log. Each data directory has a ``key-id`` file (not
secret) naming its keyring entry, so several data directories (demo, real) on one PC keep separate
keys and a moved data directory still finds its own. A lost keyring must not lose cases: a
supervisor exports a recovery file protected by a passphrase (scrypt + AES-GCM) and imports it on
the replacement PC.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import uuid
from pathlib import Path

from houshi_desk.errors import HoushiError

SERVICE = "houshi-desk"


class KeyringUnavailable(HoushiError):
    pass


class KeyMissing(HoushiError):
    pass


class RecoveryFileError(HoushiError):
    pass


def _keyring():
    import keyring
    import keyring.errors

    require_safe_keyring(keyring)
    atomic_file_writes(keyring.get_keyring())
    return keyring, keyring.errors


def atomic_file_writes(backend) -> None:
    """A file keyring (keyrings.alt: the demo, the tests, or one provincial IT chose explicitly)
    rewrites its one file in place on every write — and the "has cases" marker is written after every
    saved case. A power cut or a killed process in that moment left the file empty or half written,
    and the database key with it: every case unreadable (seen in CI: a worker killed mid-write).
    Here such a backend writes a temporary file beside it and renames it over the old one."""
    try:
        from keyrings.alt.file_base import Keyring as FileKeyring
    except ImportError:  # keyrings.alt not installed: no file keyring to guard
        return
    if not isinstance(backend, FileKeyring) or getattr(backend, "_houshi_atomic", False):
        return

    def write_config_value(service, key, value):
        import configparser
        import tempfile

        from keyrings.alt.escape import escape as escape_for_ini

        backend._ensure_file_path()
        config = configparser.RawConfigParser()
        config.read(backend.file_path, encoding="utf-8")
        service, key = escape_for_ini(service), escape_for_ini(key)
        if not config.has_section(service):
            config.add_section(service)
        config.set(service, key, value)
        folder = os.path.dirname(backend.file_path) or "."
        fd, tmp = tempfile.mkstemp(prefix=".keyring-", dir=folder)  # 0600 like the file itself
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                config.write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, backend.file_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    backend._write_config_value = write_config_value
    backend._houshi_atomic = True


def require_safe_keyring(keyring) -> None:
    """The database key goes into a real keyring (Secret Service, KWallet, Windows Credential
    Manager), never silently into a file. keyrings.alt is installed with the app for the demo; on
    a Linux PC whose keyring service is not running, keyring would otherwise pick its plain-text
    (or console-password) file backend by itself. Allowed only when someone chose it: the demo
    (which marks its own keyring), ``PYTHON_KEYRING_BACKEND`` or a keyringrc.cfg of provincial IT."""
    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    first = chained[0] if chained else backend  # a chain writes to its first backend
    if not type(first).__module__.startswith("keyrings.alt"):
        return
    if getattr(first, "houshi_demo", False) or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return
    try:
        from keyring.core import load_config

        if load_config() is not None:
            return
    except Exception:  # noqa: BLE001 - an unreadable keyringrc.cfg chooses nothing
        pass
    raise KeyringUnavailable(
        "本机的系统钥匙串服务没有运行，数据库密钥不能以明文文件保存，程序未打开数据库。"
        "请信息科启用系统钥匙串（统信UOS/麒麟：登录时解锁“密钥环”；Windows：凭据管理器）后重试。",
        hint="若确需使用文件钥匙串，须由信息科在 keyringrc.cfg 中明确指定",
        detail=f"keyring backend: {type(first).__module__}.{type(first).__name__}",
    )


def key_id(data_dir: Path, *, create: bool) -> str | None:
    path = data_dir / "key-id"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    if not create:
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    kid = uuid.uuid4().hex
    path.write_text(kid + "\n", encoding="ascii")
    return kid


def _entry(kid: str) -> str:
    return f"database-key:{kid}"


def _get(kid: str) -> str | None:
    keyring, errors = _keyring()
    try:
        return keyring.get_password(SERVICE, _entry(kid))
    except errors.KeyringError as exc:
        raise KeyringUnavailable(
            "无法读取系统钥匙串中的数据库密钥（钥匙串被锁定或不可用）。请解锁钥匙串后重试，"
            "或由主管使用恢复密钥文件导入：houshi-desk key import 文件",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def _set(kid: str, key: str) -> None:
    keyring, errors = _keyring()
    try:
        keyring.set_password(SERVICE, _entry(kid), key)
    except errors.KeyringError as exc:
        raise KeyringUnavailable(
            "无法把数据库密钥保存到系统钥匙串（钥匙串被锁定或不可用）。请解锁钥匙串或联系信息科。",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def database_key(data_dir: Path, database_file: Path) -> str:
    """The master key of this data directory (hex): the SQLCipher key, and the root of
    :func:`derived_key`. Created only when there is no database file yet (in hall mode, where the
    database is PostgreSQL, it is created on first run and protects the local files)."""
    kid = key_id(data_dir, create=not database_file.exists())
    if kid is not None:
        key = _get(kid)
        if key:
            return key
    if database_file.exists():
        raise KeyMissing(
            "本机钥匙串中没有这个数据库的密钥，无法打开已有案件。请勿删除数据文件；"
            "由主管使用恢复密钥文件导入：houshi-desk key import 文件",
        )
    key = secrets.token_hex(32)
    kid = key_id(data_dir, create=True)
    _set(kid, key)
    return key


def _derive(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def export_recovery(data_dir: Path, database_file: Path, out: Path, passphrase: str) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(passphrase) < 8:
        raise RecoveryFileError("恢复密钥的保护口令至少需要 8 个字符。")
    key = database_key(data_dir, database_file)
    kid = key_id(data_dir, create=False)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, key.encode("ascii"), kid.encode("ascii"))
    doc = {
        "format": "houshi-desk-recovery-key/1",
        "key_id": kid,
        "kdf": "scrypt-n32768-r8-p1",
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "sealed_key": base64.b64encode(sealed).decode(),
    }
    out.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def import_recovery(data_dir: Path, path: Path, passphrase: str, *, database_file: Path | None = None) -> str:
    """Put the key from a recovery file back into the keyring; returns the key id.

    With no database file here yet (a replacement PC), the PC now remembers that a database with
    cases belongs here, to be brought back by ``backup restore``: until then the program refuses to
    start a fresh empty one under the imported key."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        kid = doc["key_id"]
        salt, nonce, sealed = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "sealed_key"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RecoveryFileError(f"恢复密钥文件无法读取或格式不对：{path}") from exc
    try:
        key = AESGCM(_derive(passphrase, salt)).decrypt(nonce, sealed, kid.encode("ascii")).decode("ascii")
    except InvalidTag as exc:
        raise RecoveryFileError("恢复密钥的保护口令不正确，或文件已被改动。") from exc
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "key-id").write_text(kid + "\n", encoding="ascii")
    _set(kid, key)
    database_file = database_file or data_dir / "houshi-desk.db"
    if not database_file.exists() or database_file.stat().st_size == 0:
        marker = read_marker(data_dir) or {"cases": True}
        write_marker(data_dir, {**marker, "key_id": kid, "pending_restore": True})
    return kid


def derived_key(data_dir: Path, database_file: Path, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` (e.g. ``"files"``), derived (HKDF-SHA256) from this data
    directory's master key, so one recovery file restores every secret of the terminal."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    master = bytes.fromhex(database_key(data_dir, database_file))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"houshi-desk/{purpose}".encode()).derive(master)


# ---------------------------------------------------------------- "this PC has a database with cases"
#
# Kept in the keyring beside the key, keyed by the data directory's path (not by key-id: a wiped
# data folder loses its key-id file too). It says a database with cases lives here, which case was
# the newest one written, and the highest case number handed out per day, so that a missing,
# emptied, replaced or rolled-back file stops the program instead of becoming a fresh empty
# database, and a restored database never hands out a number again.

MARKER_DAYS = 31  # sequence high-water marks kept per day prefix


def _marker_entry(data_dir: Path) -> str:
    import hashlib

    return "database-cases:" + hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:32]


def read_marker(data_dir: Path) -> dict | None:
    keyring, errors = _keyring()
    try:
        raw = keyring.get_password(SERVICE, _marker_entry(data_dir))
    except errors.KeyringError as exc:
        raise KeyringUnavailable(
            "无法读取系统钥匙串（钥匙串被锁定或不可用）。请解锁钥匙串后重试。",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    if not raw:
        return None
    try:
        marker = json.loads(raw)
    except ValueError:
        return {"cases": True}  # unreadable, but present: treat as "had cases"
    return marker if isinstance(marker, dict) else {"cases": True}


def write_marker(data_dir: Path, marker: dict) -> None:
    keyring, errors = _keyring()
    try:
        keyring.set_password(SERVICE, _marker_entry(data_dir), json.dumps(marker, sort_keys=True))
    except errors.KeyringError as exc:
        raise KeyringUnavailable(
            "无法写入系统钥匙串（钥匙串被锁定或不可用）。请解锁钥匙串或联系信息科。",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def clear_marker(data_dir: Path) -> None:
    keyring, errors = _keyring()
    try:
        keyring.delete_password(SERVICE, _marker_entry(data_dir))
    except errors.PasswordDeleteError:
        pass


def merge_marker(old: dict | None, *, key_id: str | None, last_case: str | None,
                 high: dict[str, int] | None = None, replace_last: bool = False) -> dict:
    """A marker that never lowers a day's high-water mark; ``last_case`` is the newest case the
    file must contain (replaced only by a newer number, unless ``replace_last`` after a restore)."""
    old = old or {}
    merged_high = {k: int(v) for k, v in (old.get("high") or {}).items() if isinstance(v, int)}
    for prefix, seq in (high or {}).items():
        merged_high[prefix] = max(int(seq), merged_high.get(prefix, 0))
    keep = sorted(merged_high, key=lambda p: p.rsplit("-", 1)[-1], reverse=True)[:MARKER_DAYS]
    last = old.get("last_case")
    if last_case and (replace_last or not last or last_case > last):
        last = last_case
    return {"cases": True, "key_id": key_id or old.get("key_id"), "last_case": last,
            "high": {p: merged_high[p] for p in keep}}
