"""Attach scanned pages to a case's material, all-or-nothing, and the page operations after it.

Order of work in :func:`attach_pages`: every page is decoded and processed first (bad input fails
here, before anything is written), then every file is written to the encrypted store, then the rows
are added to the caller's session and flushed. A failure at any step leaves the material as it was
once the caller's transaction rolls back (``store.session()`` does); files already written are
unreferenced orphans, harmless, removed by ``FileStore.collect``. No SAVEPOINTs: with the pysqlite
driver (SQLCipher) a released outermost SAVEPOINT commits on its own, which would break the
all-or-nothing promise. Pages already attached are never rewritten by a new attach.
"""
from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Iterable, Union

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk.scanning.errors import ImageRejected, MaterialError
from houshi_desk.scanning.filestore import FileStore
from houshi_desk.scanning.fileimport import PdfPage, read_bytes
from houshi_desk.scanning.pipeline import PipelineOptions, ProcessedPage, image_dpi, process, rotate_encoded
from houshi_desk.scanning.source import ScannedPage
from houshi_desk.store.models import CaseMaterialRow, CaseRow, MaterialFileRow

log = logging.getLogger(__name__)

PageInput = Union[Image.Image, bytes, ScannedPage, ProcessedPage, PdfPage]


def material_name(code: str, region: str | None = None) -> str:
    """The Chinese name of a material code from the region's catalog (the code if unknown)."""
    try:
        from houshi_desk.domain.catalog import load_catalog

        cat = load_catalog(region or "nm")
        mats = cat.materials
        m = mats.get(code) if isinstance(mats, dict) else next((x for x in mats if x.code == code), None)
        return m.name if m else code
    except Exception:  # the catalog is a nicety for the message, never a reason to fail
        return code


def find_case(session: Session, case: CaseRow | str) -> CaseRow:
    if isinstance(case, CaseRow):
        return case
    number = str(case).strip().upper()
    row = session.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one_or_none()
    if row is None:
        raise MaterialError(f"找不到受理编号为 {case} 的案件，页面没有保存。", hint="请核对受理编号")
    return row


def find_material(session: Session, case: CaseRow | str, code: str) -> CaseMaterialRow:
    row = find_case(session, case)
    material = next((m for m in row.materials if m.code == code), None)
    if material is None:
        listed = "、".join(f"{material_name(m.code, row.region)}（{m.code}）" for m in row.materials) or "（无）"
        raise MaterialError(
            f"案件 {row.number} 的材料清单里没有“{material_name(code, row.region)}”（{code}），页面没有保存。"
            f"本案需要的材料：{listed}。",
            hint="请选择清单中的材料；如确需此材料，先在案件中调整事项",
        )
    return material


def prepare(pages: Iterable[PageInput], options: PipelineOptions | None = None) -> list[ProcessedPage]:
    """Decode and process every input page; nothing is stored. Raises on the first bad one."""
    out: list[ProcessedPage] = []
    for n, page in enumerate(pages, 1):
        try:
            if isinstance(page, ProcessedPage):
                out.append(page)
            elif isinstance(page, PdfPage):
                out.append(page.as_processed())
            elif isinstance(page, ScannedPage):
                out.append(process(page.image, page.dpi, options))
            elif isinstance(page, Image.Image):
                out.append(process(page, image_dpi(page), options))
            elif isinstance(page, (bytes, bytearray)):
                out.extend(prepare(read_bytes(bytes(page), name=f"第 {n} 页"), options))
            else:
                raise TypeError(f"cannot attach a {type(page).__name__}")
        except ImageRejected as exc:
            if len(out) or n > 1:
                exc.message = f"第 {n} 页：{exc.message}"
            raise
    if not out:
        raise ImageRejected("没有页面可保存。")
    return out


def attach_pages(
    session: Session,
    filestore: FileStore,
    case_row_or_number: CaseRow | str,
    material_code: str,
    pages: list[PageInput],
    source: str,
    *,
    options: PipelineOptions | None = None,
    actor: str = "",
) -> list[MaterialFileRow]:
    """Add ``pages`` after the material's existing pages and mark it scanned; all or nothing."""
    material = find_material(session, case_row_or_number, material_code)
    processed = prepare(pages, options)
    shas = [filestore.put(p.data) for p in processed]  # may raise StorageError: nothing attached yet
    now = datetime.now()
    rows: list[MaterialFileRow] = []
    start = max((f.page_no for f in material.files), default=0)
    for i, (p, sha) in enumerate(zip(processed, shas), 1):
        row = MaterialFileRow(
            page_no=start + i, sha256=sha, mime=p.mime, size=p.size, width=p.width, height=p.height,
            dpi=p.dpi, source=source[:32], created_at=now,
        )
        material.files.append(row)
        rows.append(row)
    material.state = "scanned"
    material.updated_at = now
    session.flush()
    _audit(session, actor, material, f"扫描材料 {material.code}：新增 {len(rows)} 页（{source[:32]}）")
    log.info("attached %d page(s) to %s/%s", len(rows), material.case_id, material.code)
    return rows


def _audit(session: Session, actor: str, material: CaseMaterialRow, detail: str) -> None:
    from houshi_desk.audit import record

    case = material.case
    record(session, actor=actor or "system", action="change", case_number=case.number if case else None,
           detail=detail)


def _renumber(material: CaseMaterialRow) -> None:
    for i, f in enumerate(sorted(material.files, key=lambda f: f.page_no), 1):
        f.page_no = i


def _material_of(session: Session, file_row: MaterialFileRow) -> CaseMaterialRow:
    material = file_row.material
    if material is None:
        raise MaterialError("这一页已不属于任何材料（可能已被删除），请刷新后重试。")
    return material


def reorder_pages(session: Session, material: CaseMaterialRow, order: list[int], *, actor: str = "") -> None:
    """Put the pages in the order of ``order`` (MaterialFileRow ids, each exactly once)."""
    by_id = {f.id: f for f in material.files}
    if sorted(order) != sorted(by_id):
        raise MaterialError("页面顺序不完整或含有其他材料的页面，未作改动。请刷新后重试。")
    for i, fid in enumerate(order, 1):
        by_id[fid].page_no = i
    material.updated_at = datetime.now()
    session.flush()
    _audit(session, actor, material, f"材料 {material.code}：调整页序")
    session.expire(material, ["files"])


def rotate_page(session: Session, filestore: FileStore, file_row: MaterialFileRow, degrees: int,
                *, actor: str = "") -> MaterialFileRow:
    """Turn one page clockwise by 90/180/270; stored as a new file (the old one becomes an orphan)."""
    data = filestore.get(file_row.sha256)
    if file_row.mime == "application/pdf":
        from pypdf import PdfReader, PdfWriter

        reader = PdfReader(io.BytesIO(data))
        w = PdfWriter()
        page = w.add_page(reader.pages[0])
        page.rotate(degrees % 360)
        buf = io.BytesIO()
        w.write(buf)
        new, width, height = buf.getvalue(), (file_row.height if degrees % 180 else file_row.width), \
            (file_row.width if degrees % 180 else file_row.height)
    else:
        new, width, height = rotate_encoded(data, file_row.mime, degrees)
    sha = filestore.put(new)
    file_row.sha256, file_row.size, file_row.width, file_row.height = sha, len(new), width, height
    material = _material_of(session, file_row)
    material.updated_at = datetime.now()
    session.flush()
    _audit(session, actor, material, f"材料 {material.code}：第 {file_row.page_no} 页旋转 {degrees % 360}°")
    return file_row


def delete_page(session: Session, file_row: MaterialFileRow, *, actor: str = "") -> None:
    """Remove one page; the rest close up. A material left with no pages goes back to "missing"."""
    material = _material_of(session, file_row)
    material.files.remove(file_row)
    session.flush()
    _renumber(material)
    if not material.files and material.state == "scanned":
        material.state = "missing"
    material.updated_at = datetime.now()
    session.flush()
    _audit(session, actor, material, f"材料 {material.code}：删除一页，剩 {len(material.files)} 页")


def replace_page(
    session: Session, filestore: FileStore, file_row: MaterialFileRow, page: PageInput, source: str,
    *, options: PipelineOptions | None = None, actor: str = "",
) -> MaterialFileRow:
    """Rescan: the new page takes the old one's place; the old page stays if anything fails."""
    processed = prepare([page], options)
    if len(processed) != 1:
        raise MaterialError(f"重扫替换只能用一页，收到 {len(processed)} 页，未作改动。多页请删除后重新扫描。")
    p = processed[0]
    sha = filestore.put(p.data)
    file_row.sha256, file_row.mime, file_row.size = sha, p.mime, p.size
    file_row.width, file_row.height, file_row.dpi = p.width, p.height, p.dpi
    file_row.source, file_row.created_at = source[:32], datetime.now()
    material = _material_of(session, file_row)
    material.updated_at = datetime.now()
    session.flush()
    _audit(session, actor, material, f"材料 {material.code}：第 {file_row.page_no} 页重新扫描替换")
    return file_row


def referenced_files(session: Session) -> set[str]:
    """Every stored page a row points at, every kept printed copy, and every file an unsent outbox item
    still points at (a material's frozen PDF, made at submit, waiting to be sent) — for ``FileStore.collect``."""
    from houshi_desk.store.models import PrintLogRow
    from houshi_desk.store.models_sync import SyncOutboxRow

    kept = select(PrintLogRow.pdf_sha256).where(PrintLogRow.pdf_path.like("filestore:%"))
    queued = select(SyncOutboxRow.file_sha256).where(
        SyncOutboxRow.file_sha256.is_not(None), SyncOutboxRow.state.not_in(("acked", "cancelled")))
    return (set(session.execute(select(MaterialFileRow.sha256)).scalars()) | set(session.execute(kept).scalars())
            | set(session.execute(queued).scalars()))
