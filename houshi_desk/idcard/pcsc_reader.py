"""Transport 1: PC/SC through pyscard, for integrated readers that expose the decoded card.

The waiting context belongs to the card watcher's thread (PC/SC: one context per thread), except
for :meth:`PcscReader.cancel` (``SCardCancel``), which PC/SC allows from any thread; each read
establishes a context of its own on the thread that reads. Changes come from
``SCardGetStatusChange`` over every matching reader plus the ``\\\\?PnP?\\Notification`` pseudo
reader (readers plugged in or out). Reading follows the pseudo-APDU dialect table; a plain
contactless reader is recognised by the chip-serial APDU and reported, never read.
"""
from __future__ import annotations

import logging
import threading
import time

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard.dialect import Dialect, default_dialect
from houshi_desk.idcard.errors import CardDataError, CardError, CardRemovedError, NoSamError, ReaderError
from houshi_desk.idcard.reader import SlotChange
from houshi_desk.idcard.text_block import parse_text_block

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
_CARD_PRESENT = 0x0004  # SCARD_PRESENT of SCardStatus (pcsc-lite value; pyscard does not export it)


def _scard():
    try:
        from smartcard import scard
    except ImportError as exc:  # pyscard missing or libpcsclite not installed
        raise ReaderError("本机没有安装 PC/SC 读卡组件（pyscard / pcsc-lite），无法使用 PC/SC 读卡器。",
                          hint="请安装读卡器驱动与 PC/SC 服务，或在设置中改用串口/厂商动态库读卡。",
                          detail=str(exc), code="pcsc_missing", retryable=False) from None
    return scard


def _u32(hr: int) -> int:
    return hr & 0xFFFFFFFF


def pcsc_error(hr: int, reader: str = "", during: str = "") -> CardError:
    """A PC/SC result code as a clerk-facing error."""
    s = _scard()
    code = _u32(hr)
    detail = f"{during}: {s.SCardGetErrorMessage(hr)} (0x{code:08X})"
    if code in (_u32(s.SCARD_W_REMOVED_CARD), _u32(s.SCARD_E_NO_SMARTCARD), _u32(s.SCARD_W_RESET_CARD)):
        return CardRemovedError(detail)
    if code in (_u32(s.SCARD_E_READER_UNAVAILABLE), _u32(s.SCARD_E_UNKNOWN_READER),
                _u32(s.SCARD_E_NO_READERS_AVAILABLE)):
        return ReaderError(f"读卡器“{reader}”已断开。", hint="请检查读卡器的 USB 连接线，插好后把卡片重新放上。",
                           detail=detail, code="reader_gone")
    if code in (_u32(s.SCARD_E_NO_SERVICE), _u32(s.SCARD_E_SERVICE_STOPPED), _u32(s.SCARD_E_INVALID_HANDLE)):
        return ReaderError("没有找到 PC/SC 读卡器，或读卡服务没有运行。",
                           hint="请插好读卡器，插好后会自动连接（Windows 在没有读卡器时会停止读卡服务）；若仍不行，请重启电脑或联系设备维护人员。",
                           detail=detail, code="pcsc_service")
    if code in (_u32(s.SCARD_W_UNRESPONSIVE_CARD), _u32(s.SCARD_W_UNPOWERED_CARD), _u32(s.SCARD_E_TIMEOUT),
                _u32(s.SCARD_F_COMM_ERROR), _u32(s.SCARD_E_NOT_TRANSACTED), _u32(s.SCARD_E_PROTO_MISMATCH)):
        return ReaderError("读卡器与卡片通信失败。", hint="请把卡片拿开，再重新平放到读卡器上。",
                           detail=detail, code="pcsc_comm")
    if code == _u32(s.SCARD_E_SHARING_VIOLATION):
        return ReaderError("读卡器正被其他程序占用。", hint="请关闭其他读卡程序后再放卡。",
                           detail=detail, code="pcsc_busy")
    return ReaderError("读卡器报告了错误。", hint="请把卡片拿开后重新放置；若反复出现，请重新插拔读卡器。",
                       detail=detail, code="pcsc_error")


class PcscReader:
    kind = "pcsc"

    def __init__(self, reader_filter: str = "", dialect: Dialect | None = None):
        self.reader_filter = reader_filter
        self.dialect = dialect or default_dialect()
        self.label = "PC/SC 读卡器" + (f"“{reader_filter}”" if reader_filter else "")
        self._ctx: int | None = None
        self._ctx_lock = threading.Lock()
        self._states: dict[str, int] = {}
        self._present: dict[str, int | None] = {}  # reader → card event counter while a card is there
        self._pnp_state = 0
        self._need_list = True

    # ------------------------------------------------------------------ context
    def open(self) -> None:
        s = _scard()
        with self._ctx_lock:
            if self._ctx is not None:
                return
            hr, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
            if hr != s.SCARD_S_SUCCESS:
                raise pcsc_error(hr, during="SCardEstablishContext")
            self._ctx = ctx
        self._states, self._present, self._pnp_state, self._need_list = {}, {}, 0, True

    def close(self) -> None:
        with self._ctx_lock:
            ctx, self._ctx = self._ctx, None
        if ctx is not None:
            s = _scard()
            s.SCardReleaseContext(ctx)

    def cancel(self) -> None:
        with self._ctx_lock:
            ctx = self._ctx
            if ctx is not None:
                _scard().SCardCancel(ctx)

    def _context(self) -> int:
        if self._ctx is None:
            self.open()
        return self._ctx  # type: ignore[return-value]

    def list_readers(self) -> list[str]:
        s = _scard()
        hr, readers = s.SCardListReaders(self._context(), [])
        if _u32(hr) == _u32(s.SCARD_E_NO_READERS_AVAILABLE):
            return []
        if hr != s.SCARD_S_SUCCESS:
            raise pcsc_error(hr, during="SCardListReaders")
        return [r for r in readers if self.reader_filter in r]

    # ------------------------------------------------------------------ changes
    def wait_changes(self, timeout: float) -> list[SlotChange]:
        s = _scard()
        ctx = self._context()
        changes: list[SlotChange] = []
        if self._need_list:
            self._need_list = False
            readers = self.list_readers()
            for gone in [r for r in self._states if r not in readers]:
                if gone in self._present:
                    del self._present[gone]
                    changes.append(SlotChange("card_absent", gone))
                del self._states[gone]
                changes.append(SlotChange("reader_removed", gone))
            for new in readers:
                if new not in self._states:
                    self._states[new] = s.SCARD_STATE_UNAWARE
                    changes.append(SlotChange("reader_added", new))
            if changes:
                timeout = 0  # report the list change, then look at the cards at once
        query = [(r, st) for r, st in self._states.items()] + [(PNP_READER, self._pnp_state)]
        hr, result = s.SCardGetStatusChange(ctx, int(timeout * 1000), query)
        code = _u32(hr)
        if code in (_u32(s.SCARD_E_TIMEOUT), _u32(s.SCARD_E_CANCELLED)):
            return changes
        if code in (_u32(s.SCARD_E_UNKNOWN_READER), _u32(s.SCARD_E_READER_UNAVAILABLE)):
            self._need_list = True
            return changes
        if hr != s.SCARD_S_SUCCESS:
            raise pcsc_error(hr, during="SCardGetStatusChange")
        for reader, event, _atr in result:
            if reader == PNP_READER:
                if event & s.SCARD_STATE_CHANGED:
                    self._need_list = True
                self._pnp_state = event & ~s.SCARD_STATE_CHANGED
                continue
            if reader not in self._states:
                continue
            self._states[reader] = event & ~s.SCARD_STATE_CHANGED
            if event & (s.SCARD_STATE_UNKNOWN | s.SCARD_STATE_UNAVAILABLE | s.SCARD_STATE_IGNORE):
                self._need_list = True
                continue
            present = bool(event & s.SCARD_STATE_PRESENT) and not event & s.SCARD_STATE_MUTE
            counter = (event >> 16) & 0xFFFF  # pcsc-lite counts card events in the high word
            was = reader in self._present
            if was and (not present or counter != self._present[reader]):
                # a different counter while present = lifted and put back between two waits
                del self._present[reader]
                changes.append(SlotChange("card_absent", reader))
                was = False
            if present and not was:
                self._present[reader] = counter
                changes.append(SlotChange("card_present", reader))
        return changes

    # ------------------------------------------------------------------ reading
    def read_card(self, reader: str) -> IdentityDocument:
        """Read the card on ``reader`` through a context of its own: PC/SC wants one context per
        thread (the watcher reads on a helper thread), and a read stuck in a silent reader then
        cannot block the watcher's waiting context."""
        s = _scard()
        hr, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
        if hr != s.SCARD_S_SUCCESS:
            raise pcsc_error(hr, reader, "SCardEstablishContext")
        try:
            return self._read_with(ctx, reader)
        finally:
            s.SCardReleaseContext(ctx)

    def _read_with(self, ctx: int, reader: str) -> IdentityDocument:
        s = _scard()
        hr, card, protocol = s.SCardConnect(ctx, reader, s.SCARD_SHARE_SHARED,
                                            s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1)
        if hr != s.SCARD_S_SUCCESS:
            raise pcsc_error(hr, reader, "SCardConnect")
        pci = s.SCARD_PCI_T1 if protocol == s.SCARD_PROTOCOL_T1 else s.SCARD_PCI_T0
        try:
            hr, _name, _state, _proto, atr = s.SCardStatus(card)
            if hr != s.SCARD_S_SUCCESS:
                raise pcsc_error(hr, reader, "SCardStatus")

            def transmit(apdu: bytes) -> tuple[bytes, int]:
                hr, resp = s.SCardTransmit(card, pci, list(apdu))
                if hr != s.SCARD_S_SUCCESS or len(resp) < 2:
                    self._raise_removed_if_gone(card, reader)
                    if hr != s.SCARD_S_SUCCESS:
                        raise pcsc_error(hr, reader, f"SCardTransmit {apdu[:2].hex()}")
                    raise CardDataError("读卡器的回答不完整。", code="apdu_short")
                resp = bytes(resp)
                return resp[:-2], int.from_bytes(resp[-2:], "big")

            text = None
            if self.dialect.atr_is_decoded_card(bytes(atr)):
                data, sw = transmit(self.dialect.text.apdu)
                if sw == 0x9000:
                    t = self.dialect.text
                    text = data[t.offset:t.offset + t.length]
                    if len(text) != t.length:
                        raise CardDataError("读卡器返回的文字信息长度不对，数据不完整。", code="text_length",
                                            detail=f"{len(data)} bytes")
            if text is None:
                self._refuse_plain_reader(reader, transmit)
            photo = self._read_photo(transmit)
            return parse_text_block(text, photo)
        finally:
            s.SCardDisconnect(card, s.SCARD_LEAVE_CARD)

    @staticmethod
    def _raise_removed_if_gone(card, reader: str, within: float = 0.8) -> None:
        """A failed exchange right after the card left: pcscd notices the removal a little later
        than the broken exchange, so look for it briefly to give the clerk the right message."""
        s = _scard()
        deadline = time.monotonic() + within
        while True:
            hr, _name, state, _proto, _atr = s.SCardStatus(card)
            if hr != s.SCARD_S_SUCCESS or not state & _CARD_PRESENT:
                raise CardRemovedError(f"SCardStatus 0x{_u32(hr):08X} state {state}")
            if time.monotonic() >= deadline:
                return
            time.sleep(0.05)

    def _read_photo(self, transmit) -> bytes | None:
        parts = []
        for piece in self.dialect.photo:
            data, sw = transmit(piece.apdu)  # a card pulled out here fails the whole read
            if sw != 0x9000:
                log.info("photo piece %s refused (SW %04X); reading on without a photo", piece.apdu.hex(), sw)
                return None  # the photo never blocks a read
            parts.append(data[piece.offset:piece.offset + piece.length])
        return b"".join(parts) or None

    def _refuse_plain_reader(self, reader: str, transmit) -> None:
        data, sw = transmit(self.dialect.chip_serial_apdu)
        if sw == 0x9000 and len(data) == 8:
            raise NoSamError(reader, data.hex().upper())
        raise ReaderError("放上的卡片不是可读取的身份证件，或读卡器不支持身份证读取。",
                          hint="请确认放的是身份证件；若是，请在设置中检查读卡器与读卡指令表。",
                          detail=f"SW {sw:04X}", code="not_id_card", retryable=False)
