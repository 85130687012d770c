"""Encrypted, content-addressed page store: ``files/<aa>/<sha256>`` under the data directory (in hall
mode :meth:`FileStore.for_settings` hands out the hall store in PostgreSQL instead, see
:mod:`houshi_desk.store.hallstore`).

The name is the SHA-256 of the plaintext, so the same page stored twice is one file and a file can
be checked after decrypting. Each file is AES-256-GCM with a random nonce; the hash is the
associated data, so a file renamed or swapped on disk fails to open instead of showing the wrong
page. Writes go to a temp file, are fsynced and then renamed, so a full disk or a killed process
never leaves a half file under a final name. Orphans (files no row points at) are harmless;
:meth:`FileStore.collect` removes them.
"""
from __future__ import annotations

import errno
import hashlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Iterable

from houshi_desk.scanning.errors import StorageError

MAGIC = b"HDF1"  # houshi-desk file, format 1: MAGIC | nonce(12) | AES-GCM ciphertext+tag
_NONCE = 12


def _is_sha(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class FileStore:
    def __init__(self, data_dir: Path, key: bytes):
        if len(key) != 32:
            raise ValueError("FileStore needs a 32-byte key")
        self.root = Path(data_dir) / "files"
        self._key = key

    @classmethod
    def for_settings(cls, settings=None):
        """The page store of these settings: this terminal's encrypted files, or in hall mode
        (``database.url`` is PostgreSQL) the hall store in that database, encrypted with the hall key
        (:class:`houshi_desk.store.hallstore.HallFileStore`, the same interface). Every caller
        (attach, export, the uploader, kept copies, retention, collect) takes its store from here."""
        from houshi_desk.store.keys import derived_key

        if settings is None:
            from houshi_desk.config import load_settings

            settings = load_settings()
        url = settings.database_url
        if url and url.startswith("postgresql"):
            from houshi_desk.store.hallstore import HallFileStore

            return HallFileStore.for_url(url)
        p = settings.paths
        return cls(p.data_dir, derived_key(p.data_dir, p.database_file, "files"))

    def path(self, sha256: str) -> Path:
        if not _is_sha(sha256):
            raise StorageError(f"页面文件名不正确：{sha256[:80]!r}。", hint="请联系信息科")
        return self.root / sha256[:2] / sha256

    def _aead(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(self._key)

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        final = self.path(sha)
        if final.exists():
            return sha  # same content already stored (and verified when it was written)
        nonce = secrets.token_bytes(_NONCE)
        blob = MAGIC + nonce + self._aead().encrypt(nonce, data, sha.encode("ascii"))
        tmp_name = None
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, final)
            tmp_name = None
            _fsync_dir(final.parent)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageError(
                    "磁盘空间已满，扫描页面没有保存，案件中已有的材料未受影响。"
                    "请清理磁盘空间（或联系信息科）后重新扫描。",
                    detail=f"{self.root}: {exc}",
                ) from exc
            raise StorageError(
                f"扫描页面无法写入数据目录（{self.root}）：{exc.strerror or exc}。已有材料未受影响，请联系信息科。",
                detail=str(exc),
            ) from exc
        finally:
            if tmp_name is not None:
                try:
                    os.unlink(tmp_name)
                except OSError:
                    pass
        return sha

    def get(self, sha256: str) -> bytes:
        from cryptography.exceptions import InvalidTag

        path = self.path(sha256)
        try:
            blob = path.read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(
                f"页面文件不存在（{sha256[:12]}…）。可能被误删，请从备份恢复或重新扫描该材料。"
            ) from exc
        except OSError as exc:
            raise StorageError(f"页面文件无法读取（{sha256[:12]}…）：{exc.strerror or exc}。") from exc
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _NONCE + 16:
            raise StorageError(f"页面文件已损坏（{sha256[:12]}…），请重新扫描该材料。")
        nonce = blob[len(MAGIC):len(MAGIC) + _NONCE]
        try:
            data = self._aead().decrypt(nonce, blob[len(MAGIC) + _NONCE:], sha256.encode("ascii"))
        except InvalidTag as exc:
            raise StorageError(
                f"页面文件无法解密（{sha256[:12]}…）：密钥不对或文件被改动。请勿删除文件，联系主管用恢复密钥导入。"
            ) from exc
        if hashlib.sha256(data).hexdigest() != sha256:  # cannot happen with a good tag; belt and braces
            raise StorageError(f"页面文件校验失败（{sha256[:12]}…），请重新扫描该材料。")
        return data

    def open_blob(self, sha256: str, blob: bytes) -> bytes:
        """Decrypt and check a stored file's bytes (e.g. from a backup) without touching the disk;
        raises StorageError if they are not a whole file of this key for this name."""
        from cryptography.exceptions import InvalidTag

        self.path(sha256)  # checks the name
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _NONCE + 16:
            raise StorageError(f"文件已损坏（{sha256[:12]}…）。")
        nonce = blob[len(MAGIC):len(MAGIC) + _NONCE]
        try:
            data = self._aead().decrypt(nonce, blob[len(MAGIC) + _NONCE:], sha256.encode("ascii"))
        except InvalidTag as exc:
            raise StorageError(f"文件无法解密（{sha256[:12]}…）：密钥不对或文件被改动。") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StorageError(f"文件校验失败（{sha256[:12]}…）。")
        return data

    def put_blob(self, sha256: str, blob: bytes) -> bool:
        """Store an already encrypted file as it is (a restore), after checking it opens; atomic.
        Returns False when a file of that name is already there."""
        self.open_blob(sha256, blob)
        final = self.path(sha256)
        if final.exists():
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, final)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            raise
        _fsync_dir(final.parent)
        return True

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def delete(self, sha256: str) -> None:
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            pass

    def all(self) -> Iterable[str]:
        if not self.root.exists():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                for f in sorted(sub.iterdir()):
                    if _is_sha(f.name):
                        yield f.name

    def collect(self, referenced: set[str], *, min_age_seconds: float = 3600.0) -> list[str]:
        """Delete stored files no row references (left by a failed attach); returns their names.

        Only files older than ``min_age_seconds`` go: an attach in progress (files written, rows not
        yet committed, maybe on another window's connection) must not lose its pages. Leftover temp
        files from a crash are removed by the same rule."""
        import time

        cutoff = time.time() - min_age_seconds
        removed = []
        for sha in list(self.all()):
            if sha in referenced:
                continue
            try:
                if self.path(sha).stat().st_mtime > cutoff:
                    continue
            except OSError:
                continue
            self.delete(sha)
            removed.append(sha)
        if self.root.exists():
            for tmp in self.root.glob("*/.tmp-*"):
                try:
                    if tmp.stat().st_mtime <= cutoff:
                        tmp.unlink()
                except OSError:
                    pass
        return removed


def _fsync_dir(path: Path) -> None:
    # The rename itself must survive a power cut; not possible on Windows (no O_DIRECTORY).
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
