"""One PDF per material, pages in order, for the platform upload and for printing.

Image pages are embedded as stored (no re-encoding, see :mod:`.pdfimages`); pages imported as PDF
are copied in with pypdf. Each page is decrypted and hash-checked on the way out.
"""
from __future__ import annotations

import io

from sqlalchemy.orm import Session

from houshi_desk.scanning.errors import MaterialError
from houshi_desk.scanning.filestore import FileStore
from houshi_desk.scanning.pdfimages import images_pdf
from houshi_desk.store.models import CaseMaterialRow


def material_pdf(session: Session, filestore: FileStore, material_row: CaseMaterialRow) -> bytes:
    files = sorted(material_row.files, key=lambda f: f.page_no)
    if not files:
        raise MaterialError(f"材料“{material_row.code}”还没有扫描页面，无法生成 PDF。请先扫描或导入。")
    if all(f.mime != "application/pdf" for f in files):
        return images_pdf([(filestore.get(f.sha256), f.dpi) for f in files])
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
