"""A virtual ID card for the real PC/SC stack: a TCP client of ``vsmartcard-vpcd`` inside pcscd.

It answers the pseudo-APDU dialect (``resources/idcard/pcsc_dialect.toml``) with a synthetic
person, like an integrated reader that exposes the decoded card. ``insert()`` connects (pcscd sees
the card ~0.2 s later), ``remove()`` disconnects. ``mode="plain"`` plays an ID card on a reader
*without* a SAM (only the chip serial answers); ``pull_after_apdus=N`` pulls the card out after
answering N APDUs, to test a card lifted mid-read; ``answer_delay`` slows the
answers after the first so a test can take the reader away mid-read.

vpcd protocol: each message is a 2-byte big-endian length + payload; a 1-byte payload is control
(00 power off, 01 power on, 02 reset, 04 get ATR → reply ATR); longer ones are APDUs → data + SW.
"""
from __future__ import annotations

import logging
import socket
import threading
import time

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard.dialect import Dialect, default_dialect
from houshi_desk.idcard.persons import SyntheticPerson, as_person

log = logging.getLogger(__name__)

DEFAULT_PORT = 35963


def _atr(historical: bytes) -> bytes:
    # PC/SC part 3 ATR of a contactless card: 3B 8n 80 01 <historical bytes> TCK
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


DECODED_ATR = _atr(b"HSIDCARD")  # what our virtual integrated reader shows
PLAIN_ATR = _atr(bytes.fromhex("0000000000718171"))  # a Type B card on a reader without SAM
SW_OK = b"\x90\x00"
SW_NOT_SUPPORTED = b"\x6a\x81"
SW_INS_UNKNOWN = b"\x6d\x00"


class VirtualCard:
    def __init__(self, person: SyntheticPerson | IdentityDocument | str, port: int = DEFAULT_PORT,
                 host: str = "127.0.0.1", *, mode: str = "decoded", dialect: Dialect | None = None,
                 pull_after_apdus: int | None = None, answer_delay: float = 0.0, chip_serial: bytes = bytes.fromhex("0123456789ABCDEF")):
        if mode not in ("decoded", "plain"):
            raise ValueError(mode)
        self.person = as_person(person)
        self.host, self.port, self.mode = host, port, mode
        self.dialect = dialect or default_dialect()
        self.pull_after_apdus = pull_after_apdus
        self.answer_delay = answer_delay  # seconds before answering each APDU after the first
        self.chip_serial = chip_serial
        self.apdus_seen = 0
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._answers = self._build_answers()

    def _build_answers(self) -> dict[bytes, bytes]:
        if self.mode == "plain":
            return {self.dialect.chip_serial_apdu: self.chip_serial[:8] + SW_OK}
        text = self.person.text_block()
        photo = self.person.photo or b""
        t = self.dialect.text
        prefix = (len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")).ljust(t.offset, b"\0")[:t.offset]
        answers = {t.apdu: prefix + text[:t.length] + SW_OK}
        pos = 0
        for piece in self.dialect.photo:
            answers[piece.apdu] = bytes(piece.offset) + photo[pos:pos + piece.length] + SW_OK
            pos += piece.length
        return answers

    @property
    def atr(self) -> bytes:
        return DECODED_ATR if self.mode == "decoded" else PLAIN_ATR

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def insert(self) -> "VirtualCard":
        """Put the card on the reader (connect to vpcd); ``ConnectionError`` when vpcd is not there."""
        with self._lock:
            if self.inserted:
                return self
            sock = socket.create_connection((self.host, self.port), timeout=5)
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self.apdus_seen = 0
            self._thread = threading.Thread(target=self._serve, args=(sock,), name="virtual-id-card", daemon=True)
            self._thread.start()
        return self

    def remove(self, wait: float = 2.0) -> None:
        """Lift the card off the reader (disconnect)."""
        with self._lock:
            sock, thread = self._sock, self._thread
            self._sock = None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def __enter__(self) -> "VirtualCard":
        return self.insert()

    def __exit__(self, *exc) -> None:
        self.remove()

    # -----------------------------------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                head = _recv_exact(sock, 2)
                if head is None:
                    return
                payload = _recv_exact(sock, int.from_bytes(head, "big"))
                if payload is None:
                    return
                reply = self._answer(payload)
                if reply is not None:
                    sock.sendall(len(reply).to_bytes(2, "big") + reply)
                if self.pull_after_apdus is not None and self.apdus_seen >= self.pull_after_apdus:
                    return  # the card leaves the field between two APDUs
        except OSError as exc:
            log.debug("virtual card connection ended: %s", exc)
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            return self.atr if payload[0] == 0x04 else None
        self.apdus_seen += 1
        if self.answer_delay and self.apdus_seen > 1:
            time.sleep(self.answer_delay)  # a slow card: time for a test to pull the reader mid-read
        answer = self._answers.get(bytes(payload))
        if answer is not None:
            return answer
        return SW_NOT_SUPPORTED if self.mode == "plain" else SW_INS_UNKNOWN


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        # vpcd writes length and payload in two send() calls; without QUICKACK, Nagle on its side
        # and delayed ACK on ours cost ~44 ms per APDU (REAL_COMPONENTS.md).
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except (OSError, AttributeError):
            pass
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf
