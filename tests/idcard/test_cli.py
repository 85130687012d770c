"""``houshi-desk idcard parse|read|virtual``: output keys, masking, exit codes, Chinese errors."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from houshi_desk.cli import main

KEYS = {"card_type", "name", "name_en", "sex", "nation", "birth_date", "address", "id_number", "authority",
        "valid_from", "valid_to", "nationality", "problems"}


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOUSHI_DESK_HOME", str(tmp_path / "home"))


def test_parse_golden_frame_json_masked(tmp_path, golden_frame, capsys):
    f = tmp_path / "read.bin"
    f.write_bytes(golden_frame)
    assert main(["idcard", "parse", str(f), "--json", "--role", "deceased"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert KEYS <= set(data)
    assert data["card_type"] == "resident" and data["name"] == "测试" and data["sex"] == "女"
    assert data["valid_to"] is None and data["birth_date"] == "1949-12-31"
    assert data["id_number"] == "110105********002X"
    assert data["problems"] == []


def test_parse_full_and_text_output(tmp_path, persons, capsys):
    f = tmp_path / "block.bin"
    f.write_bytes(persons["foreign_2023"].text_block())
    assert main(["idcard", "parse", str(f), "--json", "--full"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id_number"] == "93112419600101001X" and data["card_type"] == "foreign_2023"
    assert main(["idcard", "parse", str(f)]) == 0
    out = capsys.readouterr().out
    assert "外国人永久居留身份证（2023版）" in out and "931124********001X" in out
    assert "93112419600101001X" not in out


def test_parse_reports_problems_and_exits_1(tmp_path, persons, capsys):
    from dataclasses import replace

    from houshi_desk.idcard.text_block import encode_text_block

    doc = replace(persons["applicant"].document, id_number="360426199101010072")  # check digit altered
    f = tmp_path / "bad.bin"
    f.write_bytes(encode_text_block(doc))
    assert main(["idcard", "parse", str(f), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert "id_checksum" in [p["code"] for p in data["problems"]]


def test_parse_garbage_is_a_chinese_error_exit_2(tmp_path, capsys):
    f = tmp_path / "junk.bin"
    f.write_bytes(b"\xAA\xAA\xAA\x96\x69\x00\x10junk")
    assert main(["idcard", "parse", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "读卡器" in err
    assert main(["idcard", "parse", str(tmp_path / "missing.bin")]) == 2


def test_read_through_pcscd_with_the_virtual_card(vpcd_reader, virtual_card, persons, capsys):
    virtual_card(persons["hmt_permit"])
    assert main(["idcard", "read", "--reader", vpcd_reader, "--timeout", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["card_type"] == "hmt_permit" and data["id_number"] == "810000********0021"


def test_read_times_out_with_a_clear_message(vpcd_reader, capsys):
    assert main(["idcard", "read", "--reader", vpcd_reader, "--timeout", "0.5"]) == 2
    assert "没有读到证件" in capsys.readouterr().err


def test_virtual_command_puts_a_card_on_the_reader(vpcd_port, vpcd_reader, capsys):
    proc = subprocess.Popen([sys.executable, "-m", "houshi_desk", "idcard", "virtual", "--person", "foreign_2017",
                             "--port", str(vpcd_port), "--seconds", "3"], stderr=subprocess.PIPE)
    try:
        time.sleep(0.3)
        assert main(["idcard", "read", "--reader", vpcd_reader, "--timeout", "5", "--json", "--full"]) == 0
        assert json.loads(capsys.readouterr().out)["id_number"] == "CAN310060010112"
    finally:
        proc.wait(10)
    assert proc.returncode == 0
    assert "CAN310060010112" not in proc.stderr.read().decode()
    time.sleep(0.45)


def test_parse_saves_the_photo_decoded_when_a_decoder_is_configured(tmp_path, persons, fake_wlt_lib, capsys):
    from PIL import Image

    from houshi_desk.idcard import frame as fr
    from houshi_desk.idcard.photo import placeholder_png

    person = persons["applicant"]
    f = tmp_path / "read.bin"
    f.write_bytes(fr.build_response(0x90, fr.build_read_data(person.text_block(), person.photo)))
    out = tmp_path / "photo.png"
    assert main(["idcard", "parse", str(f), "--photo", str(out)]) == 0
    assert out.read_bytes() == placeholder_png() and "占位图" in capsys.readouterr().err
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "settings.toml").write_text(f'[idcard]\nwlt_decoder = "{fake_wlt_lib}"\n')
    assert main(["idcard", "parse", str(f), "--photo", str(out)]) == 0
    assert out.read_bytes() != placeholder_png() and Image.open(out).size == (102, 126)


def test_watcher_takes_settings(tmp_path, sam, persons, events):
    from houshi_desk.config import load_settings
    from houshi_desk.idcard.events import CardRead
    from houshi_desk.idcard.watcher import CardWatcher

    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "settings.toml").write_text(f'[idcard]\ntransport = "serial"\nserial_port = "{sam.port}"\n')
    sam.insert(persons["hmt_permit"])
    with CardWatcher(load_settings(), events):
        assert events.wait_for(CardRead).document.name == "陈样本"


def test_read_with_an_unknown_reader_name_lists_the_readers(vpcd_reader, capsys):
    assert main(["idcard", "read", "--reader", "没有这个读卡器", "--timeout", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "没有找到读卡器“没有这个读卡器”" in err and vpcd_reader in err
