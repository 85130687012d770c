"""Windows scanners through WIA 2.0 (Windows Image Acquisition) behind ``ScanSource``.

Loaded only on Windows: the COM objects come from ``comtypes`` (pywin32's ``win32com`` as a
fallback), imported inside the functions, so importing this module anywhere else is harmless and
:func:`available` says why it cannot be used. WIA drivers run out of process (in the WIA service),
so a crashing driver cannot take the application down; cancel is honoured between pages.

NOT EXERCISED on the Linux build machine: no Windows, no WIA service, no device. The property ids
and format GUIDs below are the documented WIA constants (wiadef.h); this code must be tried on a
Windows PC with a real scanner before it is relied on.
"""
from __future__ import annotations

import io
import sys
import threading

from PIL import Image

from houshi_desk.scanning.errors import DeviceLost, DeviceNotFound, FeederEmpty, ScanCancelled, ScanError
from houshi_desk.scanning.source import DeviceInfo, PageCallback, ScannedPage, ScanRequest

WIA_FORMAT_BMP = "{B96B3CAB-0728-11D3-9D7B-0000F81EF32E}"
WIA_DEVICE_TYPE_SCANNER = 1
# Item properties (wiadef.h)
WIA_IPS_CUR_INTENT = 6146
WIA_IPS_XRES = 6147
WIA_IPS_YRES = 6148
WIA_IPA_DATATYPE = 4103
# Device properties
WIA_DPS_DOCUMENT_HANDLING_SELECT = 3088
WIA_DPS_DOCUMENT_HANDLING_STATUS = 3087
WIA_DPS_PAGES = 3096
FEEDER, FLATBED, FEED_READY = 0x001, 0x002, 0x001
DATATYPE = {"lineart": 0, "gray": 2, "color": 3}
# HRESULTs worth a message
WIA_ERROR_PAPER_EMPTY = -2145320957  # 0x80210003
WIA_ERROR_PAPER_JAM = -2145320958
WIA_ERROR_OFFLINE = -2145320955
WIA_ERROR_BUSY = -2145320954
WIA_ERROR_COVER_OPEN = -2145320944


def available() -> tuple[bool, str]:
    if sys.platform != "win32":
        return False, "not on this OS: WIA exists only on Windows"
    try:
        _client()
    except Exception as exc:  # noqa: BLE001
        return False, f"WIA COM client unavailable ({exc}); install comtypes"
    return True, ""


def _client():
    try:
        import comtypes.client as cc

        return lambda progid: cc.CreateObject(progid)
    except ImportError:
        import win32com.client as wc  # pywin32

        return lambda progid: wc.Dispatch(progid)


def _hresult(exc: BaseException) -> int | None:
    for attr in ("hresult", "excepinfo"):
        v = getattr(exc, attr, None)
        if isinstance(v, int):
            return v
    args = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _set(props, pid: int, value) -> None:
    for i in range(1, props.Count + 1):
        p = props.Item(i)
        if p.PropertyID == pid:
            p.Value = value
            return


class WiaSource:
    def __init__(self, device: str | None = None):
        ok, why = available()
        if not ok:
            raise ScanError(f"本机不能使用 WIA 扫描（{why}）。请改用“导入文件”或监视文件夹。")
        self.device = device  # WIA DeviceID
        self._cancel = threading.Event()

    @property
    def name(self) -> str:
        return "wia"

    def devices(self) -> list[DeviceInfo]:
        manager = _client()("WIA.DeviceManager")
        out = []
        for i in range(1, manager.DeviceInfos.Count + 1):
            info = manager.DeviceInfos.Item(i)
            if info.Type == WIA_DEVICE_TYPE_SCANNER:
                props = {info.Properties.Item(j).Name: info.Properties.Item(j).Value
                         for j in range(1, info.Properties.Count + 1)}
                out.append(DeviceInfo(info.DeviceID, str(props.get("Manufacturer", "")),
                                      str(props.get("Name", "")), "scanner"))
        return out

    def _connect(self):
        manager = _client()("WIA.DeviceManager")
        for i in range(1, manager.DeviceInfos.Count + 1):
            info = manager.DeviceInfos.Item(i)
            if info.Type == WIA_DEVICE_TYPE_SCANNER and (self.device is None or info.DeviceID == self.device):
                self.device = info.DeviceID
                return info.Connect()
        raise DeviceNotFound("没有找到 WIA 扫描仪。请打开扫描仪电源、连接 USB 线并安装驱动后重试。")

    def scan(self, request: ScanRequest, *, on_page: PageCallback | None = None) -> list[ScannedPage]:
        self._cancel.clear()
        dev = self._connect()
        _set(dev.Properties, WIA_DPS_DOCUMENT_HANDLING_SELECT, FEEDER if request.feeder else FLATBED)
        if request.feeder:
            _set(dev.Properties, WIA_DPS_PAGES, 1)
        item = dev.Items.Item(1)
        _set(item.Properties, WIA_IPA_DATATYPE, DATATYPE[request.mode])
        _set(item.Properties, WIA_IPS_XRES, int(request.resolution))
        _set(item.Properties, WIA_IPS_YRES, int(request.resolution))
        pages: list[ScannedPage] = []
        while True:
            if self._cancel.is_set():
                raise ScanCancelled("已取消扫描，本次扫描的页面没有保存。", pages=pages)
            try:
                img = item.Transfer(WIA_FORMAT_BMP)
            except Exception as exc:  # noqa: BLE001 - COM errors carry an HRESULT
                code = _hresult(exc)
                if code == WIA_ERROR_PAPER_EMPTY and request.feeder:
                    if not pages:
                        raise FeederEmpty("自动进纸器里没有纸。请放入材料后重新扫描。") from exc
                    break
                if code == WIA_ERROR_PAPER_JAM:
                    raise ScanError("扫描仪卡纸了。请取出纸张后重新扫描；本次页面没有保存。", pages=pages) from exc
                if code == WIA_ERROR_COVER_OPEN:
                    raise ScanError("扫描仪盖板没有合上，请合上后重新扫描。", pages=pages) from exc
                if code == WIA_ERROR_BUSY:
                    raise ScanError("扫描仪正被其他程序使用，请关闭其他扫描程序后重试。", pages=pages) from exc
                raise DeviceLost("扫描仪通信中断（可能被拔出或断电），本次扫描的页面没有保存。请检查连接后重新扫描。",
                                 detail=repr(exc), pages=pages) from exc
            data = bytes(img.FileData.BinaryData)
            im = Image.open(io.BytesIO(data))
            im.load()
            page = ScannedPage(im, int(request.resolution), "wia", len(pages))
            pages.append(page)
            if on_page:
                on_page(page)
            if not request.feeder or (request.pages and len(pages) >= request.pages):
                break
        if request.feeder and request.pages and len(pages) < request.pages:
            raise FeederEmpty(f"进纸器在第 {len(pages)} 页后没纸了，本次要求 {request.pages} 页；已扫描的页面没有保存到案件。",
                              pages=pages)
        return pages

    def cancel(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        pass
