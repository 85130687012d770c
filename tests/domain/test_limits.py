"""Input limits (issue 14, finding 5): each limit both ways through ``case_from_dict`` and the CLI,
the 18-letter ID number message (finding 9), and every document kind rendering in ≤ 1 s for a case
with every field at its maximum length."""
from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest

from houshi_desk.domain.identity import check_id_number
from houshi_desk.domain.limits import ADDRESS_MAX, NAME_MAX, PHONE_MAX, TEXT_MAX
from houshi_desk.services.cases import CaseError, case_from_dict, sample_case_dict

TODAY = date(2026, 1, 21)
PUA = "\ue000\U000f0001"  # private-use code points: how readers return rare characters


def _with(path: str, value) -> dict:
    data = sample_case_dict()
    *parents, last = path.split(".")
    node = data
    for p in parents:
        node = node[p]
    node[last] = value
    return data


def _cjk(n: int) -> str:
    return ("测试䶮𠇔" * n)[:n]


# (field path, longest accepted value, refused value, words of the refusal)
LIMITS = [
    ("deceased.name", _cjk(NAME_MAX), _cjk(NAME_MAX + 1), "逝者姓名过长"),
    ("applicant.name", "样" + PUA, "", "申请人姓名不能为空"),
    ("applicant.name_en", "A" * 60, "A" * (NAME_MAX + 1), "英文姓名过长"),
    ("applicant.phone", "1" * PHONE_MAX, "1" * (PHONE_MAX + 1), "联系电话过长"),
    ("applicant.contact_address", _cjk(ADDRESS_MAX), _cjk(ADDRESS_MAX + 1), "常住地址过长"),
    ("applicant.note", "第一行\n第二行\t" + _cjk(TEXT_MAX - 8), _cjk(TEXT_MAX + 1), "备注过长"),
    ("death.place", _cjk(ADDRESS_MAX), _cjk(ADDRESS_MAX + 1), "死亡地点过长"),
    ("notes", _cjk(TEXT_MAX), _cjk(TEXT_MAX + 1), "案件备注过长"),
    ("deceased.name", "测试" + PUA, "测\x00试", "控制字符（NUL"),
    ("applicant.name", "样例", "样\n例", "控制字符（换行"),
    ("applicant.contact_address", "样例街3号", "样例街\x073号", "控制字符（U+0007"),
    ("death.proof_number", "Z150702202600001", "Z1507\x1b02202600001", "控制字符"),
    ("death.died_at", "2026-01-20T08:30", "2026-01-20T08:30+08:00", "不能带时区"),
    ("death.died_at", "2026-01-20T08:30:00", "2026-01-20T00:30Z", "不能带时区"),
]


@pytest.mark.parametrize("path, ok, bad, words", LIMITS, ids=[f"{p}-{w}" for p, _, _, w in LIMITS])
def test_each_limit_both_ways(path, ok, bad, words):
    case_from_dict(_with(path, ok))
    with pytest.raises(CaseError, match=re.escape(words)) as err:
        case_from_dict(_with(path, bad))
    assert "11010519491231002X" not in str(err.value)


def test_a_thirty_megabyte_name_is_refused_at_once():
    data = _with("deceased.name", "名" * (30 * 1024 * 1024))
    start = time.perf_counter()
    with pytest.raises(CaseError, match="最多 100 个字符"):
        case_from_dict(data)
    assert time.perf_counter() - start < 1.0


def test_the_applicant_cannot_be_the_deceased():
    data = sample_case_dict()
    data["applicant"]["id_number"] = data["deceased"]["id_number"].lower()
    with pytest.raises(CaseError, match="申请人不能是逝者本人"):
        case_from_dict(data)


def test_an_eighteen_letter_id_number_says_which_characters_are_not_digits():
    (problem,) = check_id_number("ABCDEFGHIJKLMNOPQR")
    assert "实际为 18 位" not in problem.message
    assert "第 1 位“A”" in problem.message and "不是半角数字" in problem.message
    (problem,) = check_id_number("11010519491231O02X")  # a letter O for a zero
    assert "第 15 位“O”" in problem.message
    (problem,) = check_id_number("1101051949123100２X")  # a full-width digit is not a digit here
    assert "第 17 位" in problem.message
    assert "11010519491231" not in problem.message, "never the whole number"


@pytest.mark.parametrize("path, bad, words", [
    ("deceased.name", "测" * 1000, "逝者姓名过长"),
    ("applicant.phone", "1" * 100_000, "联系电话过长"),
    ("deceased.name", "测\u0000试", "控制字符"),
    ("death.died_at", "2026-01-20T08:30+08:00", "不能带时区"),
])
def test_case_new_refuses_with_exit_2(home, tmp_path, logged_in, capsys, path, bad, words):
    from houshi_desk.cli import main

    src = tmp_path / "case.json"
    src.write_text(json.dumps(_with(path, bad), ensure_ascii=False), encoding="utf-8")
    assert main(["case", "new", "--from", str(src)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_case_new_accepts_the_longest_values(home, tmp_path, logged_in, capsys):
    from houshi_desk.cli import main

    data = _max_case_dict()
    src = tmp_path / "case.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["case", "new", "--from", str(src)]) == 0, capsys.readouterr().err


def _max_case_dict() -> dict:
    """The sample case (with a proxy) with every text field at its maximum length."""
    data = sample_case_dict()
    data["facts"]["sole_relative_incapacitated"] = True
    data["proxy"] = {
        "card_type": "resident", "name": "代办人", "id_number": "440524188001010014", "sex": "男",
        "nation": "汉", "birth_date": "1880-01-01", "address": "广东省汕头市潮阳区样例路9号",
        "relationship": "other",
    }
    for role in ("deceased", "applicant", "proxy"):
        p = data[role]
        p["name"] = (_cjk(NAME_MAX - 2) + PUA)
        p["address"] = _cjk(ADDRESS_MAX)
        p["authority"] = _cjk(ADDRESS_MAX)
        # at their maximum lengths and still real numbers (issue 16 item 8 checks the format)
        p["phone"] = "0470 - 8123 4567 转 123456".ljust(PHONE_MAX)
        p["contact_address"] = _cjk(ADDRESS_MAX)
        p["employer"] = _cjk(ADDRESS_MAX)
        p["bank_name"] = _cjk(ADDRESS_MAX)
        p["bank_account"] = " ".join("6222020200112233446").ljust(64)
        p["note"] = _cjk(TEXT_MAX)
    d = data["death"]
    for key in ("place", "proof_issuer", "housing_fund_centre", "employer", "bank_name"):
        d[key] = _cjk(ADDRESS_MAX)
    for key in ("proof_number", "disposal_proof_number", "bank_account"):
        d[key] = "9" * 64
    data["notes"] = _cjk(TEXT_MAX)
    return data


def test_every_document_renders_within_a_second_at_maximum_lengths(sqlite_store, settings):
    from houshi_desk.documents import KINDS, Office, render_document
    from houshi_desk.services.cases import create_case, load_case

    number = create_case(sqlite_store, case_from_dict(_max_case_dict()), settings=settings, today=TODAY,
                         clerk="clerk1")
    with sqlite_store.session() as s:
        case = load_case(s, number)
    office = Office.from_settings(settings)
    render_document("receipt", case, office=office, today=TODAY)  # fonts loaded once, as in the program
    slow = {}
    for kind in KINDS:
        # CPU time of this process: the machine running the suite is shared, wall time is not ours.
        start = time.process_time()
        doc = render_document(kind, case, office=office, today=TODAY)
        took = time.process_time() - start
        assert doc.pdf.startswith(b"%PDF") and doc.pages >= 1
        if took > 1.0:
            slow[kind] = round(took, 2)
    assert slow == {}, f"documents slower than 1 s at maximum field lengths: {slow}"
