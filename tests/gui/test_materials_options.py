"""The window stores pages the way the office set it (issue 19): ``scanning.mode = "color"`` keeps a
death certificate's red seal red (it was stored in gray whatever the setting said), and
``scanning.quality = "archival"`` keeps 300 dpi where standard stores 200."""
from __future__ import annotations

import io

import pytest

from tests.gui.flow_steps import reach_materials


def _red_pixels(data: bytes) -> int:
    import numpy as np
    from PIL import Image

    im = Image.open(io.BytesIO(data)).convert("RGB")
    im.thumbnail((600, 600))
    a = np.asarray(im).astype(int)
    return int(((a[..., 0] > 150) & (a[..., 1] < 110) & (a[..., 2] < 110)).sum())


def _import(qtbot, sim_window, path):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_materials(qtbot, dlg, reader)
    m = dlg.materials
    m.table.setCurrentCell(0, 0)
    code = m.current_code()
    m.import_file([str(path)])
    qtbot.waitUntil(lambda: len(m.pages.get(code, [])) == 1, timeout=30000)
    page = m.pages[code][0]
    dlg.has_input = lambda: False
    return page


@pytest.fixture
def certificate(tmp_path):
    from houshi_desk.scanning.synthetic import death_certificate

    im, _lines = death_certificate(300, seed=3, skew=0.8, noise=False)
    path = tmp_path / "death-certificate.png"
    im.save(path, dpi=(300, 300))
    return path


def test_colour_mode_keeps_the_red_seal(qtbot, sim_window, certificate):
    ctx = sim_window[0]
    ctx.settings.set("scanning.mode", "color")
    page = _import(qtbot, sim_window, certificate)
    assert _red_pixels(page.data) > 200, "the seal lost its colour"
    assert page.dpi == 200 and page.size <= 300 * 1024


def test_gray_mode_and_archival_quality(qtbot, sim_window, certificate):
    ctx = sim_window[0]
    ctx.settings.set("scanning.mode", "gray")
    ctx.settings.set("scanning.quality", "archival")
    page = _import(qtbot, sim_window, certificate)
    assert _red_pixels(page.data) == 0
    assert page.dpi == 300 and page.size <= 450 * 1024


def test_archival_asks_the_scanner_for_300_dpi(settings):
    from houshi_desk.scanning.pipeline import PipelineOptions

    settings.set("scanning.resolution", 150)
    assert PipelineOptions.scan_resolution(settings) == 150  # as set: the quality gate judges a coarse scan
    settings.set("scanning.quality", "archival")
    assert PipelineOptions.scan_resolution(settings) == 300
    opts = PipelineOptions.for_settings(settings, mode="color")
    assert (opts.mode, opts.max_dpi) == ("color", 300)
