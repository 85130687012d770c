"""Real SANE (test backend, test-owned config dir from packaging/services.sh) through the worker
process: a scan ends as an attached encrypted page; feeder runs; cancel; a killed driver; I/O
errors; nothing partial is ever attached."""
from __future__ import annotations

import io
import os
import signal
import threading

import pypdf
import pytest
from PIL import Image

from houshi_desk.scanning.attach import attach_pages, find_material
from houshi_desk.scanning.errors import DeviceLost, DeviceNotFound, FeederEmpty, ScanCancelled, ScanError
from houshi_desk.scanning.export import material_pdf
from houshi_desk.scanning.sane_source import SaneSource
from houshi_desk.scanning.source import ScanRequest, ScanSource

SLOW = {"read_delay": True, "read_delay_duration": 200000}  # 0.2 s per 32 KB buffer


@pytest.fixture
def scanner(sane_env):
    s = SaneSource("test:0")
    yield s
    s.close()


def test_is_a_scan_source_and_lists_test_devices(scanner):
    assert isinstance(scanner, ScanSource)
    names = [d.name for d in scanner.devices()]
    assert "test:0" in names


def test_scan_from_test0_ends_as_an_attached_encrypted_page(store, filestore, case_number, scanner):
    pages = scanner.scan(ScanRequest(resolution=150, mode="gray", options={"test_picture": "Grid"}))
    assert len(pages) == 1 and pages[0].dpi == 150 and pages[0].image.size == (1181, 1181)
    with store.session() as s:
        attach_pages(s, filestore, case_number, "death_cert_medical", pages, scanner.name)
    with store.session() as s:
        m = find_material(s, case_number, "death_cert_medical")
        assert m.state == "scanned" and len(m.files) == 1
        f = m.files[0]
        assert f.source == "sane:test:0" and f.dpi == 150
        raw = filestore.path(f.sha256).read_bytes()
        plain = filestore.get(f.sha256)
        assert plain[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0") and raw[:4] == b"HDF1" and plain not in raw
        assert Image.open(io.BytesIO(plain)).size == (f.width, f.height)
        assert len(pypdf.PdfReader(io.BytesIO(material_pdf(s, filestore, m))).pages) == 1


def test_feeder_run_of_ten_pages(sqlite_store, filestore, sqlite_case, scanner):
    seen = []
    pages = scanner.scan(ScanRequest(resolution=75, feeder=True), on_page=seen.append)
    assert len(pages) == 10 and [p.index for p in seen] == list(range(10))
    with sqlite_store.session() as s:
        attach_pages(s, filestore, sqlite_case, "household_register", pages, scanner.name)
    with sqlite_store.session() as s:
        m = find_material(s, sqlite_case, "household_register")
        assert [f.page_no for f in m.files] == list(range(1, 11))
        assert len(pypdf.PdfReader(io.BytesIO(material_pdf(s, filestore, m))).pages) == 10


def test_feeder_running_empty_mid_run_attaches_nothing(sqlite_store, filestore, sqlite_case, scanner):
    with pytest.raises(FeederEmpty) as e:
        scanner.scan(ScanRequest(resolution=75, feeder=True, pages=12))
    assert "第 10 页后没纸" in e.value.message and len(e.value.pages) == 10
    with sqlite_store.session() as s:
        assert find_material(s, sqlite_case, "household_register").files == []


def test_cancel_mid_scan(scanner):
    threading.Timer(0.4, scanner.cancel).start()
    with pytest.raises(ScanCancelled) as e:
        scanner.scan(ScanRequest(resolution=300, options=SLOW))
    assert "已取消" in e.value.message and e.value.pages == []
    assert len(scanner.scan(ScanRequest(resolution=75))) == 1  # the scanner is usable again


def test_cancel_mid_feeder_run_keeps_nothing(scanner):
    got = []

    def on_page(p):
        got.append(p)
        if len(got) == 2:
            scanner.cancel()

    with pytest.raises(ScanCancelled) as e:
        scanner.scan(ScanRequest(resolution=75, feeder=True), on_page=on_page)
    assert len(e.value.pages) < 10


def test_driver_crash_is_a_clear_error_and_the_app_lives(sqlite_store, filestore, sqlite_case, scanner):
    with sqlite_store.session() as s:
        attach_pages(s, filestore, sqlite_case, "bank_card", scanner.scan(ScanRequest(resolution=75)), scanner.name)
    first_pid = scanner.worker_pid
    threading.Timer(0.4, lambda: os.kill(first_pid, signal.SIGKILL)).start()
    with pytest.raises(DeviceLost) as e:
        scanner.scan(ScanRequest(resolution=300, options=SLOW))
    assert "驱动程序异常退出" in e.value.message
    with sqlite_store.session() as s:  # what was attached before is still there
        assert len(find_material(s, sqlite_case, "bank_card").files) == 1
    assert len(scanner.scan(ScanRequest(resolution=75))) == 1
    assert scanner.worker_pid != first_pid


def test_unplugged_scanner_io_error(scanner):
    with pytest.raises(DeviceLost) as e:
        scanner.scan(ScanRequest(resolution=75, options={"read_return_value": "SANE_STATUS_IO_ERROR"}))
    assert "通信中断" in e.value.message
    assert len(scanner.scan(ScanRequest(resolution=75))) == 1  # options do not leak into the next scan


@pytest.mark.parametrize("status,words", [
    ("SANE_STATUS_JAMMED", "卡纸"),
    ("SANE_STATUS_COVER_OPEN", "盖"),
    ("SANE_STATUS_NO_DOCS", "没有纸"),
    ("SANE_STATUS_DEVICE_BUSY", "其他程序"),
])
def test_scanner_status_messages(scanner, status, words):
    with pytest.raises(ScanError) as e:
        scanner.scan(ScanRequest(resolution=75, options={"read_return_value": status}))
    assert words in e.value.message


def test_unknown_device(sane_env):
    with SaneSource("nosuch:0") as s, pytest.raises(DeviceNotFound) as e:
        s.scan(ScanRequest(resolution=75))
    assert "nosuch:0" in e.value.message


def test_600_dpi_colour_is_stored_reduced(sqlite_store, filestore, sqlite_case, scanner):
    pages = scanner.scan(ScanRequest(resolution=600, mode="color", options={"test_picture": "Color pattern"}))
    assert pages[0].image.mode == "RGB" and pages[0].image.size == (4724, 4724)
    with sqlite_store.session() as s:
        (row,) = attach_pages(s, filestore, sqlite_case, "relationship_proof", pages, scanner.name,
                              options=__import__("houshi_desk.scanning.pipeline", fromlist=["x"]).PipelineOptions(mode="color"))
        assert row.dpi == 200 and row.width == 1575


def test_scanner_unplugged_mid_feeder_run_attaches_nothing(sqlite_store, filestore, sqlite_case, scanner):
    """The driver process dies after the third page of a feeder run (as when the USB cable is pulled
    and the driver crashes): a clear message, the pages so far travel in the error, nothing attached."""
    def on_page(p):
        if p.index == 2:
            os.kill(scanner.worker_pid, signal.SIGKILL)

    with pytest.raises(DeviceLost) as e:
        scanner.scan(ScanRequest(resolution=75, feeder=True,
                                 options={"read_delay": True, "read_delay_duration": 20000}), on_page=on_page)
    assert 3 <= len(e.value.pages) < 10 and "没有保存" in e.value.message
    with sqlite_store.session() as s:
        m = find_material(s, sqlite_case, "household_register")
        assert m.files == [] and m.state == "missing"
