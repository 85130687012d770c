"""SANE scanners (Linux) behind ``ScanSource``, with python-sane kept in a worker process.

The worker (:mod:`.sane_worker`) is started on first use with multiprocessing's spawn method
(works the same in a PyInstaller build with ``freeze_support``) and reused, because ``sane_init``
can take seconds on a machine with many backends. If the driver crashes, hangs or the worker is
killed, the scan raises :class:`DeviceLost` with a sentence for the clerk and the next scan starts
a fresh worker; the application itself never runs driver code.
"""
from __future__ import annotations

import logging
import multiprocessing
import threading
import time

from PIL import Image

from houshi_desk.scanning.errors import DeviceLost, DeviceNotFound, FeederEmpty, ScanCancelled, ScanError
from houshi_desk.scanning.source import DeviceInfo, PageCallback, ScannedPage, ScanRequest

log = logging.getLogger(__name__)

# One raw page above this is refused before scanning (a 600 dpi colour A3 page is ~210 MB).
MAX_PAGE_BYTES = 320 * 1024 * 1024
# What the SANE ``test`` backend draws unless a scan asks otherwise (its own default is solid black).
TEST_PICTURE = "Color pattern"


class SaneSource:
    def __init__(self, device: str | None = None, *, start_timeout: float = 60.0, page_timeout: float = 180.0,
                 cancel_grace: float = 5.0):
        self.device = device
        self.start_timeout = start_timeout
        self.page_timeout = page_timeout
        self.cancel_grace = cancel_grace
        self._proc = None
        self._conn = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"sane:{self.device or ''}"

    @property
    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    # ------------------------------------------------------------------ worker

    def _start(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        self._stop_worker()
        from houshi_desk.scanning.sane_worker import worker_main

        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker_main, args=(child,), daemon=True, name="houshi-sane-worker")
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        msg = self._recv(self.start_timeout, what="启动")
        if msg[0] != "ready":
            self._stop_worker()
            raise ScanError(
                "扫描组件（SANE）无法启动，请确认已安装扫描仪驱动（sane-utils）后重试，或改用“导入文件”。",
                detail=str(msg),
            )

    def _recv(self, timeout: float, *, what: str):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self._conn.poll(0.05):
                    return self._conn.recv()
            except (EOFError, OSError) as exc:
                raise self._lost() from exc
            if not self._proc.is_alive():
                raise self._lost()
            if time.monotonic() > deadline:
                self._stop_worker()
                raise DeviceLost(f"扫描仪{what}超时无响应。请检查扫描仪电源和连接线，重新扫描。")

    def _lost(self) -> DeviceLost:
        code = self._proc.exitcode if self._proc is not None else None
        self._stop_worker()
        return DeviceLost(
            "扫描仪连接中断或驱动程序异常退出，本次扫描的页面没有保存，案件中已有的材料不受影响。"
            "请检查扫描仪的电源和 USB 线后重新扫描。",
            detail=f"sane worker exit code {code}",
        )

    def _stop_worker(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            try:
                conn.send(("close",))
            except Exception:
                pass
        if proc is not None:
            proc.join(1.0)
            if proc.is_alive():
                proc.kill()
                proc.join(2.0)
        if conn is not None:
            conn.close()

    # ------------------------------------------------------------------ ScanSource

    def devices(self) -> list[DeviceInfo]:
        with self._lock:
            self._start()
            self._conn.send(("devices",))
            msg = self._recv(self.start_timeout, what="查找设备")
        if msg[0] != "devices":
            raise ScanError("无法列出扫描仪。请检查扫描仪连接后重试。", detail=str(msg))
        return [DeviceInfo(name=d[0], vendor=d[1], model=d[2], kind=d[3]) for d in msg[1]]

    def cancel(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        with self._lock:
            self._stop_worker()

    def scan(self, request: ScanRequest, *, on_page: PageCallback | None = None) -> list[ScannedPage]:
        if not self.device:
            found = self.devices()
            if not found:
                raise DeviceNotFound("没有找到扫描仪。请打开扫描仪电源、连接 USB 线后重试，或改用“导入文件”。")
            self.device = found[0].name
        with self._lock:
            self._cancel.clear()
            self._start()
            options = dict(request.options)
            if self.device.split(":", 1)[0] == "test":
                # the SANE test device's default picture is solid black, which the quality gate
                # rightly refuses: the demo and the tests scan its colour pattern instead
                options.setdefault("test_picture", TEST_PICTURE)
            settings = {"mode": request.mode, "resolution": int(request.resolution), "feeder": request.feeder,
                        "pages": request.pages, "options": options, "max_bytes": MAX_PAGE_BYTES}
            self._conn.send(("scan", self.device, settings))
            return self._collect(request, on_page)

    def _collect(self, request: ScanRequest, on_page: PageCallback | None) -> list[ScannedPage]:
        pages: list[ScannedPage] = []
        cancel_sent_at = None
        deadline = time.monotonic() + self.page_timeout
        while True:
            if self._cancel.is_set() and cancel_sent_at is None:
                try:
                    self._conn.send(("cancel",))
                except (OSError, ValueError):
                    pass
                cancel_sent_at = time.monotonic()
            try:
                ready = self._conn.poll(0.05)
                msg = self._conn.recv() if ready else None
            except (EOFError, OSError) as exc:
                err = self._lost()
                err.pages = pages
                raise err from exc
            if msg is None:
                now = time.monotonic()
                if not self._proc.is_alive():
                    err = self._lost()
                    err.pages = pages
                    raise err
                if cancel_sent_at is not None and now - cancel_sent_at > self.cancel_grace:
                    self._stop_worker()  # a driver that ignores sane_cancel: end it
                    raise ScanCancelled("已取消扫描，本次扫描的页面没有保存。", pages=pages)
                if now > deadline:
                    self._stop_worker()
                    raise DeviceLost("扫描仪长时间没有送出图像，已停止。请检查扫描仪后重新扫描。", pages=pages)
                continue
            kind = msg[0]
            if kind == "page":
                _, index, mode, size, dpi, raw = msg
                page = ScannedPage(Image.frombytes(mode, tuple(size), raw), dpi, self.name[:32], index)
                page.image.info["dpi"] = (dpi, dpi)
                pages.append(page)
                deadline = time.monotonic() + self.page_timeout
                if on_page is not None and not self._cancel.is_set():
                    on_page(page)
            elif kind == "done":
                return self._finish(request, pages)
            elif kind == "cancelled":
                raise ScanCancelled("已取消扫描，本次扫描的页面没有保存。", pages=pages)
            elif kind == "error":
                raise self._error(msg[1], msg[2], request, pages)

    def _finish(self, request: ScanRequest, pages: list[ScannedPage]) -> list[ScannedPage]:
        if self._cancel.is_set():
            raise ScanCancelled("已取消扫描，本次扫描的页面没有保存。", pages=pages)
        if request.feeder and not pages:
            raise FeederEmpty("自动进纸器里没有纸。请放入材料（正面朝向按扫描仪标示）后重新扫描。")
        if request.feeder and request.pages and len(pages) < request.pages:
            raise FeederEmpty(
                f"进纸器在第 {len(pages)} 页后没纸了，本次要求 {request.pages} 页。已扫描的 {len(pages)} 页没有保存到案件；"
                "请补齐纸张后重新扫描，或按实际页数保存。",
                pages=pages,
            )
        return pages

    def _error(self, kind: str, detail: str, request: ScanRequest, pages: list[ScannedPage]) -> ScanError:
        dev = self.device
        if kind == "open" or kind == "inval" and not pages:
            return DeviceNotFound(f"找不到或无法打开扫描仪“{dev}”。请检查扫描仪电源和连接，或在设置中选择其他扫描仪。",
                                  detail=detail, pages=pages)
        if kind == "config":
            if detail == "feeder":
                msg = f"扫描仪“{dev}”没有自动进纸器，请改用平板扫描（把材料放在玻璃板上）。"
            elif detail.startswith("mode:"):
                msg = f"扫描仪“{dev}”不支持所选的色彩模式，请改用灰度或彩色。"
            else:
                msg = f"扫描仪“{dev}”不支持所选的设置（{detail}）。"
            return ScanError(msg, detail=detail, pages=pages)
        if kind == "too_big":
            return ScanError("所选分辨率和色彩下一页图像太大（超过 300 MB），请把分辨率降到 300 dpi 以下，或改用灰度。",
                             detail=detail, pages=pages)
        if kind == "no_docs":
            return FeederEmpty("自动进纸器里没有纸。请放入材料后重新扫描。" if not pages else
                               f"进纸器在第 {len(pages)} 页后没纸了，已扫描的页面没有保存到案件，请重新扫描。",
                               detail=detail, pages=pages)
        messages = {
            "jammed": "扫描仪卡纸了。请打开进纸器取出纸张、抚平后重新扫描；本次页面没有保存。",
            "cover_open": "扫描仪盖板或进纸器盖没有合上，请合上后重新扫描。",
            "busy": "扫描仪正被其他程序使用，请关闭其他扫描程序后重试。",
            "io": "扫描仪通信中断（可能被拔出或断电），本次扫描的页面没有保存，案件中已有的材料不受影响。请检查连接后重新扫描。",
            "no_mem": "扫描仪内存不足，请降低分辨率后重试。",
            "denied": "没有权限使用扫描仪，请联系信息科（Linux 上需把用户加入 scanner 组）。",
            "inval": "扫描仪不接受当前设置，请改用默认的 200 dpi 灰度后重试。",
            "unsupported": "扫描仪不支持此操作，请改用默认设置。",
        }
        cls = DeviceLost if kind == "io" else ScanError
        return cls(messages.get(kind, "扫描失败，本次页面没有保存。请重新扫描；多次失败请联系信息科。"),
                   detail=f"{kind}: {detail}", pages=pages)

    def __enter__(self) -> "SaneSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def list_devices() -> list[DeviceInfo]:
    with SaneSource() as s:
        return s.devices()
