"""A simulated SAM module on a real pseudo-terminal, for the serial transport's demo and tests.

``SimulatedSam().start()`` opens a pty pair; point :class:`SerialSamReader` at ``.port``. Cards are
placed with ``insert(person)`` and lifted with ``remove()``. Faults for the tests:
``fail_next(cmd, sw3=0x41)`` answers a command with a status code, ``bad_checksum=True`` corrupts
the answer's checksum, ``silent=True`` does not answer, ``truncate=True`` sends half a frame.
It behaves like the modules described in IDCARD.md: find answers 9F once per card entering the
field, then 80 until it leaves; select answers 90 while a card is there, 81 otherwise.
"""
from __future__ import annotations

import logging
import os
import select
import threading
import tty
from collections import deque
from dataclasses import dataclass

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard import frame as fr
from houshi_desk.idcard.errors import FrameError
from houshi_desk.idcard.persons import SyntheticPerson, as_person

log = logging.getLogger(__name__)


@dataclass
class Fault:
    cmd: tuple[int, int] | None  # None = whatever comes next
    sw3: int | None = None
    bad_checksum: bool = False
    silent: bool = False
    truncate: bool = False


class SimulatedSam:
    def __init__(self, person: SyntheticPerson | IdentityDocument | str | None = None):
        self._lock = threading.Lock()
        self._person = as_person(person) if person is not None else None
        self._found = False
        self._faults: deque[Fault] = deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.master = self.slave = -1
        self.port = ""
        self.commands: list[tuple[int, int]] = []

    def start(self) -> "SimulatedSam":
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # bytes pass untouched, no echo, even before the client configures it
        self.port = os.ttyname(self.slave)
        self._thread = threading.Thread(target=self._serve, name="simulated-sam", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        for fd in (self.master, self.slave):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.master = self.slave = -1

    def __enter__(self) -> "SimulatedSam":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def insert(self, person: SyntheticPerson | IdentityDocument | str) -> None:
        with self._lock:
            self._person = as_person(person)
            self._found = False

    def remove(self) -> None:
        with self._lock:
            self._person = None
            self._found = False

    def fail_next(self, cmd: tuple[int, int] | None = None, **kind) -> None:
        with self._lock:
            self._faults.append(Fault(cmd, **kind))

    # -----------------------------------------------------------------------------------------
    def _read(self, n: int) -> bytes:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    return os.read(self.master, n)
                except OSError:  # no client has the port open right now
                    self._stop.wait(0.05)
        return b""

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw = fr.read_frame(self._read)
            except FrameError:
                continue
            if not raw:
                continue
            try:
                request = fr.parse_request(raw)
            except FrameError as exc:
                self._send(fr.build_response(0x10 if exc.code == "frame_checksum" else 0x11))
                continue
            key = (request.cmd, request.para)
            self.commands.append(key)
            fault = self._take_fault(key)
            answer = self._answer(key, fault)
            if fault is not None:
                if fault.silent:
                    continue
                if fault.bad_checksum:
                    answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
                if fault.truncate:
                    answer = answer[:len(answer) // 2]
            self._send(answer)

    def _take_fault(self, key: tuple[int, int]) -> Fault | None:
        with self._lock:
            if self._faults and self._faults[0].cmd in (None, key):
                return self._faults.popleft()
        return None

    def _answer(self, key: tuple[int, int], fault: Fault | None) -> bytes:
        if fault is not None and fault.sw3 is not None:
            return fr.build_response(fault.sw3)
        with self._lock:
            person, found = self._person, self._found
            if key == fr.FIND_CARD:
                if person is not None and not found:
                    self._found = True
                    return fr.build_response(0x9F, bytes(4))
                return fr.build_response(0x80)
            if key == fr.SELECT_CARD:
                return fr.build_response(0x90, bytes(8)) if person is not None and found else fr.build_response(0x81)
        if key in (fr.RESET_SAM, fr.SAM_STATUS):
            return fr.build_response(0x90)
        if key == fr.READ_SAM_ID:
            return fr.build_response(0x90, bytes.fromhex("0501000020221123000000010000000A"))
        if key in (fr.READ_TEXT_PHOTO, fr.READ_TEXT_PHOTO_FINGERPRINT):
            if person is None or not found:
                return fr.build_response(0x41)
            fp = b"" if key == fr.READ_TEXT_PHOTO_FINGERPRINT else None
            return fr.build_response(0x90, fr.build_read_data(person.text_block(), person.photo, fp))
        return fr.build_response(0x21)

    def _send(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError as exc:
            log.debug("simulated SAM could not answer: %s", exc)
