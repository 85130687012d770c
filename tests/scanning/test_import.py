"""File import: each format (JPEG, PNG, TIFF incl. multi-page, PDF incl. multi-page) and every bad
file the clerk may meet, each with a clear message and nothing attached."""
from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

from houshi_desk.scanning.attach import attach_pages, find_material
from houshi_desk.scanning.errors import ImageRejected
from houshi_desk.scanning.export import material_pdf
from houshi_desk.scanning.fileimport import FileSource, PdfPage, read_bytes, read_path
from houshi_desk.scanning.source import ScanRequest, ScanSource

from .pages import bomb_png, encoded, multipage_pdf, multipage_tiff, small_page


@pytest.mark.parametrize("fmt,kw,n", [
    ("JPEG", {"quality": 85}, 1),
    ("PNG", {}, 1),
    ("TIFF", {"compression": "tiff_lzw"}, 1),
    ("BMP", {}, 1),
])
def test_single_page_formats(fmt, kw, n, tmp_path):
    path = tmp_path / f"p.{fmt.lower()}"
    path.write_bytes(encoded(small_page(0), fmt, dpi=(100, 100), **kw))
    pages = read_path(path)
    assert len(pages) == n and pages[0].dpi == 100 and pages[0].image.size == small_page(0).size


def test_multipage_tiff_and_pdf():
    tif = read_bytes(multipage_tiff(3), name="a.tif")
    assert len(tif) == 3 and [p.index for p in tif] == [0, 1, 2]
    pdf = read_bytes(multipage_pdf(4), name="a.pdf")
    assert len(pdf) == 4 and all(isinstance(p, PdfPage) for p in pdf)
    assert len(pypdf.PdfReader(io.BytesIO(pdf[2].data)).pages) == 1


def test_every_import_format_attaches_and_exports(sqlite_store, filestore, sqlite_case):
    inputs = [encoded(small_page(0), "JPEG"), encoded(small_page(1), "PNG"), multipage_tiff(2), multipage_pdf(3)]
    with sqlite_store.session() as s:
        rows = attach_pages(s, filestore, sqlite_case, "relationship_proof", inputs, "import")
        assert [r.mime for r in rows][-3:] == ["application/pdf"] * 3 and len(rows) == 7
    with sqlite_store.session() as s:
        pdf = material_pdf(s, filestore, find_material(s, sqlite_case, "relationship_proof"))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 7


def test_file_source_is_a_scan_source(tmp_path):
    p = tmp_path / "a.png"
    p.write_bytes(encoded(small_page(0), "PNG"))
    src = FileSource([p])
    assert isinstance(src, ScanSource)
    assert len(src.scan(ScanRequest())) == 1


BAD = {
    "zero-byte": (b"", "空文件"),
    "truncated jpeg": (None, "损坏或不完整"),
    "pdf that is not a pdf": (b"%PDF-1.4\n garbage garbage \n%%EOF", "不是有效的 PDF"),
    "pdf by name only": (b"PK\x03\x04 this is a zip", "不是 PDF"),
    "decompression bomb": (None, "尺寸异常巨大"),
    "gif": (None, "只支持"),
    "random bytes": (b"\x00\x01\x02 definitely not an image" * 10, "不是可识别"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_get_a_clear_message_and_attach_nothing(case, sqlite_store, filestore, sqlite_case):
    data, words = BAD[case]
    if case == "truncated jpeg":
        data = encoded(small_page(0), "JPEG")[:4000]
    elif case == "decompression bomb":
        data = bomb_png()
    elif case == "gif":
        data = encoded(small_page(0).convert("P"), "GIF")
    name = "x.pdf" if "pdf" in case else "x.jpg"
    with pytest.raises(ImageRejected) as e:
        read_bytes(data, name=name)
    assert words in e.value.message
    with sqlite_store.session() as s:
        attach_pages(s, filestore, sqlite_case, "bank_card", [small_page(0)], "import")
    with pytest.raises(ImageRejected):
        with sqlite_store.session() as s:
            attach_pages(s, filestore, sqlite_case, "bank_card", [data], "import")
    with sqlite_store.session() as s:
        m = find_material(s, sqlite_case, "bank_card")
        assert len(m.files) == 1 and m.state == "scanned"


def test_encrypted_pdf_is_refused(tmp_path):
    w = pypdf.PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt("secret")
    out = io.BytesIO()
    w.write(out)
    with pytest.raises(ImageRejected) as e:
        read_bytes(out.getvalue(), name="locked.pdf")
    assert "密码" in e.value.message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ImageRejected) as e:
        read_path(tmp_path / "nope.jpg")
    assert "找不到" in e.value.message
    with pytest.raises(ImageRejected):
        read_path(tmp_path)


def test_600_dpi_colour_a3_is_accepted_and_reduced(sqlite_store, filestore, sqlite_case):
    """A3 at 600 dpi colour (7016 × 9921, ~70 Mpx) is below the bomb limit: it is stored at 200 dpi."""
    big = Image.new("RGB", (7016, 9921), (250, 250, 245))
    big.paste(small_page(0).convert("RGB").resize((6000, 8500)), (500, 700))
    data = encoded(big, "JPEG", quality=80, dpi=(600, 600))
    del big
    with sqlite_store.session() as s:
        (row,) = attach_pages(s, filestore, sqlite_case, "household_register", [data], "import")
        assert row.dpi == 200 and abs(row.width - 2339) <= 2 and row.size < 1_000_000
