"""The SAM frame codec (GA/T 467 style, see IDCARD.md): build and parse frames, checksum, read data.

Frame: preamble ``AA AA AA 96 69``, 2-byte big-endian LEN (bytes after LEN), then
host→SAM ``CMD PARA [DATA] CHK`` or SAM→host ``SW1 SW2 SW3 [DATA] CHK``;
CHK = XOR of every byte from the LEN high byte up to the byte before CHK.
Every malformed input raises :class:`FrameError` (and nothing else).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from houshi_desk.idcard.errors import FrameError, SamStatusError
from houshi_desk.idcard.sam_status import SamStatus, status_for

PREAMBLE = bytes.fromhex("AAAAAA9669")
HEADER_SIZE = len(PREAMBLE) + 2
MAX_LEN = 4096  # the largest real frame (text + photo + 1024-byte fingerprint) is 2314 bytes
TEXT_SIZE = 256
PHOTO_SIZE = 1024

# (CMD, PARA) of the functions the program uses.
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_TEXT_PHOTO_FINGERPRINT = (0x30, 0x10)


def checksum(body: bytes) -> int:
    """XOR of ``body`` (LEN high byte … last byte before CHK)."""
    x = 0
    for b in body:
        x ^= b
    return x


def _frame(payload: bytes) -> bytes:
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    return _frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class SamRequest:
    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class SamResponse:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def status(self) -> SamStatus:
        return status_for(self.sw3)

    def raise_for_status(self, *, accept: tuple[int, ...] = (0x90,)) -> "SamResponse":
        if self.sw3 not in accept:
            raise SamStatusError(self.status)
        return self


def _payload(frame: bytes, minimum: int) -> bytes:
    frame = bytes(frame)
    if len(frame) < HEADER_SIZE + minimum + 1:
        raise FrameError("读卡器返回的数据太短，不完整。", code="frame_short",
                         detail=f"{len(frame)} bytes")
    if frame[:5] != PREAMBLE:
        raise FrameError("读卡器返回的数据格式不对（帧头错误）。", code="frame_preamble",
                         detail=frame[:5].hex(" "))
    length = int.from_bytes(frame[5:7], "big")
    if length != len(frame) - HEADER_SIZE:
        raise FrameError("读卡器返回的数据长度与声明的不一致，数据不完整或有多余内容。", code="frame_length",
                         detail=f"declared {length}, got {len(frame) - HEADER_SIZE}")
    if checksum(frame[5:-1]) != frame[-1]:
        raise FrameError("读卡器返回的数据校验和错误，传输中可能受到干扰。", code="frame_checksum",
                         detail=f"chk {frame[-1]:02x} expected {checksum(frame[5:-1]):02x}")
    return frame[7:-1]


def parse_response(frame: bytes) -> SamResponse:
    """Decode one SAM→host frame (checked preamble, length and checksum)."""
    p = _payload(frame, 3)
    return SamResponse(p[0], p[1], p[2], p[3:])


def parse_request(frame: bytes) -> SamRequest:
    """Decode one host→SAM frame (used by the simulated SAM)."""
    p = _payload(frame, 2)
    return SamRequest(p[0], p[1], p[2:])


@dataclass(frozen=True)
class ReadData:
    text: bytes
    photo: bytes
    fingerprint: bytes | None = None


def split_read_data(data: bytes) -> ReadData:
    """Split the data of a read response: lengths (2 or 3 of them), text, photo[, fingerprint]."""
    data = bytes(data)
    if len(data) < 4:
        raise FrameError("读卡器返回的身份信息不完整。", code="read_short", detail=f"{len(data)} bytes")
    t = int.from_bytes(data[0:2], "big")
    p = int.from_bytes(data[2:4], "big")
    if len(data) == 4 + t + p:
        text, photo, fp = data[4:4 + t], data[4 + t:], None
    elif len(data) >= 6 and len(data) == 6 + t + p + int.from_bytes(data[4:6], "big"):
        text, photo, fp = data[6:6 + t], data[6 + t:6 + t + p], data[6 + t + p:]
    else:
        raise FrameError("读卡器返回的身份信息长度不对，数据不完整。", code="read_length",
                         detail=f"data {len(data)}, text {t}, photo {p}")
    if t != TEXT_SIZE:
        raise FrameError("读卡器返回的文字信息长度不对。", code="text_length", detail=f"text {t}")
    return ReadData(text, photo, fp)


def build_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    head = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if fingerprint is None:
        return head + text + photo
    return head + len(fingerprint).to_bytes(2, "big") + text + photo + fingerprint


def parse_read_frame(frame: bytes) -> ReadData:
    """A whole read response (30 01 / 30 10): status must be 90."""
    response = parse_response(frame).raise_for_status()
    return split_read_data(response.data)


def read_frame(read: Callable[[int], bytes]) -> bytes:
    """Read one frame from a byte stream, skipping noise before the preamble.

    ``read(n)`` returns up to ``n`` bytes, ``b""`` on timeout; a timeout mid-frame raises
    :class:`FrameError` (the reader stopped talking), a timeout before any byte returns ``b""``.
    """
    window = b""
    skipped = 0
    while window != PREAMBLE:
        b = read(1)
        if not b:
            if window or skipped:
                raise FrameError("读卡器的回答没有发完就中断了。", code="frame_timeout")
            return b""
        window = (window + b)[-5:]
        skipped += 1
        if skipped > MAX_LEN + 5:
            raise FrameError("读卡器返回的数据中找不到有效的帧头。", code="frame_preamble")
    head = _read_exact(read, 2)
    length = int.from_bytes(head, "big")
    if length < 2 or length > MAX_LEN:
        raise FrameError("读卡器返回的数据长度不合理。", code="frame_length", detail=f"len {length}")
    return PREAMBLE + head + _read_exact(read, length)


def _read_exact(read: Callable[[int], bytes], n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = read(n - len(buf))
        if not chunk:
            raise FrameError("读卡器的回答没有发完就中断了。", code="frame_timeout",
                             detail=f"got {len(buf)} of {n}")
        buf += chunk
    return buf
