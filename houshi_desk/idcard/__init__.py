"""Reading Chinese ID cards (居民身份证, 港澳台居民居住证, 外国人永久居留身份证 2017/2023). No Qt.

Layers: :mod:`frame` (SAM frame codec) and :mod:`text_block` (the 256-byte text block) turn bytes
into an :class:`~houshi_desk.domain.identity.IdentityDocument`; transports behind the
:class:`CardReader` protocol (PC/SC, serial SAM, vendor SDK, simulated) fetch the bytes; the
:class:`CardWatcher` thread publishes frozen events. :class:`VirtualCard` (behind the real pcscd)
and :class:`SimulatedSam` (on a pty) stand in for hardware in the demo and the tests.
Transport modules that need pyscard, pyserial or ctypes libraries are imported on first use.
"""
from __future__ import annotations

from houshi_desk.idcard.errors import (CardDataError, CardError, CardRemovedError, FrameError, NoSamError,
                                       ReaderError, SamStatusError)
from houshi_desk.idcard.events import (CardEvent, CardInserted, CardRead, CardRemoved, ReaderAdded,
                                       ReaderRemoved, ReadFailed, ServiceProblem)
from houshi_desk.idcard.frame import parse_read_frame, parse_response
from houshi_desk.idcard.parse import parse_read_bytes
from houshi_desk.idcard.persons import SyntheticPerson, load_person, load_persons
from houshi_desk.idcard.photo import Photo, photo_for, photo_png, placeholder_png
from houshi_desk.idcard.reader import CardReader, SlotChange
from houshi_desk.idcard.simulated import SIMULATED_READER_NAME, SimulatedReader
from houshi_desk.idcard.text_block import encode_text_block, parse_text_block
from houshi_desk.idcard.watcher import CardWatcher

_LAZY = {
    "PcscReader": "houshi_desk.idcard.pcsc_reader",
    "SerialSamReader": "houshi_desk.idcard.serial_reader",
    "SdtapiReader": "houshi_desk.idcard.sdk_reader",
    "TermbReader": "houshi_desk.idcard.sdk_reader",
    "sdk_reader": "houshi_desk.idcard.sdk_reader",
    "VirtualCard": "houshi_desk.idcard.virtual_card",
    "SimulatedSam": "houshi_desk.idcard.sam_simulator",
    "reader_from_settings": "houshi_desk.idcard.factory",
    "pcsc_available": "houshi_desk.idcard.factory",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "CardDataError", "CardError", "CardRemovedError", "FrameError", "NoSamError", "ReaderError", "SamStatusError",
    "CardEvent", "CardInserted", "CardRead", "CardRemoved", "ReaderAdded", "ReaderRemoved", "ReadFailed",
    "ServiceProblem", "parse_read_frame", "parse_response", "parse_read_bytes", "SyntheticPerson", "load_person",
    "load_persons", "Photo", "photo_for", "photo_png", "placeholder_png", "CardReader", "SlotChange", "SIMULATED_READER_NAME",
    "SimulatedReader", "encode_text_block", "parse_text_block", "CardWatcher", *_LAZY,
]
