"""File import: PDF, JPEG, PNG and TIFF (multi-page TIFF and PDF too), and BMP (what WIA and some
scanner tools save), as pages.

Raster files become Pillow images for the pipeline, one per frame. PDF pages are kept as PDF (one
single-page PDF each, split with pypdf): a PDF from a department is often vector text, and
rasterising it would make it bigger and worse. Every way a file can be bad (empty, truncated,
a PDF that is not one, password-protected, a decompression bomb) raises ImageRejected with a
sentence for the clerk, before anything is stored.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from houshi_desk.scanning.errors import ImageRejected
from houshi_desk.scanning.pipeline import STORE_DPI, ProcessedPage, _bomb, check_size, image_dpi
from houshi_desk.scanning.source import DeviceInfo, ScannedPage, ScanRequest

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 200
SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}


@dataclass
class PdfPage:
    """One page of an imported PDF, as a single-page PDF."""

    data: bytes
    width_pt: float
    height_pt: float

    def as_processed(self) -> ProcessedPage:
        return ProcessedPage(self.data, "application/pdf", round(self.width_pt), round(self.height_pt), None)


def read_path(path: Path) -> list[ScannedPage | PdfPage]:
    path = Path(path)
    label = f"文件“{path.name}”"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImageRejected(f"{label}有 {size // (1024 * 1024)} MB，太大了（上限 200 MB）。请分开扫描或降低分辨率。")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImageRejected(f"找不到{label}（{path}）。请检查路径。") from exc
    except IsADirectoryError as exc:
        raise ImageRejected(f"“{path}”是文件夹，不是文件。") from exc
    except OSError as exc:
        raise ImageRejected(f"{label}无法读取：{exc.strerror or exc}。") from exc
    return read_bytes(data, name=path.name)


def read_bytes(data: bytes, *, name: str = "") -> list[ScannedPage | PdfPage]:
    label = f"文件“{name}”" if name else "文件"
    if not data:
        raise ImageRejected(f"{label}是空文件（0 字节），没有任何内容。请重新扫描或重新拷贝文件。")
    if data[:1024].lstrip().startswith(b"%PDF") or data.startswith(b"%PDF"):
        return _pdf_pages(data, label)
    if name.lower().endswith(".pdf"):
        raise ImageRejected(f"{label}的扩展名是 .pdf，但内容不是 PDF（可能是改了扩展名或已损坏）。请向出具单位重新获取。")
    return _raster_pages(data, label)


def _raster_pages(data: bytes, label: str) -> list[ScannedPage]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            if im.format not in ("JPEG", "PNG", "TIFF", "MPO", "BMP"):
                raise ImageRejected(f"{label}是 {im.format} 格式，只支持 PDF、JPEG、PNG、TIFF、BMP。请另存为其中一种。")
            pages = []
            for n, frame in enumerate(ImageSequence.Iterator(im)):
                if n >= MAX_PAGES:
                    raise ImageRejected(f"{label}超过 {MAX_PAGES} 页，请分开导入。")
                check_size(frame, what=label)
                dpi = image_dpi(frame)
                if frame.format == "JPEG" and dpi >= 2 * STORE_DPI:
                    # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: a 600 dpi A3 colour page then costs
                    # a quarter of the memory and time, and is reduced to STORE_DPI anyway.
                    scale = 1
                    while scale < 8 and dpi / (scale * 2) >= STORE_DPI:
                        scale *= 2
                    full_width = frame.width
                    frame.draft(frame.mode, (frame.width // scale, frame.height // scale))
                    dpi = round(dpi * frame.width / full_width)  # draft may pick another scale
                frame.load()
                page = frame.copy()
                page.info = dict(frame.info)
                page.info["dpi"] = (dpi, dpi)
                pages.append(ScannedPage(page, dpi, "import", n))
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(label) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(f"{label}不是可识别的图片或 PDF（支持 PDF、JPEG、PNG、TIFF）。请检查文件。") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(f"{label}已损坏或不完整（可能拷贝中断）。请重新扫描或重新拷贝文件。",
                            detail=f"{type(exc).__name__}: {exc}") from exc
    if not pages:
        raise ImageRejected(f"{label}中没有图像。")
    return pages


def _pdf_pages(data: bytes, label: str) -> list[PdfPage]:
    import logging

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy files are noise here
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ImageRejected(f"{label}有密码保护，无法导入。请索取未加密的文件，或打印后扫描。")
        n = len(reader.pages)
        if n == 0:
            raise ImageRejected(f"{label}中没有页面。")
        if n > MAX_PAGES:
            raise ImageRejected(f"{label}有 {n} 页，超过 {MAX_PAGES} 页，请分开导入。")
        out = []
        for page in reader.pages:
            w = PdfWriter()
            w.add_page(page)
            buf = io.BytesIO()
            w.write(buf)
            box = page.mediabox
            out.append(PdfPage(buf.getvalue(), float(box.width), float(box.height)))
    except ImageRejected:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            OSError, AssertionError, IndexError, ZeroDivisionError) as exc:
        raise ImageRejected(f"{label}不是有效的 PDF 或已损坏。请向出具单位重新获取，或打印后扫描。",
                            detail=f"{type(exc).__name__}: {exc}") from exc
    return out


class FileSource:
    """ScanSource over files: ``scan()`` returns the pages of the files given to :meth:`choose`.

    PDF pages are not images; FileSource refuses them in ``scan()`` (use :func:`read_path` and
    attach them directly, which keeps them as PDF)."""

    name = "import"

    def __init__(self, paths: list[Path] | None = None):
        self.paths = [Path(p) for p in paths or []]

    def choose(self, paths: list[Path]) -> None:
        self.paths = [Path(p) for p in paths]

    def devices(self) -> list[DeviceInfo]:
        return [DeviceInfo("import", model="文件导入", kind="file")]

    def scan(self, request: ScanRequest, *, on_page=None) -> list[ScannedPage]:
        pages: list[ScannedPage] = []
        for path in self.paths:
            for p in read_path(path):
                if isinstance(p, PdfPage):
                    raise ImageRejected(f"“{path.name}”是 PDF，请用“导入文件”直接附加（PDF 页面保持原样）。")
                p.index = len(pages)
                pages.append(p)
                if on_page:
                    on_page(p)
        return pages

    def cancel(self) -> None:  # reading files is quick; nothing to stop
        pass

    def close(self) -> None:
        pass
