"""A card read by the reader marks its own material 已核验原件 (issue 16 item 6): it counts as
received, so it is not listed as 缺, and the state reaches the case and the platform payload."""
from __future__ import annotations

from houshi_desk.domain.case import MaterialState
from tests.gui.flow_steps import reach_materials


def test_ids_read_by_the_reader_are_verified_originals(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    states = dlg.materials.material_states()
    assert states["applicant_id_card"] is MaterialState.VERIFIED
    assert states["deceased_id_card"] is MaterialState.VERIFIED
    assert MaterialState.VERIFIED.satisfied and MaterialState.VERIFIED.label == "已核验原件"
    rows = {dlg.materials.table.item(r, 0).data(0x0100) or dlg.materials.table.item(r, 0).text(): r
            for r in range(dlg.materials.table.rowCount())}
    texts = [" ".join(dlg.materials.table.item(r, c).text() for c in range(dlg.materials.table.columnCount())
                      if dlg.materials.table.item(r, c)) for r in rows.values()]
    assert any("已核验原件" in t for t in texts), texts
    case = dlg.build_case()
    assert {m.code: m.state for m in case.materials}["deceased_id_card"] is MaterialState.VERIFIED
    dlg.has_input = lambda: False
