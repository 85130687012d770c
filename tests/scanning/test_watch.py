"""The watched folder: files dropped by a scanner are taken once they are stable, moved out of the
way, and bad files are set aside with the reason."""
from __future__ import annotations

import threading
import time

import pytest

from houshi_desk.scanning.errors import ImageRejected, ScanCancelled, ScanError
from houshi_desk.scanning.source import ScanRequest, ScanSource
from houshi_desk.scanning.watch import DONE_DIR, REJECTED_DIR, FolderSource, FolderWatcher

from .pages import encoded, multipage_tiff, small_page


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_file_is_taken_only_when_stable(tmp_path):
    clock = Clock()
    w = FolderWatcher(tmp_path, stable_ms=1000, clock=clock)
    data = encoded(small_page(0), "JPEG")
    f = tmp_path / "scan001.jpg"
    f.write_bytes(data[:2000])  # the scanner is still writing
    assert w.poll() == []
    clock.t = 0.8
    f.write_bytes(data)  # grew: the stability clock restarts
    assert w.poll() == []
    clock.t = 1.5
    assert w.poll() == []
    clock.t = 1.9
    assert w.poll() == [f]
    assert w.poll() == []  # returned once
    pages = w.take(f)
    assert len(pages) == 1 and pages[0].source == "folder"
    assert not f.exists() and (tmp_path / DONE_DIR / "scan001.jpg").exists()


def test_ignored_files_and_empty_files(tmp_path):
    clock = Clock()
    w = FolderWatcher(tmp_path, stable_ms=10, clock=clock)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".partial.jpg").write_bytes(b"x")
    (tmp_path / "empty.jpg").write_bytes(b"")
    w.poll()
    clock.t = 1
    assert w.poll() == []  # a 0-byte file waits: a scanner may not have started writing


def test_bad_file_is_set_aside_with_the_reason(tmp_path):
    clock = Clock()
    w = FolderWatcher(tmp_path, stable_ms=10, clock=clock)
    f = tmp_path / "broken.jpg"
    f.write_bytes(encoded(small_page(0), "JPEG")[:3000])
    w.poll()
    clock.t = 1
    (ready,) = w.poll()
    with pytest.raises(ImageRejected):
        w.take(ready)
    reason = (tmp_path / REJECTED_DIR / "broken.jpg.txt").read_text(encoding="utf-8")
    assert "损坏" in reason


def test_folder_source_waits_for_a_dropped_file(tmp_path):
    src = FolderSource(tmp_path, stable_ms=200, interval=0.05, timeout=10)
    assert isinstance(src, ScanSource)

    def drop():
        time.sleep(0.2)
        (tmp_path / "batch.tif").write_bytes(multipage_tiff(3))

    threading.Thread(target=drop).start()
    pages = src.scan(ScanRequest())
    assert len(pages) == 3 and (tmp_path / DONE_DIR / "batch.tif").exists()


def test_folder_source_cancel_and_missing_folder(tmp_path):
    src = FolderSource(tmp_path, interval=0.05, timeout=10)
    threading.Timer(0.2, src.cancel).start()
    with pytest.raises(ScanCancelled):
        src.scan(ScanRequest())
    with pytest.raises(ScanError) as e:
        FolderSource(tmp_path / "gone").scan(ScanRequest())
    assert "不存在" in e.value.message
