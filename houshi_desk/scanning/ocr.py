"""Read the death proof and the 火化证 / 墓位使用证 back: offline OCR in a child process, and the
parsing of its lines into the fields the clerk typed.

OCR is optional (the ``[ocr]`` extra: ``rapidocr`` 3.x with its PP-OCRv6 models inside the wheel,
and ``onnxruntime``). :func:`available` says whether it is installed; without it the cross-check says
it is unavailable and nothing else changes.

The engine runs in a child process started with multiprocessing's *spawn* method (as the SANE
worker): one inference thread (``intra_op_num_threads=1``; the counter PC has two cores and the
window must stay responsive), pages go in as encoded image bytes, lines come back page by page
(progress), and :meth:`OcrRun.cancel` ends the child at once. Nothing is fetched at run time: the
models are given by path from the installed package, and the child replaces rapidocr's downloader
with one that refuses. No OCR text is written anywhere by this module.
"""
from __future__ import annotations

import importlib.util
import io
import logging
import multiprocessing
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from houshi_desk.scanning.errors import ScanCancelled, ScanError

log = logging.getLogger(__name__)

# The materials read back, and what kind of paper each is.
OCR_MATERIALS = {
    "death_cert_medical": "death",  # 《居民死亡医学证明（推断）书》
    "death_cert_police": "death",  # 《非正常死亡证明》
    "cremation_cert": "cremation",  # 《火化证》
    "burial_cert": "burial",  # 《墓位使用证》或安葬证明
}
MAX_SIDE = 1800  # pages are read at most this many pixels on the long side (~155 dpi for A4)


class OcrUnavailable(ScanError):
    pass


def available() -> bool:
    """rapidocr and onnxruntime are installed (the ``[ocr]`` extra)."""
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


UNAVAILABLE = "本机未安装文字识别组件（OCR），无法核对证明上的内容；请人工核对证明与录入是否一致。"


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the page's pixels
    score: float = 1.0

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


# ------------------------------------------------------------------------------------------ worker

def _model_params() -> dict:
    import os

    import rapidocr

    models = os.path.join(os.path.dirname(rapidocr.__file__), "models")
    return {
        "Global.log_level": "error",
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Det.model_path": os.path.join(models, "PP-OCRv6_det_small.onnx"),
        "Rec.model_path": os.path.join(models, "PP-OCRv6_rec_small.onnx"),
        "Cls.model_path": os.path.join(models, "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
    }


def _no_download(*_a, **_k):
    raise RuntimeError("rapidocr tried to download a file; the OCR must run offline")


def worker_main(conn) -> None:
    """The child: build the engine once, then read the pages it is sent."""
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        from PIL import Image
        from rapidocr import RapidOCR
        from rapidocr.utils import download_file

        download_file.DownloadFile.run = classmethod(_no_download)
        engine = RapidOCR(params=_model_params())
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one sentence
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg[0] != "page":
            return
        _, index, data = msg
        try:
            im = Image.open(io.BytesIO(data))
            im.load()
            if im.mode != "L":
                # the red channel: a red seal stamped over the issuer's name turns to paper, while the
                # black and blue-black writing stays dark
                im = im.convert("RGB").getchannel("R")
            im = im.convert("RGB")
            scale = 1.0
            if max(im.size) > MAX_SIDE:
                scale = max(im.size) / MAX_SIDE
                im = im.resize((round(im.width / scale), round(im.height / scale)), Image.Resampling.LANCZOS)
            out = engine(im, use_cls=False)
            lines = []
            for box, text, score in zip(out.boxes if out.boxes is not None else [], out.txts or (), out.scores or ()):
                xs = [p[0] * scale for p in box]
                ys = [p[1] * scale for p in box]
                lines.append((str(text), (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))), float(score)))
            conn.send(("page", index, lines))
        except Exception as exc:  # noqa: BLE001
            conn.send(("page_error", index, f"{type(exc).__name__}: {exc}"))


class OcrRun:
    """OCR of some pages in a child process; :meth:`result` blocks, :meth:`cancel` (any thread) ends it."""

    def __init__(self, pages: list[bytes], *, start_timeout: float = 120.0, page_timeout: float = 120.0):
        if not available():
            raise OcrUnavailable(UNAVAILABLE)
        self.pages = list(pages)
        self.start_timeout = start_timeout
        self.page_timeout = page_timeout
        self._cancel = threading.Event()
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=worker_main, args=(child,), daemon=True, name="houshi-ocr-worker")
        self._proc.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.is_alive()

    def cancel(self) -> None:
        """End the child now (the case was closed, the clerk moved on)."""
        self._cancel.set()
        self._kill()

    def _kill(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join(2.0)

    def _recv(self, timeout: float):
        deadline = time.monotonic() + timeout
        while True:
            if self._cancel.is_set():
                raise ScanCancelled("已停止识别证明。")
            try:
                if self._conn.poll(0.05):
                    return self._conn.recv()
            except (EOFError, OSError) as exc:
                if self._cancel.is_set():
                    raise ScanCancelled("已停止识别证明。") from exc
                raise ScanError("文字识别组件意外退出，请人工核对证明与录入是否一致。") from exc
            if not self._proc.is_alive():
                if self._cancel.is_set():
                    raise ScanCancelled("已停止识别证明。")
                raise ScanError("文字识别组件意外退出，请人工核对证明与录入是否一致。",
                                detail=f"exit code {self._proc.exitcode}")
            if time.monotonic() > deadline:
                self._kill()
                raise ScanError("文字识别超时，已停止。请人工核对证明与录入是否一致。")

    def result(self, on_progress=None) -> list[list[OcrLine]]:
        """Lines of each page, in order. ``on_progress(done, total)`` after each page."""
        try:
            msg = self._recv(self.start_timeout)
            if msg[0] != "ready":
                raise OcrUnavailable("文字识别组件无法启动，请人工核对证明与录入是否一致。", detail=str(msg[1:]))
            out: list[list[OcrLine]] = []
            for i, data in enumerate(self.pages):
                self._conn.send(("page", i, data))
                msg = self._recv(self.page_timeout)
                if msg[0] == "page":
                    out.append([OcrLine(t, tuple(b), s) for t, b, s in msg[2]])
                else:
                    log.warning("ocr: page %d failed: %s", i + 1, msg[2])
                    out.append([])
                if on_progress is not None:
                    on_progress(i + 1, len(self.pages))
            return out
        finally:
            try:
                self._conn.send(("stop",))
            except (OSError, ValueError):
                pass
            self._proc.join(1.0)
            self._kill()
            self._conn.close()


def read_pages(pages: list[bytes], on_progress=None) -> list[list[OcrLine]]:
    return OcrRun(pages).result(on_progress)


# ------------------------------------------------------------------------------------------ parsing

@dataclass
class Found:
    value: object  # str | date | datetime
    text: str  # as read
    box: tuple[int, int, int, int]
    page: int = 1  # 1-based page of the material


@dataclass
class Extracted:
    kind: str  # death | cremation | burial
    fields: dict[str, Found] = field(default_factory=dict)

    def get(self, name: str):
        f = self.fields.get(name)
        return f.value if f else None


LABELS = {
    "name": ("死者姓名", "逝者姓名", "姓名"),
    "id_number": ("公民身份号码", "身份证件号码", "证件号码", "身份证号码", "身份证号"),
    "death_date": ("死亡日期", "死亡时间"),
    "number": ("证明编号", "火化证编号", "证书编号", "编号", "No"),
    "issuer": ("签发单位", "出具单位", "医疗卫生机构", "填报单位", "公安机关", "火化单位", "殡仪馆名称", "承办单位",
               "发证单位", "经营单位"),
    "cremation_date": ("火化日期", "火化时间"),
    "burial_date": ("安葬日期", "安葬时间", "落葬日期"),
}
FIELDS_BY_KIND = {
    "death": ("name", "id_number", "death_date", "number", "issuer"),
    "cremation": ("name", "id_number", "death_date", "cremation_date", "number", "issuer"),
    "burial": ("name", "id_number", "burial_date", "number", "issuer"),
}

_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(\d{1,2})\s*[时時:：点點]\s*(\d{1,2})\s*分?)?")  # 時: the recogniser's traditional form
_ID = re.compile(r"(?<![0-9A-Z])([1-9]\d{16}[\dX])(?![0-9A-Z])")
_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9\-]{5,}")
_SEP = " :：\t，,"


def _digits(text: str) -> str:
    """An ID or certificate number as read: no spaces, letter O / I / l read for 0 / 1 inside digits."""
    t = re.sub(r"\s+", "", text).upper()
    return re.sub(r"(?<=\d)[OQ](?=\d|$)|(?<=\d)[IL](?=\d|$)",
                  lambda m: "0" if m.group(0) in "OQ" else "1", t)


def parse_date(text: str):
    m = _DATE.search(text.replace(" ", ""))
    if not m:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m.group(4) is not None:
            return datetime(d.year, d.month, d.day, int(m.group(4)), int(m.group(5)))
        return d
    except ValueError:
        return None


def _valid_id(s: str) -> bool:
    from houshi_desk.domain.identity import is_valid_id_number

    return is_valid_id_number(s)


def _after_label(text: str, label: str) -> str:
    i = text.find(label)
    return text[i + len(label):].strip(_SEP) if i >= 0 else ""


def _right_of(lines: list[OcrLine], label: OcrLine) -> list[OcrLine]:
    """Lines on the label's row to its right, nearest first."""
    tol = max(label.height * 0.6, 6)
    row = [ln for ln in lines if ln is not label and abs(ln.cy - label.cy) <= tol and ln.box[0] >= label.box[2] - 4]
    return sorted(row, key=lambda ln: ln.box[0])


def _value(name: str, text: str):
    if name == "id_number":
        m = _ID.search(_digits(text))
        return m.group(1) if m and _valid_id(m.group(1)) else None
    if name in ("death_date", "cremation_date", "burial_date"):
        return parse_date(text)
    if name == "number":
        m = _NUMBER.search(_digits(text).replace("NO.", "").replace("NO:", "").replace("NO", "", 1)
                           if text.upper().startswith("NO") else _digits(text))
        return m.group(0) if m else None
    t = text.strip(_SEP + "()（）")
    if name == "name":
        t = re.sub(r"[^\u4e00-\u9fff·]", "", t)
        return t if 2 <= len(t) <= 12 else None
    if name == "issuer":
        t = re.sub(r"[（(]?(盖章|签章|公章)[)）]?", "", t).strip(_SEP)
        return t if len(t) >= 4 else None
    return t or None


def extract(pages: list[list[OcrLine]], kind: str) -> Extracted:
    """The fields of one material from its pages' lines: a label (姓名, 死亡日期, …) and its value in
    the same line after it or in the nearest line to its right on the same row (the form grid)."""
    out = Extracted(kind)
    for page_no, lines in enumerate(pages, 1):
        for name in FIELDS_BY_KIND.get(kind, ()):
            if name in out.fields:
                continue
            hit = _find(lines, name)
            if hit is not None:
                value, line = hit
                out.fields[name] = Found(value, line.text, line.box, page_no)
        if "id_number" not in out.fields:  # an ID anywhere on the page, when its label was not read
            for ln in lines:
                v = _value("id_number", ln.text)
                if v:
                    out.fields["id_number"] = Found(v, ln.text, ln.box, page_no)
                    break
    return out


def _find(lines: list[OcrLine], name: str):
    for label in LABELS[name]:
        for ln in lines:
            compact = ln.text.replace(" ", "")
            if label not in compact:
                continue
            if name == "name" and any(x in compact for x in ("单位", "机构", "经办", "签名", "家属", "申请")):
                continue  # 经办人姓名, 家属姓名: not the deceased
            if name == "number" and any(x in compact for x in ("身份", "证件号", "邮政")):
                continue
            if name == "death_date" and "火化" in compact:
                continue
            v = _value(name, _after_label(compact, label))
            if v:
                return v, ln
            for nb in _right_of(lines, ln)[:2]:
                v = _value(name, nb.text)
                if v:
                    return v, nb
    return None
