"""The vendor-SDK path (sdtapi- and termb-style) against a test library compiled with the system C
compiler, and WLT photo decoding through a compiled libwlt2bmp stand-in."""
from __future__ import annotations

import ctypes
import io

import pytest
from PIL import Image

from houshi_desk.domain.identity import CardType
from houshi_desk.idcard.errors import CardRemovedError, ReaderError, SamStatusError
from houshi_desk.idcard.events import ReaderAdded, ReadFailed
from houshi_desk.idcard.photo import photo_png, placeholder_png
from houshi_desk.idcard.sdk_reader import SdtapiReader, TermbReader, sdk_reader
from houshi_desk.idcard.watcher import CardWatcher


@pytest.fixture
def fake(fake_sdk_lib):
    lib = ctypes.CDLL(str(fake_sdk_lib))  # same handle as the reader's: dlopen shares it
    lib.fake_reset()

    def insert(person):
        lib.fake_insert(person.text_block(), person.photo, len(person.photo))

    lib.insert = insert
    yield lib
    lib.fake_reset()


def test_library_style_is_detected_from_its_exports(fake_sdk_lib, fake):
    assert isinstance(sdk_reader(str(fake_sdk_lib)), SdtapiReader)  # exports both; sdtapi preferred


@pytest.mark.parametrize("key", ["applicant", "hmt_permit", "foreign_2017", "foreign_2023"])
def test_sdtapi_style_reads_every_card_type(fake_sdk_lib, fake, persons, key):
    r = SdtapiReader(str(fake_sdk_lib))
    r.open()
    assert [c.kind for c in r.wait_changes(0.1)] == ["reader_added"]
    fake.insert(persons[key])
    assert [c.kind for c in r.wait_changes(0.5)] == ["card_present"]
    doc = r.read_card(r.name)
    assert doc.without_photo() == persons[key].document and doc.photo_wlt == persons[key].photo
    assert r.wait_changes(0.3) == []  # still there, not reported again
    fake.fake_remove()
    assert [c.kind for c in r.wait_changes(0.5)] == ["card_absent"]
    r.close()


def test_sdtapi_status_codes_map_to_the_table(fake_sdk_lib, fake, persons):
    r = SdtapiReader(str(fake_sdk_lib))
    r.open()
    fake.insert(persons["applicant"])
    r.wait_changes(0.5)
    fake.fake_fail_next(0x41)
    with pytest.raises(SamStatusError) as exc:
        r.read_card(r.name)
    assert exc.value.code == "read_failed" and exc.value.hint
    assert r.read_card(r.name).name == "王测试"


def test_sdtapi_bad_port(fake_sdk_lib, fake):
    with pytest.raises(ReaderError) as exc:
        SdtapiReader(str(fake_sdk_lib), port=5000).open()
    assert exc.value.code == "sdk_open"


def test_termb_style_reads_through_its_files(fake_sdk_lib, fake, persons):
    r = TermbReader(str(fake_sdk_lib))
    r.open()
    r.wait_changes(0.05)
    fake.insert(persons["foreign_2023"])
    assert [c.kind for c in r.wait_changes(0.5)] == ["card_present"]
    doc = r.read_card(r.name)
    assert doc.card_type is CardType.FOREIGN_2023 and doc.name_en == persons["foreign_2023"].document.name_en
    assert not (fake_sdk_lib.parent / "wz.txt").exists()  # never left behind for the next person


def test_termb_card_pulled_during_read(fake_sdk_lib, fake, persons):
    r = TermbReader(str(fake_sdk_lib))
    r.open()
    fake.insert(persons["applicant"])
    r.wait_changes(0.5)
    fake.fake_pull_on_read()
    with pytest.raises(CardRemovedError):
        r.read_card(r.name)


def test_termb_never_reads_a_previous_persons_files(fake_sdk_lib, fake, persons):
    r = TermbReader(str(fake_sdk_lib))
    r.open()
    (fake_sdk_lib.parent / "wz.txt").write_bytes(persons["deceased"].text_block())  # stale file
    fake.insert(persons["applicant"])
    r.wait_changes(0.5)
    fake.fake_fail_next(3)
    with pytest.raises(ReaderError):
        r.read_card(r.name)
    assert not (fake_sdk_lib.parent / "wz.txt").exists()


def test_missing_library_is_a_clear_error(tmp_path):
    with pytest.raises(ReaderError) as exc:
        sdk_reader(str(tmp_path / "sdtapi.so"))
    assert exc.value.code == "sdk_load" and not exc.value.retryable


def test_watcher_over_the_sdk(fake_sdk_lib, fake, persons, events):
    with CardWatcher(lambda: SdtapiReader(str(fake_sdk_lib)), events, wait_timeout=0.3):
        assert isinstance(events.next(), ReaderAdded)
        fake.insert(persons["hmt_taiwan"])
        events.next()
        assert events.next().document.pass_number == "12345678"
        fake.fake_remove()
        events.next()
        fake.fake_fail_next(0x33)
        fake.insert(persons["applicant"])
        events.next()
        failed = events.next()
        assert isinstance(failed, ReadFailed) and failed.code == "verify_failed"


# ---- photo --------------------------------------------------------------------------------------

def test_placeholder_is_a_102x126_png():
    img = Image.open(io.BytesIO(placeholder_png()))
    assert img.size == (102, 126) and img.format == "PNG"


def test_no_decoder_configured_gives_the_placeholder(persons):
    photo = photo_png(persons["applicant"].photo)
    assert photo.placeholder and photo.png == placeholder_png() and "未配置" in photo.note


def test_missing_or_broken_decoder_never_blocks(tmp_path, persons):
    assert photo_png(persons["applicant"].photo, str(tmp_path / "libwlt2bmp.so")).placeholder
    assert photo_png(None, "").placeholder


def test_vendor_decoder_through_ctypes(fake_wlt_lib, persons):
    photo = photo_png(persons["applicant"].photo, str(fake_wlt_lib))
    assert not photo.placeholder
    img = Image.open(io.BytesIO(photo.png))
    assert img.size == (102, 126)
    failed = photo_png(bytes(1024), str(fake_wlt_lib))  # not a WLT: the decoder refuses
    assert failed.placeholder and "失败" in failed.note
