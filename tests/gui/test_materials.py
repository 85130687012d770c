"""Materials in the new-case flow: a file imported (or a page scanned on the SANE test device) is
processed at once, attached when the case is saved, sent with it, and shown as a thumbnail."""
from __future__ import annotations

import io
import os

import pytest

from tests.gui.flow_steps import reach_materials


def page_png(path):
    from PIL import Image, ImageDraw

    im = Image.new("L", (1240, 1754), 255)
    d = ImageDraw.Draw(im)
    for y in range(200, 1500, 60):
        d.rectangle((150, y, 1100, y + 20), fill=0)
    im.save(path, dpi=(150, 150))
    return path


def test_imported_page_is_attached_sent_and_shown(qtbot, tmp_path, sim_window):
    from sqlalchemy import select

    from houshi_desk.store.models_sync import SyncOutboxRow

    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    m.table.setCurrentCell(0, 0)
    code = m.current_code()
    m.import_file([str(page_png(tmp_path / "page.png"))])
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1, timeout=15000)
    assert m.accept_quality(code, "测试页面只有 150 dpi")  # the quality gate flags it; the reason is audited
    assert m.table.item(0, 4).text() == "1"
    dlg.go_next()
    with qtbot.waitSignal(dlg.case_created, timeout=60000) as created:
        dlg.go_next()
    number = created.args[0]
    with ctx.store.session() as s:
        kinds = [r.kind for r in s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number)
                                           .order_by(SyncOutboxRow.seq)).scalars()]
    assert kinds[0] == "create_case" and "upload" in kinds and kinds[-1] == "submit"
    view = window.open_case(number)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    row = next(i for i, x in enumerate(view.snapshot.materials) if x["code"] == code)
    assert view.snapshot.materials[row]["state"] == "scanned"
    view.materials.setCurrentCell(row, 0)
    view._show_pages(row)
    qtbot.waitUntil(lambda: view.pages.count() == 1 and not view.pages.item(0).icon().isNull(), timeout=10000)


def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_lost(qtbot, tmp_path, sim_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG not really")
    dlg.materials.table.setCurrentCell(0, 0)
    dlg.materials.import_file([str(bad)])
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0] and "意外" not in shown[0]  # a sentence about the file, not a generic failure
    assert dlg.current_key() == "materials" and dlg.applicant.person.name.text() == "王测试"
    dlg.has_input = lambda: False


def test_scan_on_the_sane_test_device(qtbot, sim_window):
    if not os.environ.get("SANE_CONFIG_DIR"):
        pytest.skip(reason="SANE_CONFIG_DIR is not set: the SANE test backend is not configured (packaging/services.sh)")
    ctx, window, reader = sim_window
    ctx.scanners = []
    ctx.settings.set("scanning.device", "test:0")
    ctx.settings.set("scanning.resolution", 75)
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    assert m.actions["S"].isEnabled()
    m.table.setCurrentCell(1, 0)
    code = m.current_code()
    m.scan()
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) >= 1, timeout=60000)
    assert m.states[code].value == "scanned"
    dlg.has_input = lambda: False


def test_without_a_document_camera_the_clerk_gets_one_sentence(qtbot, sim_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    dlg.materials.table.setCurrentCell(0, 0)
    qtbot.keyClick(dlg.materials.table, "C")
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "没有找到高拍仪" in shown[0]
    assert dlg.current_key() == "materials"
    dlg.has_input = lambda: False


def test_a_camera_photo_is_cropped_to_the_paper_and_attached(qtbot, sim_window):
    """No camera exists here, so the frame is handed to the dialog the way QImageCapture would."""
    from PySide6.QtWidgets import QDialog

    from houshi_desk.scanning.synthetic import a4_page

    from houshi_desk.domain.case import MaterialState
    from houshi_desk.gui.camera import CameraSource
    from houshi_desk.gui.camera_dialog import CameraDialog

    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    m.table.setCurrentCell(1, 0)
    code = m.current_code()
    frame = a4_page(80, skew=4, desk_mm=30, mode="RGB")  # a skewed A4 sheet on a dark desk
    cam = CameraDialog(CameraSource(), "测试材料", m)
    qtbot.addWidget(cam)
    cam.take_frame(frame)
    assert len(cam.pages) == 1
    page = cam.pages[0].image
    assert page.width < frame.width * 0.85, "the desk around the paper is cropped away"
    assert 0.68 < page.width / page.height < 0.74  # A4 proportions
    m._camera_done(code, cam, QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1, timeout=15000)
    assert m.states[code] is MaterialState.SCANNED
    dlg.has_input = lambda: False


def test_camera_window_fits_the_counter_screen(qtbot):
    from houshi_desk.gui.camera import CameraSource
    from houshi_desk.gui.camera_dialog import CameraDialog

    cam = CameraDialog(CameraSource(), "居民死亡医学证明（推断）书")
    qtbot.addWidget(cam)
    cam.adjustSize()
    assert cam.width() <= 1366 and cam.height() <= 768
