"""PDF inspection helpers for the document tests: poppler (pdftotext, pdffonts, pdftoppm), pypdf
and zbar. A missing tool skips the test with the Debian package to install."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from houshi_desk.documents import Office

OFFICE = Office("海拉尔区政务服务中心身后一件事专窗", "0470-8123456")


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} not installed (Debian package {package}); cannot inspect PDFs")
    return path


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


def wait_for_output(out_dir: Path, title: str, timeout: float = 20.0) -> Path:
    """cups-pdf names the file after the job title; it appears a moment after Qt hands the job over."""
    deadline = time.monotonic() + timeout
    stem = title[:20]
    while time.monotonic() < deadline:
        found = [p for p in out_dir.glob("*.pdf") if p.name.startswith(stem)]
        if found and all(p.stat().st_size > 0 for p in found):
            time.sleep(0.3)  # let cups-pdf finish writing
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no cups-pdf output starting with {stem!r} in {out_dir} after {timeout} s: "
                         f"{sorted(p.name for p in out_dir.glob('*'))[-5:]}")
