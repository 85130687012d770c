"""``scan --collect`` (FileStore.collect) must never delete a file an unsent outbox item still points
at: a material's pages are frozen into one PDF at submit, stored under its own hash that no page row
names; on a single-window PC collect deleted it once it was an hour old, and the upload then failed."""
from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select


def _page_png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(im)
    for y in range(200, 2000, 70):
        d.rectangle((150 + seed * 7, y, 1400, y + 18), fill=0)
    buf = io.BytesIO()
    im.save(buf, "PNG", dpi=(200, 200))
    return buf.getvalue()


def test_collect_keeps_frozen_pdfs_waiting_to_be_sent(store, settings, tmp_path):
    from houshi_desk.scanning.attach import attach_pages, referenced_files
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict, submit_case
    from houshi_desk.store.models import MaterialFileRow
    from houshi_desk.store.models_sync import SyncOutboxRow

    files = FileStore.for_settings(settings)  # the PC's own file store (hall mode: tests/hall)
    number = create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date(2026, 1, 23),
                         clerk="测试员")
    with store.session(write=True) as s:
        attach_pages(s, files, number, "death_cert_medical", [_page_png(1), _page_png(2)], "import", actor="测试员")
    submit_case(store, number, clerk="测试员")  # freezes the material's pages into one PDF in the file store
    with store.session() as s:
        pages = set(s.execute(select(MaterialFileRow.sha256)).scalars())
        frozen = {sha for sha in s.execute(select(SyncOutboxRow.file_sha256).where(
            SyncOutboxRow.case_number == number, SyncOutboxRow.kind == "upload")).scalars() if sha}
        referenced = referenced_files(s)
    assert frozen and not frozen & pages, "the upload is a PDF of its own, named by no page row"
    assert all(files.exists(sha) for sha in frozen)
    assert frozen <= referenced
    removed = files.collect(referenced, min_age_seconds=0)
    assert not set(removed) & (frozen | pages)
    assert all(files.exists(sha) for sha in frozen | pages)
