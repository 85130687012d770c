"""Pick a ScanSource from a device name: ``test:0``/any SANE name, ``wia`` / ``wia:<id>`` (Windows),
``folder:<path>``, ``import``. The camera source lives in ``houshi_desk.gui.camera`` (Qt).

The WIA module is imported only on Windows and SANE only elsewhere, so each platform loads just
its own backend.
"""
from __future__ import annotations

import sys
from pathlib import Path

from houshi_desk.scanning.errors import ScanError
from houshi_desk.scanning.source import DeviceInfo, ScanSource


def open_source(device: str = "") -> ScanSource:
    if device == "import":
        from houshi_desk.scanning.fileimport import FileSource

        return FileSource()
    if device.startswith("folder:"):
        from houshi_desk.scanning.watch import FolderSource

        return FolderSource(Path(device[len("folder:"):]))
    if device == "camera" or device.startswith("camera:"):
        raise ScanError("高拍仪（文档摄像头）只能在图形界面中使用。命令行请用扫描仪或“--import 文件”。")
    if sys.platform == "win32":
        if device == "wia" or device.startswith("wia:") or not device:
            from houshi_desk.scanning.wia import WiaSource

            return WiaSource(device[4:] or None if device.startswith("wia:") else None)
        raise ScanError(f"Windows 上请用 WIA 扫描仪（wia 或 wia:设备编号），不支持“{device}”。")
    if device == "wia" or device.startswith("wia:"):
        raise ScanError("WIA 扫描只在 Windows 上可用；本机请使用 SANE 扫描仪名称（如 test:0），可用 houshi-desk scan --list 查看。")
    from houshi_desk.scanning.sane_source import SaneSource

    return SaneSource(device or None)


def list_all() -> list[DeviceInfo]:
    """Scanners this PC can reach now (SANE or WIA); never raises for a missing stack."""
    try:
        if sys.platform == "win32":
            from houshi_desk.scanning.wia import WiaSource

            return WiaSource().devices()
        from houshi_desk.scanning.sane_source import list_devices

        return list_devices()
    except ScanError:
        return []
