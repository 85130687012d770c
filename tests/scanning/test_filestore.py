"""The encrypted page store: content addressing, encryption at rest, atomic writes, full disk."""
from __future__ import annotations

import errno
import hashlib
import os

import pytest

from houshi_desk.scanning.errors import StorageError
from houshi_desk.scanning.filestore import FileStore


def test_put_get_roundtrip_named_by_sha256(filestore):
    data = b"page bytes \x00\xff" * 1000
    sha = filestore.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert filestore.exists(sha)
    assert filestore.get(sha) == data
    assert filestore.put(data) == sha  # same content, same file
    filestore.delete(sha)
    assert not filestore.exists(sha)


def test_file_on_disk_is_encrypted_and_unreadable_without_the_key(filestore, settings):
    data = b"\x89PNG secret page " + os.urandom(2000)
    sha = filestore.put(data)
    raw = filestore.path(sha).read_bytes()
    assert data not in raw and b"secret page" not in raw
    other = FileStore(settings.paths.data_dir, os.urandom(32))
    with pytest.raises(StorageError) as e:
        other.get(sha)
    assert "无法解密" in e.value.message


def test_swapped_or_damaged_file_is_refused(filestore):
    a, b = filestore.put(b"page A" * 100), filestore.put(b"page B" * 100)
    filestore.path(a).write_bytes(filestore.path(b).read_bytes())  # someone copied B over A
    with pytest.raises(StorageError):
        filestore.get(a)
    filestore.path(b).write_bytes(b"HDF1short")
    with pytest.raises(StorageError) as e:
        filestore.get(b)
    assert "损坏" in e.value.message


def test_missing_file_message(filestore):
    with pytest.raises(StorageError) as e:
        filestore.get("0" * 64)
    assert "不存在" in e.value.message


def test_full_disk_leaves_no_file_and_a_clear_message(filestore, monkeypatch):
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    data = b"x" * 5000
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError) as e:
        filestore.put(data)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert "磁盘空间已满" in e.value.message
    sha = hashlib.sha256(data).hexdigest()
    assert not filestore.exists(sha)
    assert not list(filestore.root.glob("*/.tmp-*"))  # no half file left behind


def test_full_disk_on_a_real_tiny_filesystem(tmp_path):
    """A real ENOSPC: a 1 MiB tmpfs when we may mount one (root), else skipped with the reason."""
    import subprocess

    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tiny tmpfs here (needs root): {r.stderr.decode().strip()}")
    try:
        fs = FileStore(mnt, os.urandom(32))
        keep = fs.put(b"k" * 1000)
        with pytest.raises(StorageError) as e:
            fs.put(os.urandom(3 * 1024 * 1024))
        assert "磁盘空间已满" in e.value.message
        assert fs.get(keep) == b"k" * 1000  # what was stored before is intact
        assert list(fs.all()) == [keep]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_collect_removes_only_orphans(filestore):
    keep, orphan = filestore.put(b"keep" * 10), filestore.put(b"orphan" * 10)
    assert filestore.collect({keep}) == []  # too young: maybe an attach in progress
    assert filestore.collect({keep}, min_age_seconds=0) == [orphan]
    assert filestore.exists(keep) and not filestore.exists(orphan)


def test_bad_name_is_refused(filestore):
    with pytest.raises(StorageError):
        filestore.get("../../etc/passwd")
