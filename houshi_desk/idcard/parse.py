"""Turn whatever a reader (or a saved file) gave into an identity: a whole SAM read frame, the bare
256-byte text block, or either of them written as hex text."""
from __future__ import annotations

import re

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard.errors import CardDataError
from houshi_desk.idcard.frame import PREAMBLE, parse_read_frame
from houshi_desk.idcard.text_block import TEXT_BLOCK_SIZE, parse_text_block

_HEX = re.compile(rb"^[0-9A-Fa-f\s:,]+$")


def parse_read_bytes(data: bytes) -> IdentityDocument:
    data = bytes(data)
    if data.startswith(PREAMBLE):
        read = parse_read_frame(data)
        return parse_text_block(read.text, read.photo or None)
    if len(data) == TEXT_BLOCK_SIZE:
        return parse_text_block(data)
    if data and _HEX.match(data):
        cleaned = re.sub(rb"[\s:,]", b"", data)
        if len(cleaned) % 2 == 0:
            return parse_read_bytes(bytes.fromhex(cleaned.decode("ascii")))
    raise CardDataError("文件内容既不是读卡器的读卡应答帧，也不是 256 字节的文字信息。",
                        hint="请提供读卡器返回的完整应答帧（以 AA AA AA 96 69 开头）或 256 字节文字信息。",
                        code="unknown_input", detail=f"{len(data)} bytes")
