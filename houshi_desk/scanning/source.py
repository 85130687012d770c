"""The one way in for every scanner: ``ScanSource`` and the small value types around it.

A source turns a :class:`ScanRequest` into :class:`ScannedPage` objects (Pillow images plus the
resolution they were taken at). Scanning blocks; the GUI runs it in a worker thread and stops it
with :meth:`ScanSource.cancel` (thread-safe). Errors are :mod:`houshi_desk.scanning.errors`
subclasses; pages scanned before an error travel in ``error.pages`` and are never attached by
themselves.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Protocol, runtime_checkable

from PIL import Image

MODES = ("gray", "color", "lineart")
MODE_LABELS = {"gray": "灰度", "color": "彩色", "lineart": "黑白"}


@dataclass(frozen=True)
class DeviceInfo:
    name: str  # what to pass back to open it, e.g. "test:0", "wia:{GUID}", "camera:0"
    vendor: str = ""
    model: str = ""
    kind: str = ""  # flatbed scanner | virtual device | camera | ...

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.vendor, self.model) if x) or self.name


@dataclass(frozen=True)
class ScanRequest:
    resolution: int = 200
    mode: str = "gray"  # gray | color | lineart
    feeder: bool = False  # automatic document feeder: scan until it runs empty
    pages: int | None = None  # feeder: expect exactly this many; fewer → FeederEmpty
    options: dict = field(default_factory=dict)  # backend-specific extras (e.g. SANE test options)

    def __post_init__(self):
        from houshi_desk.scanning.errors import ScanError

        if self.mode not in MODES:
            raise ScanError(f"不支持的扫描色彩“{self.mode}”，可选：gray（灰度）、color（彩色）、lineart（黑白）。")
        if not 75 <= int(self.resolution) <= 1200:
            raise ScanError(f"扫描分辨率 {self.resolution} dpi 不合理，请在 75–1200 dpi 之间选择（证件材料建议 200 dpi）。")
        if self.pages is not None and self.pages < 1:
            raise ScanError("要求的页数至少为 1。")


@dataclass
class ScannedPage:
    image: Image.Image
    dpi: int
    source: str  # recorded on the stored page, e.g. "sane:test:0", "camera", "import"
    index: int = 0  # 0-based position in the run


class CancelToken:
    """Set from any thread; sources check it between reads and stop at once."""

    def __init__(self):
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)


PageCallback = Callable[[ScannedPage], None]


@runtime_checkable
class ScanSource(Protocol):
    """Implemented by SaneSource, WiaSource, CameraSource (gui), FileSource and FolderSource."""

    name: str

    def devices(self) -> list[DeviceInfo]:
        """What this kind of source can reach right now (may be empty)."""

    def scan(self, request: ScanRequest, *, on_page: PageCallback | None = None) -> list[ScannedPage]:
        """Scan one page (flatbed/camera) or a feeder run; blocks; raises ScanError subclasses."""

    def cancel(self) -> None:
        """Stop a running :meth:`scan` from another thread; it raises ScanCancelled."""

    def close(self) -> None:
        """Release the device (and any worker process)."""
