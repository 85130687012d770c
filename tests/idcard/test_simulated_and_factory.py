"""The in-process 模拟读卡器 (demo without pcscd), reader choice from settings, and the package
staying free of Qt."""
from __future__ import annotations

import subprocess
import sys

import pytest

from houshi_desk.idcard.errors import ReaderError
from houshi_desk.idcard.events import CardInserted, CardRead, CardRemoved, ReaderAdded
from houshi_desk.idcard.factory import reader_from_settings
from houshi_desk.idcard.simulated import SIMULATED_READER_NAME, SimulatedReader
from houshi_desk.idcard.watcher import CardWatcher


def test_simulated_reader_insert_remove(persons, events):
    reader = SimulatedReader()
    with CardWatcher(reader, events, wait_timeout=5.0):
        assert events.next() == ReaderAdded(reader=SIMULATED_READER_NAME, at=events.all[-1].at)
        reader.insert(persons["deceased"])
        assert isinstance(events.next(1.0), CardInserted)
        read = events.next(1.0)
        assert isinstance(read, CardRead) and read.document.name == "测试"
        assert [p.code for p in read.problems_for("deceased")] == []
        reader.remove()
        assert isinstance(events.next(1.0), CardRemoved)
        reader.insert(persons["applicant"])
        reader.insert(persons["foreign_2023"])  # swapped before the watcher looked: one new card
        kinds = [type(events.next(1.0)).__name__ for _ in range(2)]
        assert kinds == ["CardInserted", "CardRead"]
        assert events.all[-1].document.name == "样本约翰"


def test_simulated_reader_accepts_a_sample_key_and_a_document(persons):
    reader = SimulatedReader()
    reader.insert("hmt_permit")
    assert reader.read_card(reader.name).pass_number == "H12345678"
    reader.insert(persons["foreign_2017"].document)
    assert reader.read_card(reader.name).nationality == "CAN"


class _Settings(dict):
    def get(self, key):
        return dict.get(self, key, "")

    def __getattr__(self, name):  # settings are read as attributes (idcard_transport → idcard.transport)
        return self.get(name.replace("_", ".", 1))


def test_factory_follows_the_transport_setting(tmp_path, sam):
    from houshi_desk.idcard.pcsc_reader import PcscReader
    from houshi_desk.idcard.serial_reader import SerialSamReader

    assert isinstance(reader_from_settings(_Settings({"idcard.transport": "pcsc", "idcard.reader": "X"})), PcscReader)
    r = reader_from_settings(_Settings({"idcard.transport": "auto", "idcard.serial_port": sam.port}))
    assert isinstance(r, SerialSamReader)
    with pytest.raises(ReaderError) as exc:
        reader_from_settings(_Settings({"idcard.transport": "none"}))
    assert exc.value.code == "reading_off"
    with pytest.raises(ReaderError) as exc:
        reader_from_settings(_Settings({"idcard.transport": "serial"}))
    assert exc.value.code == "serial_port_missing"
    with pytest.raises(ReaderError) as exc:
        reader_from_settings(_Settings({"idcard.transport": "sdk", "idcard.sdk_library": str(tmp_path / "x.so")}))
    assert exc.value.code == "sdk_load"


def test_factory_reads_the_real_settings_file(tmp_path, monkeypatch, sam):
    from houshi_desk.idcard.serial_reader import SerialSamReader

    monkeypatch.setenv("HOUSHI_DESK_HOME", str(tmp_path))
    (tmp_path / "settings.toml").write_text(f'[idcard]\ntransport = "serial"\nserial_port = "{sam.port}"\n')
    assert isinstance(reader_from_settings(), SerialSamReader)


def test_idcard_package_never_imports_qt():
    code = ("import sys; sys.modules['PySide6'] = None\n"
            "import houshi_desk.idcard as i, houshi_desk.commands.idcard\n"
            "for n in ('PcscReader','SerialSamReader','SdtapiReader','VirtualCard','SimulatedSam','reader_from_settings'):"
            " getattr(i, n)\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules if sys.modules[m] is not None)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_events_are_frozen(persons):
    import dataclasses

    from houshi_desk.idcard.events import CardRead

    ev = CardRead(reader="r", document=persons["deceased"].document)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.reader = "x"
    assert hash(CardInserted(reader="r", at=1.0)) == hash(CardInserted(reader="r", at=1.0))
