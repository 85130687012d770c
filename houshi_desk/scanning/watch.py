"""A watched folder for scanners that save files by themselves (network scanners, "scan to folder").

Polling, no extra dependency: a file is taken once its size and modification time have not
changed for ``stable_ms`` (a scanner writing over SMB can pause mid-file) and it can be opened.
Taken files move to ``已导入/`` after they are read, files that cannot be used move to ``无法导入/``
with a ``.txt`` saying why, so nothing is read twice and nothing is silently dropped.
"""
from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from houshi_desk.scanning.errors import ImageRejected, ScanCancelled, ScanError
from houshi_desk.scanning.fileimport import SUFFIXES, PdfPage, read_path
from houshi_desk.scanning.source import DeviceInfo, PageCallback, ScannedPage, ScanRequest

log = logging.getLogger(__name__)

DONE_DIR = "已导入"
REJECTED_DIR = "无法导入"


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class FolderWatcher:
    def __init__(self, folder: Path, *, stable_ms: int = 1500, clock: Callable[[], float] = time.monotonic):
        self.folder = Path(folder)
        self.stable_ms = stable_ms
        self._clock = clock
        self._seen: dict[Path, _Seen] = {}

    def check(self) -> None:
        if not self.folder.is_dir():
            raise ScanError(f"监视文件夹不存在或无法访问：{self.folder}。请在设置中检查“扫描仪自动保存文件的监视文件夹”。")

    def poll(self) -> list[Path]:
        """Files that have been stable for ``stable_ms``, oldest first; each is returned once."""
        self.check()
        now = self._clock()
        present = {}
        for p in self.folder.iterdir():
            if not p.is_file() or p.name.startswith((".", "~")) or p.suffix.lower() not in SUFFIXES:
                continue
            try:
                st = p.stat()
            except OSError:
                continue  # vanished or locked between listing and stat
            present[p] = (st.st_size, st.st_mtime_ns)
        ready = []
        for p, (size, mtime) in present.items():
            seen = self._seen.get(p)
            if seen is None or (seen.size, seen.mtime_ns) != (size, mtime):
                self._seen[p] = _Seen(size, mtime, now)
            elif size > 0 and (now - seen.since) * 1000 >= self.stable_ms and _readable(p):
                ready.append(p)
        for p in list(self._seen):
            if p not in present:
                del self._seen[p]
        ready.sort(key=lambda p: (present[p][1], p.name))
        for p in ready:
            del self._seen[p]
        return ready

    def take(self, path: Path) -> list[ScannedPage | PdfPage]:
        """Read a ready file and move it out of the way (to 已导入/ or, if unusable, 无法导入/)."""
        try:
            pages = read_path(path)
        except ImageRejected as exc:
            self._move(path, REJECTED_DIR, reason=exc.message)
            raise
        for p in pages:
            if isinstance(p, ScannedPage):
                p.source = "folder"
        self._move(path, DONE_DIR)
        return pages

    def _move(self, path: Path, sub: str, *, reason: str | None = None) -> Path:
        target_dir = self.folder / sub
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        n = 1
        while target.exists():
            target = target_dir / f"{path.stem}({n}){path.suffix}"
            n += 1
        shutil.move(str(path), target)
        if reason:
            target.with_name(target.name + ".txt").write_text(reason + "\n", encoding="utf-8")
        return target


def _readable(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:  # Windows: a file still being written is locked
            fh.read(1)
        return True
    except OSError:
        return False


class FolderSource:
    """ScanSource over a watched folder: ``scan()`` waits for the next file(s) the scanner saves.

    Returns the pages of every file that became ready in the same poll (a scanner saving a batch
    as separate files). PDF pages in the folder are refused here, as in FileSource."""

    name = "folder"

    def __init__(self, folder: Path, *, stable_ms: int = 1500, interval: float = 0.25, timeout: float = 300.0):
        self.watcher = FolderWatcher(folder, stable_ms=stable_ms)
        self.interval = interval
        self.timeout = timeout
        self._cancel = threading.Event()

    def devices(self) -> list[DeviceInfo]:
        return [DeviceInfo(f"folder:{self.watcher.folder}", model="监视文件夹", kind="folder")]

    def scan(self, request: ScanRequest, *, on_page: PageCallback | None = None) -> list[ScannedPage]:
        self._cancel.clear()
        deadline = time.monotonic() + self.timeout
        while True:
            ready = self.watcher.poll()
            if ready:
                pages: list[ScannedPage] = []
                for path in ready:
                    for p in self.watcher.take(path):
                        if isinstance(p, PdfPage):
                            raise ImageRejected(f"“{path.name}”是 PDF，请用“导入文件”直接附加。")
                        p.index = len(pages)
                        pages.append(p)
                        if on_page:
                            on_page(p)
                return pages
            if self._cancel.wait(self.interval):
                raise ScanCancelled("已停止等待扫描仪保存文件。")
            if time.monotonic() > deadline:
                raise ScanError(f"等待了 {int(self.timeout)} 秒，监视文件夹中没有出现新的扫描文件。请确认扫描仪已设置保存到 {self.watcher.folder}。")

    def cancel(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        self._cancel.set()
