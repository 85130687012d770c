"""Transport 3: a reader vendor's SDK library through ctypes.

Two API families exist (IDCARD.md); which one a library speaks is told by its exports:

* ``sdtapi.dll``-style: ``SDT_OpenPort(port)``, ``SDT_StartFindIDCard(port, buf, 0)``,
  ``SDT_SelectIDCard(port, buf, 0)``, ``SDT_ReadBaseMsg(port, text, &len, photo, &len, 0)``;
  results are SAM status codes (0x90 / 0x9F success), explained by the same table as the serial path.
* ``termb.dll``-style: ``CVR_InitComm(port)``, ``CVR_Authenticate()``, ``CVR_Read_Content(1)``
  (1 = success), which writes ``wz.txt`` (the 256-byte text block) and ``xp.wlt`` (the photo) into
  the library's folder.

Ports: 1–16 serial, 1001–1016 USB (both families). Windows DLLs are stdcall (``WinDLL``).
"""
from __future__ import annotations

import ctypes
import itertools
import logging
import os
import sys
import threading
from pathlib import Path

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard.errors import CardRemovedError, ReaderError, SamStatusError
from houshi_desk.idcard.reader import PollingReader
from houshi_desk.idcard.sam_status import status_for
from houshi_desk.idcard.text_block import parse_text_block

log = logging.getLogger(__name__)

DEFAULT_USB_PORT = 1001


def _load(path: str):
    loader = ctypes.WinDLL if sys.platform == "win32" else ctypes.CDLL
    try:
        return loader(path)
    except OSError as exc:
        raise ReaderError(f"无法加载读卡器厂商动态库 {path}。", hint="请检查设置中的动态库路径，以及该库与本机系统（32/64 位）是否匹配。",
                          detail=str(exc), code="sdk_load", retryable=False) from None


def sdk_style(lib) -> str:
    if hasattr(lib, "SDT_OpenPort"):
        return "sdtapi"
    if hasattr(lib, "CVR_InitComm"):
        return "termb"
    raise ReaderError("所配置的动态库不是已知的身份证阅读器接口（sdtapi / termb）。", hint="请检查设置中的厂商动态库路径。",
                      code="sdk_unknown", retryable=False)


class _SdkBase(PollingReader):
    kind = "sdk"

    def __init__(self, library: str, port: int = DEFAULT_USB_PORT, lib=None):
        super().__init__(f"{Path(library).name}:{port}")
        self.library = library
        self.port = port
        self.label = f"厂商读卡器（{Path(library).name}）"
        self._lib = lib
        self._lock = threading.Lock()  # vendor SDKs are not re-entrant
        self._generation = itertools.count(1)

    @property
    def lib(self):
        if self._lib is None:
            self._lib = _load(self.library)
        return self._lib


class SdtapiReader(_SdkBase):
    def open(self) -> None:
        super().open()
        lib = self.lib
        c_int, buf, uintp = ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint)
        for name, args in (("SDT_OpenPort", [c_int]), ("SDT_ClosePort", [c_int]),
                           ("SDT_StartFindIDCard", [c_int, buf, c_int]),
                           ("SDT_SelectIDCard", [c_int, buf, c_int]),
                           ("SDT_ReadBaseMsg", [c_int, buf, uintp, buf, uintp, c_int])):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.argtypes, fn.restype = args, c_int
        with self._lock:
            rc = lib.SDT_OpenPort(self.port)
        if rc != 0x90:
            raise ReaderError(f"厂商读卡器打开端口 {self.port} 失败（返回 {rc:#x}）。", hint="请检查读卡器连接与设置中的端口号（USB 一般为 1001）。",
                              code="sdk_open")

    def close(self) -> None:
        if self._lib is not None and hasattr(self._lib, "SDT_ClosePort"):
            with self._lock:
                self._lib.SDT_ClosePort(self.port)

    def _find(self) -> int:
        info = ctypes.create_string_buffer(8)
        with self._lock:
            return self.lib.SDT_StartFindIDCard(self.port, info, 0) & 0xFF

    def _select(self) -> int:
        info = ctypes.create_string_buffer(8)
        with self._lock:
            return self.lib.SDT_SelectIDCard(self.port, info, 0) & 0xFF

    def poll_card(self):
        if self._token is not None:
            if self._find() == 0x9F:
                return next(self._generation)
            return self._token if self._select() == 0x90 else None
        rc = self._find()
        if rc == 0x9F:
            return next(self._generation)
        if rc not in (0x80, 0x81):
            raise SamStatusError(status_for(rc))
        return None

    def read_card(self, reader: str) -> IdentityDocument:
        rc = self._select()
        if rc != 0x90:
            raise SamStatusError(status_for(rc))
        text = ctypes.create_string_buffer(4096)
        photo = ctypes.create_string_buffer(4096)
        tlen, plen = ctypes.c_uint(0), ctypes.c_uint(0)
        with self._lock:
            rc = self.lib.SDT_ReadBaseMsg(self.port, text, ctypes.byref(tlen), photo, ctypes.byref(plen), 0) & 0xFF
        if rc != 0x90:
            raise SamStatusError(status_for(rc))
        t = text.raw[:min(tlen.value, 4096)]
        p = photo.raw[:min(plen.value, 4096)]
        return parse_text_block(t, p or None)


class TermbReader(_SdkBase):
    def __init__(self, library: str, port: int = DEFAULT_USB_PORT, lib=None, output_dir: str | None = None):
        super().__init__(library, port, lib)
        # termb writes its files beside itself unless the vendor's build says otherwise
        self.output_dir = Path(output_dir) if output_dir else Path(library).resolve().parent

    def open(self) -> None:
        super().open()
        lib = self.lib
        for name, args in (("CVR_InitComm", [ctypes.c_int]), ("CVR_CloseComm", []),
                           ("CVR_Authenticate", []), ("CVR_Read_Content", [ctypes.c_int])):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.argtypes, fn.restype = args, ctypes.c_int
        with self._lock:
            rc = lib.CVR_InitComm(self.port)
        if rc != 1:
            raise ReaderError(f"厂商读卡器打开端口 {self.port} 失败（返回 {rc}）。", hint="请检查读卡器连接与设置中的端口号（USB 一般为 1001）。",
                              code="sdk_open")

    def close(self) -> None:
        if self._lib is not None and hasattr(self._lib, "CVR_CloseComm"):
            with self._lock:
                self._lib.CVR_CloseComm()

    def poll_card(self):
        with self._lock:
            present = self.lib.CVR_Authenticate() == 1
        if not present:
            return None
        return self._token if self._token is not None else next(self._generation)

    def read_card(self, reader: str) -> IdentityDocument:
        text_file, photo_file = self.output_dir / "wz.txt", self.output_dir / "xp.wlt"
        with self._lock:
            for f in (text_file, photo_file):  # a previous person's files must never be read again
                try:
                    f.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise ReaderError("无法清理读卡器的临时文件。", hint="请检查程序目录的写权限。", detail=str(exc),
                                      code="sdk_files") from None
            rc = self.lib.CVR_Read_Content(1)
            if rc != 1:
                if self.lib.CVR_Authenticate() != 1:
                    raise CardRemovedError(f"CVR_Read_Content {rc}")
                raise ReaderError(f"读卡失败（厂商动态库返回 {rc}）。", hint="请把卡片拿开，再重新平放到读卡器上。",
                                  code="sdk_read")
            try:
                text = text_file.read_bytes()
            except OSError as exc:
                raise ReaderError("读卡器没有生成身份信息文件。", hint="请把卡片拿开后重新放置；若反复出现，请联系设备维护人员。",
                                  detail=str(exc), code="sdk_files") from None
            photo = photo_file.read_bytes() if photo_file.exists() else None
            for f in (text_file, photo_file):
                try:
                    os.remove(f)
                except OSError:
                    pass
        return parse_text_block(text, photo)


def sdk_reader(library: str, port: int = DEFAULT_USB_PORT) -> _SdkBase:
    lib = _load(library)
    return (SdtapiReader if sdk_style(lib) == "sdtapi" else TermbReader)(library, port, lib)
