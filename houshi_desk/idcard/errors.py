"""Errors of ID card reading, each with a Chinese sentence for the clerk and what to do next.

``CardDataError`` is the codec's own error type: bytes that are not a valid frame or text block.
Property tests throw random bytes at the codec and the parser and allow only this type out.
``ReaderError`` covers the transports (no reader, no answer, card pulled away). Both carry
``retryable``: whether putting the card back / trying again can help.
"""
from __future__ import annotations

from houshi_desk.errors import HoushiError


class CardError(HoushiError):
    """Base of everything that can go wrong reading an ID card."""

    def __init__(self, message: str, *, hint: str | None = None, detail: str | None = None,
                 code: str = "card_error", retryable: bool = True):
        super().__init__(message, hint=hint, detail=detail)
        self.code = code
        self.retryable = retryable


class CardDataError(CardError):
    """The bytes from the reader are not a valid frame or text block (garbled, short, corrupt)."""

    def __init__(self, message: str, *, hint: str | None = None, detail: str | None = None,
                 code: str = "card_data"):
        super().__init__(message, hint=hint or RETRY_HINT, detail=detail, code=code, retryable=True)


class FrameError(CardDataError):
    """A SAM frame that cannot be decoded (preamble, length, checksum)."""


class ReaderError(CardError):
    """The reader or its service is missing, silent or failed."""


class CardRemovedError(ReaderError):
    def __init__(self, detail: str | None = None):
        super().__init__("读卡过程中卡片被移开，没有读完。", hint="请把卡片放回读卡器感应区，放稳后不要移动，直到读卡完成。",
                         detail=detail, code="card_removed", retryable=True)


class NoSamError(ReaderError):
    """A plain contactless reader: it sees the card but cannot decode personal data."""

    def __init__(self, reader: str, chip_serial: str = ""):
        seen = f"（芯片序列号 {chip_serial}）" if chip_serial else ""
        super().__init__(
            f"读卡器“{reader}”是普通非接触读卡器，只能感应到卡片{seen}，不能读出身份信息。",
            hint="请改用带安全模块（SAM）的二代证阅读器，或在设置中选择正确的读卡器。",
            code="no_sam", retryable=False)


RETRY_HINT = "请把卡片拿开，再重新平放到读卡器上读一次；若反复出现，请核验证件后人工录入。"


class SamStatusError(CardError):
    """The SAM answered with a status other than success; message and hint come from the table."""

    def __init__(self, status):
        super().__init__(status.message, hint=status.hint, detail=f"SW3={status.code:02X}",
                         code=status.name, retryable=status.retry)
        self.status = status
