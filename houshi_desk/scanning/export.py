"""One PDF per material, pages in order, for the platform upload and for printing.

Image pages are embedded as stored (no re-encoding, see :mod:`.pdfimages`) and the file is made an
archival PDF/A-2b (ISO 19005-2, level B): an sRGB output intent with the ICC profile embedded (the
pages are DeviceGray/DeviceRGB/Indexed images), XMP metadata with ``pdfaid:part`` 2 and
``pdfaid:conformance`` B matching the document information dictionary, a file identifier, a
PDF 1.7 header with the binary comment, nothing encrypted, no fonts (image pages only). The same
pages always give the same bytes (dates from the pages, identifier from the content), so the hash
frozen for the upload never changes.

A material that is one imported PDF (an electronic certificate from a department) is returned as
it is — its hash is frozen as imported — and marked as not PDF/A; a material mixing imported PDF
pages and scans is merged with pypdf and is not PDF/A either (:class:`MaterialExport`). Each page is
decrypted and hash-checked on the way out.
"""
from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from houshi_desk.scanning.errors import MaterialError
from houshi_desk.scanning.filestore import FileStore
from houshi_desk.scanning.pdfimages import images_pdf
from houshi_desk.store.models import CaseMaterialRow

PRODUCER = "houshi-desk"
SRGB_ID = "sRGB IEC61966-2.1"


@dataclass
class MaterialExport:
    data: bytes
    pdfa: bool  # PDF/A-2b built from images; False: an imported PDF as it is, or a merge with one
    note: str = ""  # for the clerk, when not PDF/A


def material_export(session: Session, filestore: FileStore, material_row: CaseMaterialRow) -> MaterialExport:
    files = sorted(material_row.files, key=lambda f: f.page_no)
    if not files:
        raise MaterialError(f"材料“{material_row.code}”还没有扫描页面，无法生成 PDF。请先扫描或导入。")
    if all(f.mime != "application/pdf" for f in files):
        created = max((f.created_at for f in files if f.created_at), default=datetime(2026, 1, 1))
        return MaterialExport(pdfa(images_pdf([(filestore.get(f.sha256), f.dpi) for f in files]),
                                   title=material_row.code, created=created), True)
    if len(files) == 1:
        return MaterialExport(filestore.get(files[0].sha256), False,
                              "导入的 PDF 原样提交（保持导入时的内容和哈希），不是 PDF/A 归档格式。")
    return MaterialExport(_merged(filestore, files), False,
                          "材料中含有导入的 PDF，合并后的文件不是 PDF/A 归档格式。")


def material_pdf(session: Session, filestore: FileStore, material_row: CaseMaterialRow) -> bytes:
    return material_export(session, filestore, material_row).data


def _merged(filestore: FileStore, files) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    run: list[tuple[bytes, int | None]] = []

    def flush_images() -> None:
        if run:
            for page in PdfReader(io.BytesIO(images_pdf(run))).pages:
                writer.add_page(page)
            run.clear()

    for f in files:
        data = filestore.get(f.sha256)
        if f.mime == "application/pdf":
            flush_images()
            for page in PdfReader(io.BytesIO(data)).pages:
                writer.add_page(page)
        else:
            run.append((data, f.dpi))
    flush_images()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------ PDF/A-2b

def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


@lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """A version 2.1 sRGB display profile (matrix/TRC, D50 PCS, the sRGB tone curve as a 1024-entry
    table), written here so no profile file has to ship: PDF/A-2 wants ICC.1:2004-10 or earlier, and
    Pillow's built-in sRGB is a version 4.4 profile."""
    def srgb(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1024) + b"".join(
        struct.pack(">H", round(srgb(i / 1023) * 65535)) for i in range(1024))
    text = b"sRGB IEC61966-2.1 (houshi-desk)"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(text) + 1) + text + b"\0"
            + b"\0" * 8 + b"\0" * 3 + b"\0" * 67)
    cprt = b"text" + b"\0" * 4 + b"No copyright, use freely\0"
    tags = [
        (b"desc", desc), (b"cprt", cprt), (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.4361, 0.2225, 0.0139)), (b"gXYZ", _xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _xyz(0.1431, 0.0606, 0.7141)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
    ]
    table_len = 4 + 12 * len(tags)
    offset = 128 + table_len
    entries, blobs, placed = [], [], {}
    for sig, data in tags:
        if data in placed:  # the three curves share one copy
            entries.append(struct.pack(">4sII", sig, placed[data], len(data)))
            continue
        placed[data] = offset
        entries.append(struct.pack(">4sII", sig, offset, len(data)))
        pad = (-len(data)) % 4
        blobs.append(data + b"\0" * pad)
        offset += len(data) + pad
    body = struct.pack(">I", len(tags)) + b"".join(entries) + b"".join(blobs)
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8
              + b"\0" * 8 + struct.pack(">I", 0) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4
              + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + body


def _pdf_date(t: datetime) -> str:
    return t.strftime("D:%Y%m%d%H%M%S")


def _xmp(title: str, created: datetime) -> bytes:
    iso = created.strftime("%Y-%m-%dT%H:%M:%S")
    esc = title.replace("&", "&amp;").replace("<", "&lt;")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode("utf-8")


def pdfa(pdf: bytes, *, title: str, created: datetime) -> bytes:
    """The image-page PDF of :func:`images_pdf` as PDF/A-2b (same pages, same image streams)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, NameObject,
                               NumberObject, TextStringObject)

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    icc = DecodedStreamObject()
    icc.set_data(srgb_icc())
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB_ID),
        NameObject("/Info"): TextStringObject(SRGB_ID),
        NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
        NameObject("/DestOutputProfile"): w._add_object(icc),
    })
    root = w._root_object
    root[NameObject("/OutputIntents")] = ArrayObject([w._add_object(intent)])
    meta = DecodedStreamObject()
    meta.set_data(_xmp(title, created))
    meta[NameObject("/Type")] = NameObject("/Metadata")
    meta[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = w._add_object(meta)
    w.add_metadata({"/Title": title, "/Producer": PRODUCER, "/Creator": PRODUCER,
                    "/CreationDate": _pdf_date(created), "/ModDate": _pdf_date(created)})
    ident = ByteStringObject(hashlib.md5(pdf).digest())  # noqa: S324 - a file identifier, not security
    w._ID = ArrayObject([ident, ident])
    w.pdf_header = b"%PDF-1.7"
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
