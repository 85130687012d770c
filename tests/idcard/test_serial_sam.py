"""The serial SAM path over a real pseudo-terminal: status codes 80, 81, 41, a bad checksum,
a silent reader, a cut-off answer, and the watcher on top."""
from __future__ import annotations


import pytest

from houshi_desk.domain.identity import CardType
from houshi_desk.idcard import frame as fr
from houshi_desk.idcard.errors import FrameError, ReaderError, SamStatusError
from houshi_desk.idcard.events import CardInserted, CardRead, CardRemoved, ReaderAdded, ReadFailed
from houshi_desk.idcard.serial_reader import SerialSamReader
from houshi_desk.idcard.watcher import CardWatcher


@pytest.fixture
def reader(sam):
    r = SerialSamReader(sam.port, answer_timeout=0.5, read_timeout=1.0)
    r.open()
    yield r
    r.close()


def test_reads_every_card_type_over_the_pty(sam, reader, persons):
    for key in ("applicant", "hmt_permit", "foreign_2017", "foreign_2023"):
        sam.insert(persons[key])
        assert [c.kind for c in reader.wait_changes(1.0) if c.kind.startswith("card")][-1] == "card_present"
        doc = reader.read_card(reader.name)
        assert doc.without_photo() == persons[key].document
        sam.remove()
        assert [c.kind for c in reader.wait_changes(1.0)] == ["card_absent"]
    assert fr.SAM_STATUS in sam.commands and fr.READ_TEXT_PHOTO in sam.commands


def test_status_80_means_no_card(sam, reader):
    assert reader.command(fr.FIND_CARD).sw3 == 0x80
    assert [c.kind for c in reader.wait_changes(0.3)] == ["reader_added"]


@pytest.mark.parametrize("cmd,sw3,code", [
    (fr.SELECT_CARD, 0x81, "select_failed"),
    (fr.READ_TEXT_PHOTO, 0x41, "read_failed"),
    (fr.READ_TEXT_PHOTO, 0x80, "no_card"),
])
def test_failure_status_codes_give_the_table_message(sam, reader, persons, cmd, sw3, code):
    sam.insert(persons["applicant"])
    reader.wait_changes(1.0)
    sam.fail_next(cmd, sw3=sw3)
    with pytest.raises(SamStatusError) as exc:
        reader.read_card(reader.name)
    assert exc.value.code == code and exc.value.retryable and exc.value.hint
    assert reader.read_card(reader.name).name == "王测试"  # next attempt succeeds


def test_bad_checksum_in_the_answer(sam, reader, persons):
    sam.insert(persons["applicant"])
    reader.wait_changes(1.0)
    sam.fail_next(fr.READ_TEXT_PHOTO, bad_checksum=True)
    with pytest.raises(FrameError) as exc:
        reader.read_card(reader.name)
    assert exc.value.code == "frame_checksum"


def test_bad_checksum_from_the_host_is_answered_with_status_10(sam, reader):
    request = bytearray(fr.build_request(*fr.SAM_STATUS))
    request[-1] ^= 0xFF
    reader._serial.write(bytes(request))
    reader._serial.timeout = 1.0
    answer = fr.parse_response(fr.read_frame(reader._serial.read))
    assert answer.sw3 == 0x10 and answer.status.name == "bad_checksum"


def test_a_reader_that_never_answers(sam, reader, persons):
    sam.insert(persons["applicant"])
    reader.wait_changes(1.0)
    sam.fail_next(fr.SELECT_CARD, silent=True)
    with pytest.raises(ReaderError) as exc:
        reader.read_card(reader.name)
    assert exc.value.code == "no_answer" and "没有回应" in exc.value.message


def test_an_answer_cut_off_half_way(sam, reader, persons):
    sam.insert(persons["applicant"])
    reader.wait_changes(1.0)
    sam.fail_next(fr.READ_TEXT_PHOTO, truncate=True)
    with pytest.raises(FrameError) as exc:
        reader.read_card(reader.name)
    assert exc.value.code == "frame_timeout"


def test_wrong_port_is_a_clear_error(tmp_path):
    with pytest.raises(ReaderError) as exc:
        SerialSamReader(str(tmp_path / "ttyNOPE")).open()
    assert exc.value.code == "serial_open" and "串口" in exc.value.message


def test_watcher_over_serial_with_a_bad_checksum_retried_once(sam, persons, events):
    with CardWatcher(lambda: SerialSamReader(sam.port, answer_timeout=0.5, read_timeout=1.0), events,
                     wait_timeout=0.5):
        assert isinstance(events.next(), ReaderAdded)
        sam.fail_next(fr.READ_TEXT_PHOTO, bad_checksum=True)  # line noise: retried without bothering the clerk
        sam.insert(persons["foreign_2017"])
        assert isinstance(events.next(), CardInserted)
        read = events.next()
        assert isinstance(read, CardRead) and read.document.card_type is CardType.FOREIGN_2017
        assert events.drain(0.8) == []  # the card stays: no second read
        sam.remove()
        assert isinstance(events.next(), CardRemoved)
        sam.fail_next(fr.READ_TEXT_PHOTO, sw3=0x41)
        sam.insert(persons["applicant"])
        assert isinstance(events.next(), CardInserted)
        failed = events.next()
        assert isinstance(failed, ReadFailed) and failed.code == "read_failed"


def test_watcher_survives_the_serial_reader_unplugged_and_plugged_back(persons, events):
    from houshi_desk.idcard.events import ReaderRemoved, ServiceProblem
    from houshi_desk.idcard.sam_simulator import SimulatedSam

    current = {"sam": SimulatedSam(persons["applicant"]).start()}
    w = CardWatcher(lambda: SerialSamReader(current["sam"].port, answer_timeout=0.3), events, wait_timeout=0.3,
                    retry_delay=0.2).start()
    try:
        assert events.wait_for(CardRead).document.name == "王测试"
        current["sam"].stop()  # the pty disappears: like a USB-serial adapter pulled out
        assert _names(events, 3) == ["CardRemoved", "ReaderRemoved", "ServiceProblem"]
        later = events.drain(1.0)  # retrying quietly: each problem is said once, not on every retry
        assert len(later) <= 1 and all(isinstance(e, ServiceProblem) for e in later)
        current["sam"] = SimulatedSam(persons["deceased"]).start()  # plugged back, another card on it
        assert _names(events, 3) == ["ReaderAdded", "CardInserted", "CardRead"]
        assert events.all[-1].document.name == "测试"
        assert w.running
    finally:
        w.stop()
        current["sam"].stop()


def _names(events, n):
    return [type(events.next()).__name__ for _ in range(n)]
