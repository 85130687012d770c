"""Transport 2: SAM frames over a serial or USB-serial port (华视/神思/Routon-class modules).

Flow per IDCARD.md: status (11 FF) once on open → find (20 01, 9F) → select (20 02, 90) → read
(30 01, 90). A card already read answers find with 80 until it leaves the field, so while a card
is known, "is it still there?" is asked with select (90 = still there, 81 = gone).
"""
from __future__ import annotations

import itertools
import logging
import threading
import time

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard import frame as fr
from houshi_desk.idcard.errors import ReaderError
from houshi_desk.idcard.reader import PollingReader
from houshi_desk.idcard.text_block import parse_text_block

log = logging.getLogger(__name__)


class SerialSamReader(PollingReader):
    kind = "serial"

    def __init__(self, port: str, baudrate: int = 115200, *, answer_timeout: float = 1.0,
                 read_timeout: float = 3.0):
        super().__init__(port)
        self.port = port
        self.baudrate = baudrate
        self.label = f"串口读卡器（{port}）"
        self.answer_timeout = answer_timeout
        self.read_timeout = read_timeout  # a real SAM needs ~1 s to decode a card
        self._serial = None
        self._io_lock = threading.Lock()
        self._generation = itertools.count(1)

    def open(self) -> None:
        super().open()
        import serial

        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=self.answer_timeout,
                                         write_timeout=self.answer_timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise ReaderError(f"无法打开串口 {self.port}。", hint="请检查读卡器是否插好、设置中的串口号是否正确、是否被其他程序占用。",
                              detail=str(exc), code="serial_open") from None
        self.command(fr.SAM_STATUS).raise_for_status()

    def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            try:
                ser.close()
            except Exception:  # noqa: BLE001
                log.debug("serial close failed", exc_info=True)

    def command(self, cmd_para: tuple[int, int], timeout: float | None = None) -> fr.SamResponse:
        """Send one command and return the SAM's decoded answer (status not yet judged)."""
        import serial

        if self._serial is None:
            raise ReaderError("串口读卡器未打开。", code="serial_closed")
        with self._io_lock:
            ser = self._serial
            try:
                ser.reset_input_buffer()  # drop a late answer to an earlier, timed-out command
                ser.write(fr.build_request(*cmd_para))
                deadline = time.monotonic() + (timeout or self.answer_timeout)

                def read(n: int) -> bytes:  # one deadline for the whole answer, not per chunk
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return b""
                    ser.timeout = remaining
                    return ser.read(n)

                raw = fr.read_frame(read)
            except (serial.SerialException, OSError) as exc:
                raise ReaderError(f"串口读卡器（{self.port}）已断开或无法通信。", hint="请检查读卡器的连接线，插好后重新放卡。",
                                  detail=str(exc), code="serial_io") from None
        if not raw:
            raise ReaderError(f"串口 {self.port} 上的读卡器没有回应。",
                              hint="请检查读卡器电源与连接线，以及设置中的串口号和读卡方式。",
                              detail=f"no answer to {cmd_para[0]:02X} {cmd_para[1]:02X}", code="no_answer")
        return fr.parse_response(raw)

    def poll_card(self):
        if self._token is not None:
            found = self.command(fr.FIND_CARD)
            if found.sw3 == 0x9F:
                return next(self._generation)  # another card (or the same one put back)
            return self._token if self.command(fr.SELECT_CARD).sw3 == 0x90 else None
        found = self.command(fr.FIND_CARD)
        if found.sw3 == 0x9F:
            return next(self._generation)
        if found.sw3 in (0x80, 0x81):
            return None
        found.raise_for_status(accept=(0x9F,))  # the SAM itself is unwell: the watcher reports it
        return None

    def read_card(self, reader: str) -> IdentityDocument:
        self.command(fr.SELECT_CARD).raise_for_status()
        response = self.command(fr.READ_TEXT_PHOTO, timeout=self.read_timeout).raise_for_status()
        data = fr.split_read_data(response.data)
        return parse_text_block(data.text, data.photo or None)
