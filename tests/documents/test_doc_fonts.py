"""Fonts: an embeddable TrueType CJK font is found; a CFF font is rejected by name; rare characters
come from a fallback font or print as □ and are reported — never silently dropped."""
from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from doc_pdf import OFFICE, pdf_fonts, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import fonts, render_document

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
NOTO_CFF = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _have(path: str) -> str:
    if not os.path.isfile(path):
        pytest.skip(f"font {path} not installed (Debian fonts-arphic-uming / fonts-wqy-microhei / fonts-noto-cjk)")
    return path


def test_discovery_finds_an_embeddable_font():
    name = fonts.cjk_font("")
    fs = fonts.font_set("")
    assert name == fs.main
    fonts.check_embeddable(fs.files[0])  # does not raise
    assert fs.font_for("申") == name


def test_configured_font_comes_first():
    path = _have(WQY)
    assert fonts.candidate_fonts(path)[0] == (path, True)
    fs = fonts.font_set(path)
    assert fs.files[0] == path


def test_windows_discovery_order(tmp_path, monkeypatch):
    fdir = tmp_path / "Windows" / "Fonts"
    fdir.mkdir(parents=True)
    for n in ("simhei.ttf", "simsun.ttc", "simsunb.ttf"):
        (fdir / n).write_bytes(b"x")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    found = [Path(p).name for p, _ in fonts.candidate_fonts("", platform="win32")]
    assert found == ["simsun.ttc", "simhei.ttf", "simsunb.ttf"]


def test_cff_font_is_rejected_naming_it(tmp_path):
    fake = tmp_path / "SourceHanSerif.otf"
    fake.write_bytes(b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0) + b"CFF " + b"\0" * 12)
    with pytest.raises(fonts.FontError) as err:
        fonts.font_set(str(fake))
    assert "SourceHanSerif.otf" in err.value.message and "CFF" in err.value.message


def test_real_noto_cjk_is_rejected_naming_it():
    path = _have(NOTO_CFF)
    with pytest.raises(fonts.FontError) as err:
        fonts.check_embeddable(path)
    assert "NotoSansCJK-Regular.ttc" in err.value.message


def test_missing_or_garbage_font_file(tmp_path):
    with pytest.raises(fonts.FontError) as err:
        fonts.font_set(str(tmp_path / "nope.ttf"))
    assert "无法读取" in err.value.message
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"this is not a font at all")
    with pytest.raises(fonts.FontError):
        fonts.font_set(str(junk))


def test_fallback_font_draws_characters_the_main_font_lacks():
    _have(WQY)
    _have(UMING)
    fs = fonts.font_set(WQY)  # WenQuanYi has neither 䶮 (Ext-A) nor 𠇔 (Ext-B); UMing has both
    missing: list[str] = []
    runs = fs.runs("王䶮𠇔", missing)
    assert missing == []
    assert runs[0] == (fs.main, "王")
    assert "".join(t for _, t in runs) == "王䶮𠇔"
    assert {f for f, t in runs if "䶮" in t or "𠇔" in t} != {fs.main}


def test_rare_characters_print_and_extract(tmp_path):
    """䶮 and 𠇔 are printed with an embedded font and come back out of pdftotext (ToUnicode fixed
    for characters outside the BMP)."""
    case = planned_case("nm")
    from dataclasses import replace

    case.deceased.identity = replace(case.deceased.identity, name="王䶮𠇔")
    doc = render_document("application", case, office=OFFICE, today=TODAY)
    assert doc.missing_chars == [] and doc.warnings == []
    assert "王䶮𠇔" in squash(pdf_text(doc.pdf, tmp_path))
    assert all(f["emb"] == "yes" for f in pdf_fonts(doc.pdf, tmp_path))


def test_character_no_font_has_becomes_placeholder_and_is_reported(tmp_path):
    case = planned_case("nm")
    from dataclasses import replace

    nothing_has_it = "\U000323AF"  # CJK Extension H: in no font on the test machines
    case.applicant.identity = replace(case.applicant.identity, name="李" + nothing_has_it + "明")
    doc = render_document("promise", case, office=OFFICE, today=TODAY)
    assert doc.missing_chars == [nothing_has_it]
    assert doc.warnings and "生僻字无法打印" in doc.warnings[0] and "手写" in doc.warnings[0]
    assert "李□明" in squash(pdf_text(doc.pdf, tmp_path))


def test_configured_cff_font_in_settings_stops_rendering(settings, tmp_path):
    """An administrator's CFF font is refused by name: no PDF with a font that cannot be embedded."""
    fake = tmp_path / "FZCFF-Regular.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 60)
    settings.set("printing.font_path", str(fake))
    with pytest.raises(fonts.FontError) as err:
        render_document("receipt", planned_case("nm"), office=OFFICE, today=TODAY)
    assert "FZCFF-Regular.otf" in err.value.message
    settings.set("printing.font_path", "")
    assert render_document("receipt", planned_case("nm"), office=OFFICE, today=TODAY).pdf.startswith(b"%PDF")
