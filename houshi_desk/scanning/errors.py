"""Errors of the scanning area; every message is a Chinese sentence a clerk can act on."""
from __future__ import annotations

from houshi_desk.errors import HoushiError


class ScanError(HoushiError):
    """Base of every scanning failure. ``pages`` holds what was scanned before it (never attached)."""

    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None, pages=None):
        super().__init__(message, detail=detail, hint=hint)
        self.pages = list(pages or [])


class ScanCancelled(ScanError):
    pass


class DeviceNotFound(ScanError):
    pass


class DeviceLost(ScanError):
    """The scanner went away mid-run (unplugged, driver crashed, worker killed)."""


class FeederEmpty(ScanError):
    pass


class ImageRejected(ScanError):
    """An input file or image that cannot be used (empty, truncated, not what it claims, too big)."""


class StorageError(ScanError):
    """The encrypted page store cannot write or read (disk full, wrong key, damaged file)."""


class MaterialError(ScanError):
    """The case or material named does not exist, or a page operation does not fit."""
