"""The hall store (issue 17): in hall mode the scans and material PDFs live in the hall's PostgreSQL
(over TLS), content-addressed, chunked and sealed with the hall key; every caller gets it from
``FileStore.for_settings`` without knowing, and a window with another key (or none) is told so."""
from __future__ import annotations

import hashlib
import os
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from houshi_desk.errors import HoushiError


def _chunks(store, sha):
    from houshi_desk.store.models_hall import HallFileChunkRow

    with store.session() as s:
        return s.execute(select(HallFileChunkRow.seq, HallFileChunkRow.data).where(HallFileChunkRow.sha256 == sha)
                         .order_by(HallFileChunkRow.seq)).all()


def test_in_hall_mode_every_caller_gets_the_hall_store(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.hallstore import HallFileStore

    settings, store, _ = hall
    fs = FileStore.for_settings(settings)
    assert isinstance(fs, HallFileStore)


def test_put_get_chunked_sealed_and_stored_once(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.models_hall import HallFileRow

    settings, store, key = hall
    fs = FileStore.for_settings(settings)
    marker = "逝者扫描页面明文".encode() * 100
    data = marker + os.urandom(600 * 1024)  # three 256 KiB chunks
    sha = fs.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert fs.put(data) == sha  # the same page twice is one file
    assert fs.exists(sha) and list(fs.all()) == [sha]
    assert fs.get(sha) == data
    with store.session() as s:
        row = s.get(HallFileRow, sha)
        assert (row.size, row.chunks) == (len(data), 3)
    chunks = _chunks(store, sha)
    assert [c.seq for c in chunks] == [0, 1, 2]
    blob = b"".join(bytes(c.data) for c in chunks)
    assert marker[:60] not in blob and key not in blob  # sealed: neither the page nor the key is readable
    # the key never lies in the database: nothing in any hall table holds it
    with store.engine.connect() as conn:
        dump = " ".join(str(r) for t in ("hall_files", "hall_key") for r in conn.execute(text(f"SELECT * FROM {t}")))
    assert key.hex() not in dump
    assert FileStore.for_settings(settings).get(sha) == data  # a fresh store object, same answer
    fs.delete(sha)
    assert not fs.exists(sha) and _chunks(store, sha) == []


def test_an_empty_file_and_a_file_of_exactly_one_chunk(hall):
    from houshi_desk.scanning.filestore import FileStore

    settings, _, _ = hall
    fs = FileStore.for_settings(settings)
    for data in (b"", os.urandom(256 * 1024)):
        assert fs.get(fs.put(data)) == data


def test_chunks_moved_or_altered_do_not_open(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.models_hall import HallFileChunkRow

    settings, store, _ = hall
    fs = FileStore.for_settings(settings)
    data = os.urandom(300 * 1024)
    sha = fs.put(data)
    c0, c1 = _chunks(store, sha)
    with store.session() as s:  # swap the two chunks: each is bound to its place
        s.execute(update(HallFileChunkRow).where(HallFileChunkRow.sha256 == sha, HallFileChunkRow.seq == 0)
                  .values(data=c1.data))
        s.execute(update(HallFileChunkRow).where(HallFileChunkRow.sha256 == sha, HallFileChunkRow.seq == 1)
                  .values(data=c0.data))
    with pytest.raises(HoushiError, match="无法解密"):
        fs.get(sha)
    bad = bytearray(bytes(c0.data))
    bad[40] ^= 1
    with store.session() as s:
        s.execute(update(HallFileChunkRow).where(HallFileChunkRow.sha256 == sha, HallFileChunkRow.seq == 0)
                  .values(data=bytes(bad)))
        s.execute(update(HallFileChunkRow).where(HallFileChunkRow.sha256 == sha, HallFileChunkRow.seq == 1)
                  .values(data=c1.data))
    with pytest.raises(HoushiError, match="无法解密"):
        fs.get(sha)
    with store.session() as s:
        s.execute(text("DELETE FROM hall_file_chunks WHERE sha256 = :s AND seq = 1"), {"s": sha})
    with pytest.raises(HoushiError, match="不完整"):
        fs.get(sha)
    with pytest.raises(HoushiError, match="没有这个页面文件"):
        fs.get("0" * 64)


def test_a_window_with_another_hall_key_is_told_and_writes_nothing(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store import hallstore as hs

    settings, store, key = hall
    sha = FileStore.for_settings(settings).put(b"page of the hall")
    hs.dispose_engines()  # a new program start on this window
    hs.save_keyring_key(hs.new_key())  # this window's keyring now holds another hall's key
    fs = FileStore.for_settings(settings)
    with pytest.raises(HoushiError, match="不是这个大厅数据库的密钥") as err:
        fs.get(sha)
    assert "hall key import" in err.value.message
    with pytest.raises(HoushiError, match="不是这个大厅数据库的密钥"):
        fs.put(b"another page")
    assert list(fs.all()) == [sha]


def test_a_window_without_the_hall_key_is_told_what_to_do(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.keys import SERVICE

    import keyring

    settings, store, key = hall
    hs.dispose_engines()
    keyring.delete_password(SERVICE, "hall-key")
    with pytest.raises(HoushiError, match="本机钥匙串中没有大厅密钥") as err:
        FileStore.for_settings(settings).put(b"x")
    assert hs.show(hs.fingerprint(key)) in err.value.message
    with store.session() as s:
        s.execute(text("DELETE FROM hall_key"))
    hs.dispose_engines()
    with pytest.raises(HoushiError, match="还没有建立大厅密钥"):
        FileStore.for_settings(settings).put(b"x")


def test_a_case_accepted_in_the_hall_keeps_its_pages_in_the_hall_database(hall, light_argon2):
    from PIL import Image

    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.scanning.synthetic import a4_page
    from houshi_desk.services.accept import accept_case
    from houshi_desk.services.cases import case_from_dict, get_case_row, sample_case_dict
    from houshi_desk.scanning.export import material_pdf
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.users.accounts import User
    from houshi_desk.users.roles import Role

    settings, store, _ = hall
    clerk = User(1, "clerk01", "测试窗口人员", Role.CLERK)
    pages = {"death_cert_medical": ([a4_page(100, seed=1)], "scan"), "household_register": ([a4_page(100, seed=2)], "scan")}
    done = accept_case(store, case_from_dict(sample_case_dict()), user=clerk, settings=settings,
                       today=date(2026, 1, 23), pages=pages)
    assert done.pages == 2
    assert not (settings.paths.data_dir / "files").exists()  # nothing on this window's disk
    fs = FileStore.for_settings(settings)
    with store.session() as s:
        row = get_case_row(s, done.number)
        page_shas = {f.sha256 for m in row.materials for f in m.files}
        uploads = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.kind == "upload")).scalars().all()
        assert len(page_shas) == 2 and page_shas <= set(fs.all())
        assert uploads and all(fs.exists(u.file_sha256) for u in uploads)  # the frozen PDFs too
        m = next(m for m in row.materials if m.files)
        assert material_pdf(s, fs, m).startswith(b"%PDF")


def test_collect_removes_only_old_unreferenced_files(hall):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.models_hall import HallFileRow

    settings, store, _ = hall
    fs = FileStore.for_settings(settings)
    keep, orphan, fresh = fs.put(b"kept page"), fs.put(b"orphan page"), fs.put(b"page being attached")
    with store.session() as s:
        s.execute(update(HallFileRow).where(HallFileRow.sha256.in_([keep, orphan]))
                  .values(created_at=datetime.now() - timedelta(hours=2)))
    assert fs.collect({keep}) == [orphan]
    assert set(fs.all()) == {keep, fresh}


def test_collect_keeps_a_frozen_pdf_an_unsent_upload_points_at(hall):
    from houshi_desk.scanning.attach import referenced_files
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.models_hall import HallFileRow
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.scanning.synthetic import a4_page
    from houshi_desk.services.accept import accept_case
    from houshi_desk.services.cases import case_from_dict, sample_case_dict
    from houshi_desk.users.accounts import User
    from houshi_desk.users.roles import Role

    settings, store, _ = hall
    fs = FileStore.for_settings(settings)
    accept_case(store, case_from_dict(sample_case_dict()), user=User(1, "clerk01", "测试窗口人员", Role.CLERK),
                settings=settings, today=date(2026, 1, 23), pages={"death_cert_medical": ([a4_page(100, seed=5)], "scan")})
    with store.session() as s:
        pdfs = set(s.execute(select(SyncOutboxRow.file_sha256).where(SyncOutboxRow.kind == "upload")).scalars())
        s.execute(update(HallFileRow).values(created_at=datetime.now() - timedelta(hours=2)))
        referenced = referenced_files(s)
    assert pdfs and pdfs <= referenced  # no page row names the frozen PDFs; their unsent uploads do
    fs.collect(referenced - pdfs)  # the hall store also checks the outbox itself
    assert all(fs.exists(sha) for sha in pdfs)  # still there to be sent
    with store.session() as s:
        s.execute(update(SyncOutboxRow).values(state="acked"))
        referenced = referenced_files(s)
    assert not pdfs & referenced
    fs.collect(referenced)
    assert not any(fs.exists(sha) for sha in pdfs)  # delivered: now they may go


def test_a_kept_printed_copy_goes_to_the_hall_store_too(hall):
    from houshi_desk.documents.printjobs import keep_pdf, kept_bytes
    from houshi_desk.scanning.filestore import FileStore

    settings, _, _ = hall
    pdf = b"%PDF-1.7 receipt of a case " + os.urandom(1000)
    ref = keep_pdf(settings, "150702-W01-20260123-0001", "receipt", pdf)
    assert ref == "filestore:" + hashlib.sha256(pdf).hexdigest()
    assert FileStore.for_settings(settings).exists(ref.split(":", 1)[1])
    assert not (settings.paths.data_dir / "files").exists()
    assert kept_bytes(settings, ref) == pdf
