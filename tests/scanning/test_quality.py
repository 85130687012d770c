"""The page quality gate (houshi_desk.scanning.quality) on real inputs: pages from the SANE test
device, files imported the way the clerk imports them, and generated certificate pages; and the gate
in ``houshi-desk scan``: a flagged page is refused (exit 2, the reasons, nothing saved) unless
``--accept-quality REASON`` is given, which is audited."""
from __future__ import annotations

import pytest
from PIL import Image, ImageFilter
from sqlalchemy import select

from houshi_desk.cli import main
from houshi_desk.scanning.attach import find_material, prepare
from houshi_desk.scanning.fileimport import read_path
from houshi_desk.scanning.pipeline import PipelineOptions
from houshi_desk.scanning.quality import REASONS, check_pages
from houshi_desk.scanning.synthetic import a4_page

from .conftest import CASE_NUMBER, make_case
from .pages import encoded


def gate(path, source="import", mode="gray"):
    """What the gate says about a file, imported as the clerk imports it."""
    raws = read_path(path)
    return check_pages(prepare(raws, PipelineOptions(mode=mode)), source, raws=raws)


def write(tmp_path, name, im, fmt="PNG", **kw):
    p = tmp_path / name
    p.write_bytes(encoded(im, fmt, **kw))
    return p


def only_flag(flagged):
    assert len(flagged) == 1, flagged
    return flagged[0][1]


def test_a_good_200_dpi_page_passes(tmp_path):
    assert gate(write(tmp_path, "good.png", a4_page(200, seed=2))) == []
    assert gate(write(tmp_path, "good.jpg", a4_page(200, seed=3, mode="RGB"), "JPEG", quality=85), mode="color") == []


def test_an_all_black_page_is_flagged(tmp_path):
    q = only_flag(gate(write(tmp_path, "black.png", Image.new("L", (1654, 2339), 0))))
    assert q.codes == ["black"] and "全黑" in q.text() and "重新扫描" in q.text()


def test_a_blank_page_is_flagged(tmp_path):
    blank = a4_page(200, lines=0)  # paper grain only, nothing written ...
    blank.paste(246, (0, 0, blank.width, blank.height))  # ... not even the title
    q = only_flag(gate(write(tmp_path, "blank.jpg", blank, "JPEG", quality=80)))
    assert q.codes == ["blank"] and "空白" in q.text()


def test_a_blurred_page_is_flagged(tmp_path):
    blurred = a4_page(200, seed=4).filter(ImageFilter.GaussianBlur(3))
    q = only_flag(gate(write(tmp_path, "blur.png", blurred)))
    assert q.codes == ["blur"] and "模糊" in q.text()


def test_a_100_dpi_page_is_flagged_with_its_effective_resolution(tmp_path):
    # the file says 200 dpi, but an A4 sheet 827 pixels wide is 100 dpi whatever the header says
    q = only_flag(gate(write(tmp_path, "low.jpg", a4_page(100, seed=5), "JPEG", dpi=(200, 200))))
    assert q.codes == ["dpi"] and "约 100 dpi" in q.text() and "200 dpi" in q.text()
    assert q.effective_dpi == 100


def test_too_dark_too_light_and_cut_off(tmp_path):
    page = a4_page(200, seed=6)
    dark = only_flag(gate(write(tmp_path, "dark.png", page.point(lambda v: int(v * 0.35)))))
    light = only_flag(gate(write(tmp_path, "light.png", page.point(lambda v: 180 + int(v * 0.3)))))
    cut = only_flag(gate(write(tmp_path, "cut.png", page.crop((300, 0, page.width, page.height)))))
    assert dark.codes == ["dark"] and "太暗" in dark.text()
    assert light.codes == ["light"] and "太浅" in light.text()
    assert "cut" in cut.codes and "左侧" in cut.text() and "截断" in cut.text()


def test_every_reason_is_a_chinese_sentence_that_says_what_to_do():
    for code, text in REASONS.items():
        assert text.endswith("。") and ("重新扫描" in text or "重拍" in text), code


# ------------------------------------------------------------------ real scanner (SANE test device)

def test_sane_test_device_pages(sane_env):
    from houshi_desk.scanning.sane_source import SaneSource
    from houshi_desk.scanning.source import ScanRequest

    with SaneSource("test:0") as s:
        good = s.scan(ScanRequest(resolution=200, mode="gray"))  # the colour pattern, not solid black
        black = s.scan(ScanRequest(resolution=200, options={"test_picture": "Solid black"}))
        low = s.scan(ScanRequest(resolution=75, mode="color"))
    assert check_pages(prepare(good), "sane:test:0", raws=good) == []
    assert only_flag(check_pages(prepare(black), "sane:test:0", raws=black)).codes == ["black"]
    assert "dpi" in only_flag(check_pages(prepare(low, PipelineOptions(mode="color")), "sane:test:0", raws=low)).codes


# ------------------------------------------------------------------ houshi-desk scan

@pytest.fixture
def case_home(sqlite_store, logged_in):
    make_case(sqlite_store)
    sqlite_store.close()  # the command opens its own
    return sqlite_store


def _material_and_audit(code):
    from houshi_desk.store.db import open_store
    from houshi_desk.store.models_users import AuditEntryRow

    store = open_store()
    try:
        with store.session() as s:
            m = find_material(s, CASE_NUMBER, code)
            entries = [(e.action, e.detail) for e in s.execute(
                select(AuditEntryRow).where(AuditEntryRow.case_number == CASE_NUMBER)).scalars()]
            return len(m.files), m.state, entries
    finally:
        store.close()


def test_cli_refuses_a_black_page_without_a_reason_and_audits_the_reason(case_home, tmp_path, capsys):
    black = write(tmp_path, "black.png", Image.new("L", (1654, 2339), 0))
    good = write(tmp_path, "good.png", a4_page(200, seed=7))
    argv = ["scan", "--import", str(good), str(black), "--case", CASE_NUMBER, "--material", "death_cert_medical"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "第 2 页" in err and "全黑" in err and "--accept-quality" in err and "第 1 页" not in err
    n, state, audit = _material_and_audit("death_cert_medical")
    assert n == 0 and state == "missing", "nothing is attached, not even the good page"
    assert main(argv + ["--accept-quality", "原件即为黑底复印件，已核对原件"]) == 0
    n, state, audit = _material_and_audit("death_cert_medical")
    assert n == 2 and state == "scanned"
    accepted = [d for a, d in audit if a == "quality_accept"]
    assert len(accepted) == 1 and "第 2 页（black）" in accepted[0] and "已核对原件" in accepted[0]


def test_cli_attaches_a_good_page_without_a_reason(case_home, tmp_path):
    good = write(tmp_path, "good.jpg", a4_page(200, seed=8), "JPEG", quality=85)
    assert main(["scan", "--import", str(good), "--case", CASE_NUMBER, "--material", "bank_card"]) == 0
    n, _, audit = _material_and_audit("bank_card")
    assert n == 1 and not [a for a, _ in audit if a == "quality_accept"]


def test_cli_scan_from_the_sane_test_device_passes_the_gate(sane_env, case_home):
    assert main(["scan", "--source", "test:0", "--resolution", "200", "--case", CASE_NUMBER,
                 "--material", "cremation_cert"]) == 0
    assert _material_and_audit("cremation_cert")[0] == 1
