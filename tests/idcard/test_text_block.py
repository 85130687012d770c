"""The 256-byte text block of all four card types, and the validation of what comes out of it."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from houshi_desk.domain.identity import CardType, IdentityDocument, Sex, Severity, check_document, is_valid_id_number
from houshi_desk.idcard.errors import CardDataError
from houshi_desk.idcard.frame import parse_read_frame
from houshi_desk.idcard.nations import NATIONS, nation_code
from houshi_desk.idcard.parse import parse_read_bytes
from houshi_desk.idcard.text_block import encode_text_block, parse_text_block

TODAY = date(2026, 11, 23)


def test_golden_frame_parses_to_the_published_person(golden_frame):
    doc = parse_read_bytes(golden_frame)
    assert (doc.card_type, doc.name, doc.sex, doc.nation) == (CardType.RESIDENT, "测试", Sex.FEMALE, "汉")
    assert doc.birth_date == date(1949, 12, 31)
    assert doc.address == "北京市朝阳区测试路1号"
    assert doc.id_number == "11010519491231002X"
    assert doc.authority == "北京市公安局朝阳分局"
    assert doc.valid_from == date(2020, 1, 1) and doc.valid_to is None  # 长期
    assert doc.photo_wlt == bytes(1024)
    assert check_document(doc, TODAY, role="deceased") == []


@pytest.mark.parametrize("key,card_type", [
    ("applicant", CardType.RESIDENT), ("deceased", CardType.RESIDENT), ("hmt_permit", CardType.HMT_PERMIT),
    ("hmt_taiwan", CardType.HMT_PERMIT), ("foreign_2017", CardType.FOREIGN_2017),
    ("foreign_2023", CardType.FOREIGN_2023)])
def test_every_sample_person_survives_encode_and_parse(persons, key, card_type):
    person = persons[key]
    block = person.text_block()
    assert len(block) == 256
    doc = parse_text_block(block, person.photo)
    assert doc.card_type is card_type
    assert doc == replace(person.document, photo_wlt=person.photo)
    assert [p for p in check_document(doc, TODAY) if p.severity is Severity.ERROR] == []


def test_card_type_character_sits_at_byte_248(persons):
    assert persons["applicant"].text_block()[248:250] == " \x00".encode()
    assert persons["hmt_permit"].text_block()[248:250] == b"J\x00"
    assert persons["foreign_2017"].text_block()[248:250] == b"I\x00"
    assert persons["foreign_2023"].text_block()[248:250] == b"Y\x00"


def test_hmt_permit_fields(persons):
    doc = parse_text_block(persons["hmt_permit"].text_block())
    assert doc.pass_number == "H12345678" and doc.issue_count == "01" and doc.nation == ""


def test_foreign_2017_fields_at_their_offsets(persons):
    block = persons["foreign_2017"].text_block()
    assert block[0:22].decode("utf-16-le") == "MAPLE, ANNA"
    assert block[122:152].decode("utf-16-le") == "CAN310060010112"
    assert block[152:158].decode("utf-16-le") == "CAN"
    assert block[220:236].decode("utf-16-le") == "19600101"
    doc = parse_text_block(block)
    assert (doc.name, doc.name_en, doc.nationality, doc.sex) == ("枫安娜", "MAPLE, ANNA", "CAN", Sex.FEMALE)


def test_foreign_2023_english_name_continues_in_part_two(persons):
    block = persons["foreign_2023"].text_block()
    assert block[52:122].decode("utf-16-le") == "SAMPLE, JOHN ALEXANDER WILLIAM BART"
    assert block[220:242].decode("utf-16-le").rstrip() == "HOLOMEW"
    assert parse_text_block(block).name_en == "SAMPLE, JOHN ALEXANDER WILLIAM BARTHOLOMEW"


def test_foreign_2023_name_breaking_at_a_space_keeps_the_space(persons):
    doc = replace(persons["foreign_2023"].document, name_en="A" * 34 + " " + "BCDEF")  # char 35 is the space
    assert parse_text_block(encode_text_block(doc)).name_en == "A" * 34 + " BCDEF"


def test_trailing_spaces_and_nuls_are_not_part_of_fields(persons):
    block = bytearray(persons["deceased"].text_block())
    block[4:30] = "\x00".encode("utf-16-le") * 13  # NUL padding instead of spaces after 测试
    doc = parse_text_block(bytes(block))
    assert doc.name == "测试"
    assert doc.address == "北京市朝阳区测试路1号"


def test_all_nation_codes_round_trip():
    assert len(NATIONS) == 58 and NATIONS["01"] == "汉" and NATIONS["56"] == "基诺"
    assert nation_code("蒙古族") == "02" and nation_code("其他") == "97"


@pytest.mark.parametrize("offset,replacement,field", [
    (36, "19491331", "出生日期"),   # impossible month
    (36, "1949123 ", "出生日期"),
    (188, "20200230", "有效期起始日期"),
    (204, "长久    ", "有效期截止日期"),
    (30, "5", "性别"),
    (32, "00", "民族"),
    (122, "11010519491231002Y", "证件号码"),
])
def test_impossible_fields_are_a_corrupt_read_not_a_half_identity(persons, offset, replacement, field):
    block = bytearray(persons["deceased"].text_block())
    enc = replacement.encode("utf-16-le")
    block[offset:offset + len(enc)] = enc
    with pytest.raises(CardDataError) as exc:
        parse_text_block(bytes(block))
    assert field in exc.value.message
    assert exc.value.retryable and exc.value.hint
    assert "11010519491231002X" not in (exc.value.detail or "") + exc.value.message


def test_invalid_utf16_is_rejected(persons):
    block = bytearray(persons["deceased"].text_block())
    block[0:2] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(CardDataError) as exc:
        parse_text_block(bytes(block))
    assert exc.value.code == "text_encoding"


def test_control_characters_are_rejected(persons):
    block = bytearray(persons["deceased"].text_block())
    block[60:62] = b"\x07\x00"
    with pytest.raises(CardDataError):
        parse_text_block(bytes(block))


def test_unknown_card_type_and_wrong_length(persons):
    block = bytearray(persons["deceased"].text_block())
    block[248:250] = b"Z\x00"
    with pytest.raises(CardDataError) as exc:
        parse_text_block(bytes(block))
    assert exc.value.code == "card_type"
    with pytest.raises(CardDataError):
        parse_text_block(bytes(255))


@pytest.mark.parametrize("number,card_type", [
    ("11010519491231002X", CardType.RESIDENT), ("440524188001010014", CardType.RESIDENT),
    ("360426199101010071", CardType.RESIDENT), ("810000199408230021", CardType.HMT_PERMIT),
    ("830000199201300022", CardType.HMT_PERMIT)])
def test_published_sample_numbers_validate_and_altered_ones_do_not(number, card_type):
    assert is_valid_id_number(number, card_type)
    for i in (0, 7, 16, 17):
        digit = number[i]
        changed = "0" if digit != "0" else "1"
        altered = number[:i] + changed + number[i + 1:]
        assert not is_valid_id_number(altered, card_type), altered


def test_check_digit_failure_is_reported_as_a_problem_of_a_complete_identity(persons):
    doc = replace(persons["deceased"].document, id_number="110105194912310021")
    read = parse_text_block(encode_text_block(doc))
    assert read.name == "测试"  # complete
    codes = [p.code for p in check_document(read, TODAY)]
    assert "id_checksum" in codes


def test_birth_date_and_sex_must_agree_with_the_number(persons):
    doc = replace(persons["applicant"].document, birth_date=date(1991, 1, 2), sex=Sex.FEMALE)
    read = parse_text_block(encode_text_block(doc))
    codes = {p.code for p in check_document(read, TODAY)}
    assert {"birth_mismatch", "sex_mismatch"} <= codes


def test_expired_card_is_an_error_for_the_applicant_and_a_warning_for_the_deceased(persons):
    doc = replace(persons["applicant"].document, valid_to=date(2020, 3, 1))
    read = parse_text_block(encode_text_block(doc))
    applicant = {p.code: p.severity for p in check_document(read, TODAY, role="applicant")}
    deceased = {p.code: p.severity for p in check_document(read, TODAY, role="deceased")}
    assert applicant["expired"] is Severity.ERROR and deceased["expired"] is Severity.WARNING


def test_hex_text_input_is_accepted(golden_frame):
    assert parse_read_bytes(golden_frame.hex(" ").encode()).name == "测试"
    with pytest.raises(CardDataError):
        parse_read_bytes(b"hello")


def test_encoder_refuses_fields_that_do_not_fit(persons):
    with pytest.raises(ValueError):
        encode_text_block(replace(persons["applicant"].document, name="测" * 16))
    assert isinstance(persons["applicant"].document, IdentityDocument)


def test_whole_frame_parse_of_each_card_type(persons):
    from houshi_desk.idcard import frame as fr

    for person in persons.values():
        frame = fr.build_response(0x90, fr.build_read_data(person.text_block(), person.photo))
        data = parse_read_frame(frame)
        assert parse_text_block(data.text, data.photo).id_number == person.document.id_number
