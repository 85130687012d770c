"""The SAM frame codec against the published frames of IDCARD.md and malformed input."""
from __future__ import annotations

import pytest

from houshi_desk.idcard import frame as fr
from houshi_desk.idcard.errors import FrameError, SamStatusError
from houshi_desk.idcard.sam_status import STATUS_TABLE, status_for

REQUESTS = {
    fr.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    fr.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    fr.READ_SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    fr.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    fr.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    fr.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    fr.READ_TEXT_PHOTO_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
}


@pytest.mark.parametrize("cmd,expected", REQUESTS.items(), ids=lambda v: str(v))
def test_requests_match_the_published_frames(cmd, expected):
    assert fr.build_request(*cmd) == bytes.fromhex(expected)
    assert fr.parse_request(bytes.fromhex(expected)) == fr.SamRequest(*cmd)


def test_golden_read_frame_is_1295_bytes_with_chk_72(golden_frame):
    assert len(golden_frame) == 1295
    assert golden_frame[:10] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90")
    assert golden_frame[10:14] == bytes.fromhex("01 00 04 00")
    assert golden_frame[-1] == 0x72
    data = fr.parse_read_frame(golden_frame)
    assert len(data.text) == 256 and data.photo == bytes(1024) and data.fingerprint is None


def test_read_data_with_fingerprint_block():
    text, photo, fp = bytes(256), bytes(1024), b"\x01" * 512
    data = fr.split_read_data(fr.build_read_data(text, photo, fp))
    assert data.fingerprint == fp and data.photo == photo


def test_every_status_code_has_a_chinese_message_and_hint():
    for code in (0x90, 0x9F, 0x80, 0x81, 0x41, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40,
                 0x47, 0x60, 0x66):
        s = STATUS_TABLE[code]
        assert s.message and any("\u4e00" <= c <= "\u9fff" for c in s.message)
        assert s.ok or s.hint
    assert status_for(0x90).ok and status_for(0x9F).ok
    assert status_for(0x80).retry and not status_for(0x66).retry
    unknown = status_for(0x5A)
    assert "5A" in unknown.message and not unknown.ok


def test_status_other_than_success_raises_with_the_table_message():
    frame = fr.build_response(0x41)
    with pytest.raises(SamStatusError) as exc:
        fr.parse_read_frame(frame)
    assert exc.value.message == STATUS_TABLE[0x41].message
    assert exc.value.retryable and exc.value.code == "read_failed"


@pytest.mark.parametrize("mutate,code", [
    (lambda f: f[:-1], "frame_length"),            # short by one byte
    (lambda f: f + b"\x00", "frame_length"),        # one byte too many
    (lambda f: f[:-1] + bytes([f[-1] ^ 1]), "frame_checksum"),
    (lambda f: b"\xAA\xAA\xAB" + f[3:], "frame_preamble"),
    (lambda f: f[:6], "frame_short"),
    (lambda f: f[:5] + b"\x00\x02" + f[7:], "frame_length"),  # wrong declared length
])
def test_malformed_frames_give_a_clear_error(golden_frame, mutate, code):
    with pytest.raises(FrameError) as exc:
        fr.parse_response(mutate(golden_frame))
    assert exc.value.code == code
    assert exc.value.message and exc.value.hint and exc.value.retryable


def test_wrong_inner_lengths_are_rejected():
    data = fr.build_read_data(bytes(256), bytes(1024))
    with pytest.raises(FrameError):
        fr.split_read_data(data[:-1])
    with pytest.raises(FrameError):
        fr.split_read_data(fr.build_read_data(bytes(200), bytes(1024)))


def _stream(data: bytes):
    pos = 0

    def read(n):
        nonlocal pos
        chunk = data[pos:pos + n]
        pos += len(chunk)
        return chunk

    return read


def test_stream_reader_skips_noise_before_the_preamble(golden_frame):
    assert fr.read_frame(_stream(b"\x00\x13\xAA\xAA" + golden_frame)) == golden_frame


def test_stream_reader_reports_silence_and_a_cut_off_answer(golden_frame):
    assert fr.read_frame(_stream(b"")) == b""
    with pytest.raises(FrameError) as exc:
        fr.read_frame(_stream(golden_frame[:600]))
    assert exc.value.code == "frame_timeout"
