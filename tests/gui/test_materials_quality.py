"""The quality gate in the window's materials step: a flagged page shows its reason, blocks the next
step until it is rescanned with one key (R) or kept with the clerk's reason (A), which is audited
with the case."""
from __future__ import annotations

import os

import pytest
from PIL import Image

from tests.gui.flow_steps import reach_materials


def black_png(path):
    Image.new("L", (1654, 2339), 0).save(path, dpi=(200, 200))
    return path


def test_a_black_page_is_flagged_and_kept_only_with_an_audited_reason(qtbot, tmp_path, sim_window):
    from sqlalchemy import select

    from houshi_desk.store.models_users import AuditEntryRow

    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    m.table.setCurrentCell(0, 0)
    code = m.current_code()
    m.import_file([str(black_png(tmp_path / "black.png"))])
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1, timeout=15000)
    assert m.table.item(0, 3).text() == "质量未通过" and "全黑" in m.table.item(0, 3).toolTip()
    assert m.quality_bar.isVisibleTo(m) and "全黑" in m.quality_label.text() and "按 R 重新扫描" in m.quality_label.text()
    dlg.go_next()
    assert dlg.current_key() == "materials", "a flagged page without a reason does not pass"
    assert not m.accept_quality(code, " ")  # an empty reason is no reason (a warning box, patched below)
    assert m.accept_quality(code, "家属只带来黑底复印件，原件已核对")
    assert m.check() is None and m.table.item(0, 3).text() != "质量未通过"
    dlg.go_next()
    with qtbot.waitSignal(dlg.case_created, timeout=60000) as created:
        dlg.go_next()
    number = created.args[0]
    with ctx.store.session() as s:
        details = [e.detail for e in s.execute(select(AuditEntryRow).where(
            AuditEntryRow.case_number == number, AuditEntryRow.action == "quality_accept")).scalars()]
    assert len(details) == 1 and code in details[0] and "black" in details[0] and "原件已核对" in details[0]


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)


def test_one_key_rescan_replaces_a_flagged_scan(qtbot, sim_window):
    if not os.environ.get("SANE_CONFIG_DIR"):
        pytest.skip(reason="SANE_CONFIG_DIR is not set: the SANE test backend is not configured (packaging/services.sh)")
    ctx, window, reader = sim_window
    ctx.scanners = []
    ctx.settings.set("scanning.device", "test:0")
    ctx.settings.set("scanning.resolution", 75)
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    m.table.setCurrentCell(1, 0)
    code = m.current_code()
    m.scan()
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1, timeout=60000)
    assert "75 dpi" in m.quality_label.text() and m.pending_quality(code)
    ctx.settings.set("scanning.resolution", 200)  # the clerk sets the scanner right ...
    m.table.setFocus()
    qtbot.keyClick(m.table, "R")  # ... and rescans with one key
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1 and not m.quality.get(code), timeout=60000)
    assert m.check() is None and not m.quality_bar.isVisibleTo(m)
    assert m.states[code].value == "scanned"
    dlg.has_input = lambda: False


def test_the_camera_window_flags_a_bad_frame_at_once_and_r_retakes_it(qtbot):
    from PIL import ImageFilter
    from PySide6.QtCore import Qt

    from houshi_desk.gui.camera import CameraSource
    from houshi_desk.gui.camera_dialog import CameraDialog
    from houshi_desk.scanning.synthetic import a4_page

    cam = CameraDialog(CameraSource(), "死亡证明")
    qtbot.addWidget(cam)
    cam.take_frame(a4_page(200, seed=3, desk_mm=10, mode="RGB"))  # a good sheet on the desk
    assert "未通过" not in cam.status.text() and " — " not in cam.list.item(0).text()
    cam.take_frame(a4_page(200, seed=4, desk_mm=10, mode="RGB").filter(ImageFilter.GaussianBlur(4)))
    assert "模糊" in cam.list.item(1).text() and "按 R 重拍" in cam.status.text()
    with qtbot.waitActive(cam):
        cam.show()
        cam.activateWindow()
    qtbot.keyClick(cam, Qt.Key.Key_R)
    assert len(cam.pages) == 1 and cam.list.count() == 1
