"""Archival copies: a material's PDF built from scanned images is PDF/A-2b; an imported PDF is sent
as it is (same bytes, same hash) and marked as not PDF/A.

Checked with the strongest validator that installs here: ``pikepdf.pdfa.validate_written`` (an
allow-list checker of ISO 19005-2 level B on the bytes as written — anything it does not know to
conform is a finding; veraPDF is not a Debian package). On top of it, our own structural checks of
the rules the export is built to meet:

- 6.1.2  header ``%PDF-1.7`` followed by a comment of four bytes above 127;
- 6.1.3  trailer ``/ID`` present, no ``/Encrypt``;
- 6.2.2/6.2.4.3  an OutputIntent ``/GTS_PDFA1`` whose ``/DestOutputProfile`` is an embedded ICC
  stream with ``/N 3`` (the pages use DeviceRGB/DeviceGray/Indexed), and the profile is a valid
  version 2 RGB display profile (opened and used by LittleCMS through Pillow);
- 6.6.2.1/6.6.4  catalog ``/Metadata`` XMP stream (``/Type /Metadata /Subtype /XML``) with
  ``pdfaid:part`` 2 and ``pdfaid:conformance`` B, its producer, title and dates equal to the
  document information dictionary's;
- no fonts (image pages only), images embedded as stored (not re-encoded), same pages → same bytes.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime

import pypdf
import pytest
from PIL import Image, ImageCms

from houshi_desk.scanning.attach import attach_pages, find_material
from houshi_desk.scanning.export import material_export, material_pdf
from houshi_desk.scanning.fileimport import read_bytes
from houshi_desk.scanning.pipeline import PipelineOptions
from houshi_desk.scanning.synthetic import a4_page

from .pages import multipage_pdf


def validate(pdf: bytes):
    pdfa = pytest.importorskip("pikepdf.pdfa", reason="pikepdf[pdfa] is not installed (it is in the test extras)")
    return pdfa.validate_written(io.BytesIO(pdf), "2b")


def test_a_scanned_material_exports_as_pdfa_2b(sqlite_store, filestore, sqlite_case):
    with sqlite_store.session() as s:
        attach_pages(s, filestore, sqlite_case, "death_cert_medical", [a4_page(200, seed=1)], "sane:test:0")
        attach_pages(s, filestore, sqlite_case, "death_cert_medical", [a4_page(200, seed=2, mode="RGB")],
                     "camera", options=PipelineOptions(mode="color"))
    with sqlite_store.session() as s:
        m = find_material(s, sqlite_case, "death_cert_medical")
        export = material_export(s, filestore, m)
        stored = [filestore.get(f.sha256) for f in m.files]
        again = material_pdf(s, filestore, m)
    pdf = export.data
    assert export.pdfa and export.note == ""
    report = validate(pdf)
    assert report.passed and report.findings == [], report.findings

    assert re.match(rb"%PDF-1\.7\r?\n%[\x80-\xff]{4}", pdf)  # 6.1.2
    r = pypdf.PdfReader(io.BytesIO(pdf))
    assert "/ID" in r.trailer and len(r.trailer["/ID"]) == 2 and not r.is_encrypted  # 6.1.3
    root = r.trailer["/Root"]
    (intent,) = [o.get_object() for o in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    icc = intent["/DestOutputProfile"].get_object()
    assert icc["/N"] == 3
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc.get_data()))
    assert profile.profile.version < 4.3 and profile.profile.xcolor_space.strip() == "RGB"
    ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")  # LittleCMS can use it
    meta = root["/Metadata"].get_object()
    assert meta["/Type"] == "/Metadata" and meta["/Subtype"] == "/XML"
    xmp = meta.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    info = r.metadata
    assert f"<pdf:Producer>{info['/Producer']}</pdf:Producer>" in xmp
    assert f">{info['/Title']}</rdf:li>" in xmp
    created = datetime.strptime(info["/CreationDate"][2:16], "%Y%m%d%H%M%S")
    assert f"<xmp:CreateDate>{created:%Y-%m-%dT%H:%M:%S}</xmp:CreateDate>" in xmp
    assert len(r.pages) == 2
    for page, data in zip(r.pages, stored):
        assert "/Font" not in page["/Resources"]
        (img,) = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        im = Image.open(io.BytesIO(data))
        assert (img["/Width"], img["/Height"]) == im.size  # embedded at its stored size
        if data[:3] == b"\xff\xd8\xff":
            assert img._data == data  # the stored JPEG itself, not re-encoded
    assert again == pdf, "the same pages give the same bytes (the frozen upload hash never changes)"


def test_an_imported_pdf_is_sent_as_it_is_and_marked_not_pdfa(sqlite_store, filestore, sqlite_case):
    """The importer keeps a department's PDF as PDF pages (hash frozen at import); the export sends
    that stored file byte for byte. Two imported pages are merged, also not PDF/A."""
    with sqlite_store.session() as s:
        attach_pages(s, filestore, sqlite_case, "relationship_proof", read_bytes(multipage_pdf(1), name="a.pdf"),
                     "import")
        attach_pages(s, filestore, sqlite_case, "household_register", read_bytes(multipage_pdf(2), name="b.pdf"),
                     "import")
    with sqlite_store.session() as s:
        m = find_material(s, sqlite_case, "relationship_proof")
        export = material_export(s, filestore, m)
        (f,) = m.files
        merged = material_export(s, filestore, find_material(s, sqlite_case, "household_register"))
    assert hashlib.sha256(export.data).hexdigest() == f.sha256
    assert "Certificate page 1" in pypdf.PdfReader(io.BytesIO(export.data)).pages[0].extract_text()
    assert not export.pdfa and "原样" in export.note and "不是 PDF/A" in export.note
    assert not validate(export.data).passed  # a plain reportlab PDF is indeed no PDF/A
    assert not merged.pdfa and "不是 PDF/A" in merged.note and len(pypdf.PdfReader(io.BytesIO(merged.data)).pages) == 2


def test_the_pdfa_validator_is_not_a_rubber_stamp():
    """The plain image PDF under the export fails it: no /ID, no XMP metadata."""
    from houshi_desk.scanning.attach import prepare
    from houshi_desk.scanning.pdfimages import images_pdf

    raw = images_pdf([(p.data, p.dpi) for p in prepare([a4_page(150, seed=3)])])
    report = validate(raw)
    assert not report.passed
    rules = {f.rule for f in report.findings}
    assert "ISO_19005_2:6.1.3-1" in rules and "ISO_19005_2:6.6.2.1-1" in rules
