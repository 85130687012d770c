"""``houshi-desk scan``: to a file, into a case's material, import, export; errors exit 2 with Chinese."""
from __future__ import annotations

import pypdf
import pytest
from PIL import Image

from houshi_desk.cli import main
from houshi_desk.scanning.attach import find_material

from .conftest import CASE_NUMBER, make_case
from .pages import encoded, multipage_tiff, small_page


@pytest.fixture
def case_home(sqlite_store, logged_in):
    make_case(sqlite_store)
    sqlite_store.close()  # the command opens its own
    return sqlite_store


def test_scan_to_pdf_file(sane_env, tmp_path, capsys, home, logged_in):
    out = tmp_path / "run.pdf"
    assert main(["scan", "--source", "test:0", "--out", str(out), "--resolution", "100", "--feeder"]) == 0
    assert len(pypdf.PdfReader(out).pages) == 10
    assert "已保存 10 页" in capsys.readouterr().out


@pytest.mark.parametrize("mode,pil_mode", [("gray", ("L", "P")), ("lineart", ("1",)), ("color", ("RGB",))])
def test_scan_to_image_file_in_each_mode(sane_env, tmp_path, home, logged_in, mode, pil_mode):
    out = tmp_path / "p.png"
    assert main(["scan", "--source", "test:0", "--out", str(out), "--resolution", "100", "--mode", mode]) == 0
    assert Image.open(out).mode in pil_mode


def test_scan_into_a_case(sane_env, case_home, capsys):
    assert main(["scan", "--source", "test:0", "--resolution", "100", "--case", CASE_NUMBER,
                 "--material", "death_cert_medical", "--accept-quality", "测试：100 dpi 页面"]) == 0
    assert "已加密" in capsys.readouterr().out
    from houshi_desk.store.db import open_store

    store = open_store()
    with store.session() as s:
        m = find_material(s, CASE_NUMBER, "death_cert_medical")
        assert m.state == "scanned" and len(m.files) == 1
    store.close()


def test_import_and_export(case_home, tmp_path, capsys):
    f1, f2 = tmp_path / "a.jpg", tmp_path / "b.tif"
    f1.write_bytes(encoded(small_page(0), "JPEG"))
    f2.write_bytes(multipage_tiff(2))
    assert main(["scan", "--import", str(f1), str(f2), "--case", CASE_NUMBER, "--material", "household_register",
                 "--accept-quality", "测试：100 dpi 页面"]) == 0
    assert "已保存 3 页" in capsys.readouterr().out
    out = tmp_path / "hr.pdf"
    assert main(["scan", "--export", "--case", CASE_NUMBER, "--material", "household_register", "--out", str(out)]) == 0
    assert len(pypdf.PdfReader(out).pages) == 3


def test_bad_import_exits_2_with_a_clear_message_and_saves_nothing(case_home, tmp_path, capsys):
    bad = tmp_path / "empty.jpg"
    bad.write_bytes(b"")
    assert main(["scan", "--import", str(bad), "--case", CASE_NUMBER, "--material", "bank_card"]) == 2
    assert "空文件" in capsys.readouterr().err
    assert main(["scan", "--import", str(bad), "--case", CASE_NUMBER, "--material", "no_such"]) == 2


def test_missing_arguments(home, logged_in, capsys):
    assert main(["scan", "--source", "test:0"]) == 2
    assert "--out" in capsys.readouterr().err


def test_collect_keeps_referenced_and_young_files(case_home, tmp_path, capsys):
    f = tmp_path / "a.png"
    f.write_bytes(encoded(small_page(0), "PNG"))
    assert main(["scan", "--import", str(f), "--case", CASE_NUMBER, "--material", "bank_card",
                 "--accept-quality", "测试：100 dpi 页面"]) == 0
    assert main(["scan", "--collect"]) == 0
    assert "已清理 0 个" in capsys.readouterr().out
