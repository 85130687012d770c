"""Attaching pages to a case's material on a real store (SQLCipher and PostgreSQL): all-or-nothing,
state "scanned", page operations, and the exported PDF."""
from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

from houshi_desk.scanning.attach import (attach_pages, delete_page, find_material, referenced_files,
                                         reorder_pages, replace_page, rotate_page)
from houshi_desk.scanning.errors import ImageRejected, MaterialError, StorageError
from houshi_desk.scanning.export import material_pdf
from houshi_desk.scanning.filestore import FileStore

from .pages import encoded, multipage_pdf, multipage_tiff, small_page


def _files(store, number, code):
    with store.session() as s:
        m = find_material(s, number, code)
        return m.state, [(f.page_no, f.sha256, f.mime) for f in m.files]


def test_attach_marks_scanned_and_pages_are_encrypted(store, filestore, case_number):
    with store.session() as s:
        rows = attach_pages(s, filestore, case_number, "death_cert_medical", [small_page(0), small_page(1)], "test")
        assert [r.page_no for r in rows] == [1, 2]
    state, files = _files(store, case_number, "death_cert_medical")
    assert state == "scanned" and len(files) == 2
    from houshi_desk.audit import entries

    with store.session() as s:
        trail = [e.detail for e in entries(s, case_number=case_number)]
    assert any("death_cert_medical" in d and "2 页" in d for d in trail)
    for _, sha, mime in files:
        assert mime in ("image/png", "image/jpeg")
        raw = filestore.path(sha).read_bytes()
        assert not raw.startswith(b"\x89PNG") and not raw.startswith(b"\xff\xd8")
        Image.open(io.BytesIO(filestore.get(sha))).verify()


def test_more_pages_go_after_the_existing_ones(store, filestore, case_number):
    with store.session() as s:
        attach_pages(s, filestore, case_number, "bank_card", [small_page(0)], "test")
    with store.session() as s:
        attach_pages(s, filestore, case_number, "bank_card", [small_page(1), small_page(2)], "test")
    _, files = _files(store, case_number, "bank_card")
    assert [p for p, _, _ in files] == [1, 2, 3]


def test_unknown_material_is_refused_with_the_list(store, filestore, case_number):
    with store.session() as s, pytest.raises(MaterialError) as e:
        attach_pages(s, filestore, case_number, "driving_licence", [small_page(0)], "test")
    assert "没有" in e.value.message and "户口本" in e.value.message and "household_register" in e.value.message


def test_unknown_case_is_refused(store, filestore, case_number):
    with store.session() as s, pytest.raises(MaterialError) as e:
        attach_pages(s, filestore, "150702-W01-20260123-9999", "bank_card", [small_page(0)], "test")
    assert "找不到" in e.value.message


@pytest.mark.parametrize("bad", [
    b"",
    encoded(small_page(0), "JPEG")[:3000],
    b"%PDF-1.7 this is not really a pdf",
])
def test_one_bad_page_attaches_nothing_and_keeps_what_was_there(store, filestore, case_number, bad):
    with store.session() as s:
        attach_pages(s, filestore, case_number, "household_register", [small_page(0)], "test")
    before = _files(store, case_number, "household_register")
    with pytest.raises(ImageRejected) as e:
        with store.session() as s:
            attach_pages(s, filestore, case_number, "household_register", [small_page(1), bad, small_page(2)], "test")
    assert "第 2 页" in e.value.message
    assert _files(store, case_number, "household_register") == before


def test_full_disk_mid_attach_keeps_material_unchanged(store, filestore, case_number, monkeypatch):
    with store.session() as s:
        attach_pages(s, filestore, case_number, "relationship_proof", [small_page(0)], "test")
    before = _files(store, case_number, "relationship_proof")
    calls = {"n": 0}
    real_put = FileStore.put

    def put_then_full(self, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise StorageError("磁盘空间已满，扫描页面没有保存，案件中已有的材料未受影响。")
        return real_put(self, data)

    monkeypatch.setattr(FileStore, "put", put_then_full)
    with pytest.raises(StorageError):
        with store.session() as s:
            attach_pages(s, filestore, case_number, "relationship_proof", [small_page(1), small_page(2)], "test")
    monkeypatch.setattr(FileStore, "put", real_put)
    assert _files(store, case_number, "relationship_proof") == before
    with store.session() as s:  # the first new page's file is an orphan, and collectable
        removed = filestore.collect(referenced_files(s), min_age_seconds=0)
    assert len(removed) == 1
    for _, sha, _ in before[1]:
        assert filestore.exists(sha)


def test_database_failure_after_files_written_attaches_nothing(store, filestore, case_number):
    with pytest.raises(Exception):
        with store.session() as s:
            attach_pages(s, filestore, case_number, "cremation_cert", [small_page(0)], "test")
            raise RuntimeError("power cut before commit")
    assert _files(store, case_number, "cremation_cert") == ("missing", [])


def test_reorder_rotate_delete_replace(store, filestore, case_number):
    with store.session() as s:
        rows = attach_pages(s, filestore, case_number, "household_register",
                            [small_page(0), small_page(1), small_page(2)], "test")
        ids = [r.id for r in rows]
    with store.session() as s:
        m = find_material(s, case_number, "household_register")
        reorder_pages(s, m, [ids[2], ids[0], ids[1]])
    with store.session() as s:
        m = find_material(s, case_number, "household_register")
        assert [f.id for f in m.files] == [ids[2], ids[0], ids[1]]
        first = m.files[0]
        w, h = first.width, first.height
        rotate_page(s, filestore, first, 90)
        assert (first.width, first.height) == (h, w)
        im = Image.open(io.BytesIO(filestore.get(first.sha256)))
        assert im.size == (h, w)
        with pytest.raises(MaterialError):
            reorder_pages(s, m, [ids[0]])
    with store.session() as s:
        m = find_material(s, case_number, "household_register")
        old_sha = m.files[1].sha256
        replace_page(s, filestore, m.files[1], small_page(7), "rescan")
        assert m.files[1].sha256 != old_sha and m.files[1].page_no == 2
        delete_page(s, m.files[0])
    with store.session() as s:
        m = find_material(s, case_number, "household_register")
        assert [f.page_no for f in m.files] == [1, 2] and m.state == "scanned"
        for f in list(m.files):
            delete_page(s, f)
    assert _files(store, case_number, "household_register") == ("missing", [])


def test_exported_pdf_opens_with_the_right_page_count(store, filestore, case_number, tmp_path):
    with store.session() as s:
        attach_pages(s, filestore, case_number, "death_cert_medical",
                     [small_page(0), small_page(1).convert("RGB")], "test")
        attach_pages(s, filestore, case_number, "death_cert_medical", [multipage_pdf(2)], "import")
        attach_pages(s, filestore, case_number, "death_cert_medical", [multipage_tiff(2)], "import")
    with store.session() as s:
        m = find_material(s, case_number, "death_cert_medical")
        pdf = material_pdf(s, filestore, m)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 6
    assert "Certificate page 2" in reader.pages[3].extract_text()
    out = tmp_path / "m.pdf"
    out.write_bytes(pdf)
    import shutil
    import subprocess

    if shutil.which("pdftoppm"):  # poppler renders every page (a real viewer opens it)
        r = subprocess.run(["pdftoppm", "-r", "20", "-png", str(out), str(tmp_path / "p")], capture_output=True)
        assert r.returncode == 0, r.stderr
        assert len(list(tmp_path.glob("p-*.png"))) == 6


def test_export_of_an_empty_material_says_so(store, filestore, case_number):
    with store.session() as s:
        m = find_material(s, case_number, "bank_card")
        with pytest.raises(MaterialError) as e:
            material_pdf(s, filestore, m)
    assert "还没有扫描页面" in e.value.message
