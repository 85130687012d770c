"""Fixtures for the ID card tests: the real pcscd + vpcd (found through HOUSHI_TEST_VPCD_PORT),
virtual cards that are always lifted again, a simulated SAM on a real pty, and test libraries
compiled with the system C compiler for the vendor-SDK and photo-decoder paths."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from houshi_desk.idcard.persons import load_persons

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def persons():
    return load_persons()


@pytest.fixture(scope="session")
def vpcd_port() -> int:
    port = os.environ.get("HOUSHI_TEST_VPCD_PORT")
    if not port:
        pytest.skip("HOUSHI_TEST_VPCD_PORT is not set: pcscd with vsmartcard-vpcd is not running "
                    "(start it with packaging/services.sh)")
    return int(port)


def reader_name_for(port: int) -> str:
    # vpcd's readers are numbered by port: 35963 → "Virtual PCD 00 00", 35964 → "Virtual PCD 00 01"
    return f"Virtual PCD 00 {port - 35963:02d}"


@pytest.fixture
def vpcd_reader(vpcd_port) -> str:
    return reader_name_for(vpcd_port)


@pytest.fixture
def virtual_card(vpcd_port):
    """``virtual_card(person, **kw)`` makes an inserted card; all are removed after the test."""
    from houshi_desk.idcard.virtual_card import VirtualCard

    made = []

    def make(person, insert: bool = True, **kw):
        card = VirtualCard(person, vpcd_port, **kw)
        made.append(card)
        return card.insert() if insert else card

    yield make
    for card in made:
        card.remove()
    time.sleep(0.45)  # let pcscd see the card gone before the next test starts


class EventLog:
    """Events from a watcher, collected on its thread, awaited on the test's."""

    def __init__(self):
        self.q: queue.Queue = queue.Queue()
        self.all: list = []

    def __call__(self, event) -> None:
        self.q.put(event)

    def next(self, timeout: float = 5.0):
        try:
            ev = self.q.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s; seen so far: {self.names()}") from None
        self.all.append(ev)
        return ev

    def wait_for(self, kind, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while True:
            ev = self.next(max(deadline - time.monotonic(), 0.01))
            if isinstance(ev, kind):
                return ev

    def drain(self, quiet: float = 0.3) -> list:
        out = []
        while True:
            try:
                ev = self.q.get(timeout=quiet)
            except queue.Empty:
                return out
            self.all.append(ev)
            out.append(ev)

    def names(self) -> list[str]:
        return [type(e).__name__ for e in self.all]


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture
def sam():
    from houshi_desk.idcard.sam_simulator import SimulatedSam

    with SimulatedSam() as s:
        yield s


def _compile(tmp_root: Path, source: str, name: str) -> Path:
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler (cc/gcc) to build the test vendor library")
    out = tmp_root / name
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(out), str(HERE / source)], check=True)
    return out


@pytest.fixture(scope="session")
def fake_sdk_lib(tmp_path_factory) -> Path:
    return _compile(tmp_path_factory.mktemp("sdk"), "fake_sdk.c", "libfake_idcard_sdk.so")


@pytest.fixture(scope="session")
def fake_wlt_lib(tmp_path_factory) -> Path:
    return _compile(tmp_path_factory.mktemp("wlt"), "fake_wlt.c", "libfake_wlt2bmp.so")


@pytest.fixture(scope="session")
def golden_frame() -> bytes:
    """IDCARD.md's synthetic full read frame: 测试, female, 汉, 19491231, … 20200101–长期, zero photo."""
    from datetime import date

    from houshi_desk.domain.identity import CardType, IdentityDocument, Sex
    from houshi_desk.idcard import frame as fr
    from houshi_desk.idcard.text_block import encode_text_block

    doc = IdentityDocument(CardType.RESIDENT, "测试", "11010519491231002X", Sex.FEMALE, date(1949, 12, 31), "汉",
                           "北京市朝阳区测试路1号", "北京市公安局朝阳分局", date(2020, 1, 1), None)
    return fr.build_response(0x90, fr.build_read_data(encode_text_block(doc), bytes(1024)))
