"""Fixtures for the document tests: sample cases of each region, the office, PDF inspection with
poppler (pdftotext, pdffonts, pdfinfo, pdftoppm) and zbar, and the cups-pdf printer."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from doc_samples import TODAY, planned_case  # noqa: F401  (re-exported for tests)

from houshi_desk.documents import Office

OFFICE = Office("海拉尔区政务服务中心身后一件事专窗", "0470-8123456")


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} not installed (Debian package {package}); cannot inspect PDFs")
    return path


@pytest.fixture
def office() -> Office:
    return OFFICE


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    _need("pdftotext", "poppler-utils")
    f = tmp_path / "t.pdf"
    f.write_bytes(pdf)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(f), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Text without whitespace (pdftotext breaks lines inside table cells)."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[dict]:
    _need("pdffonts", "poppler-utils")
    f = tmp_path / "f.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_pages(pdf: bytes, tmp_path: Path) -> tuple[int, list[tuple[float, float]]]:
    from pypdf import PdfReader
    import io

    r = PdfReader(io.BytesIO(pdf))
    return len(r.pages), [(float(p.mediabox.width), float(p.mediabox.height)) for p in r.pages]


def decode_barcodes(pdf_or_path, tmp_path: Path, dpi: int = 200) -> list[str]:
    _need("pdftoppm", "poppler-utils")
    _need("zbarimg", "zbar-tools")
    if isinstance(pdf_or_path, (bytes, bytearray)):
        src = tmp_path / "b.pdf"
        src.write_bytes(pdf_or_path)
    else:
        src = Path(pdf_or_path)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(prefix)], check=True)
    found = []
    for png in sorted(tmp_path.glob("page*.png")):
        p = subprocess.run(["zbarimg", "-q", "--nodbus", "--raw", "-Sdisable", "-Scode128.enable", str(png)],
                           capture_output=True, text=True)
        found += [line for line in p.stdout.splitlines() if line.strip()]
        png.unlink()
    return found


@pytest.fixture
def cups_printer() -> tuple[str, Path]:
    """(queue name, cups-pdf output dir) from the test-services contract."""
    printer = os.environ.get("HOUSHI_TEST_PRINTER")
    out = os.environ.get("HOUSHI_TEST_PRINT_OUT")
    if not printer or not out:
        pytest.skip("cupsd with cups-pdf not available: HOUSHI_TEST_PRINTER / HOUSHI_TEST_PRINT_OUT not set "
                    "(start packaging/services.sh)")
    return printer, Path(out)
