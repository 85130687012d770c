"""``houshi-desk checklist``: good input prints the table or JSON; bad input exits 2 with a Chinese message."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from houshi_desk.cli import main

FACTS = {"death_kind": "normal", "death_date": "2025-09-20", "disposal": "cremation",
         "applicant_relationship": "spouse", "applicant_age": 66, "pension_type": "urban_rural",
         "pension_receiving": True, "medical_insurance": "employee", "medical_account_balance": 1200,
         "medical_bills_settled": False, "deceased_has_driving_licence": True,
         "died_in_region": True, "deceased_local_household": True}  # NX scope facts; NM ignores them


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    f = tmp_path / "case.json"
    f.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    return f


def test_json_output(facts_file, capsys):
    assert main(["checklist", "--region", "nx", "--facts", str(facts_file), "--today", "2025-09-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_code = {m["code"]: m for m in data["matters"]}
    assert by_code["hukou_cancel"]["due_date"] == "2025-10-09"
    assert by_code["hukou_cancel"]["deadline_source"] == "policy" and by_code["hukou_cancel"]["after"] == []
    assert by_code["hukou_cancel"]["applicable"] is True
    # NX has no settle-bills-first rule (NM:289) and no limit for the medical matters
    assert by_code["medical_insurance_cancel"]["status"] == "applicable"
    assert by_code["medical_insurance_cancel"]["due_date"] is None
    assert by_code["medical_insurance_cancel"]["deadline_source"] == "none"
    assert by_code["disability_card_cancel"]["reason"] == "不适用：逝者未持有残疾人证"
    assert data["scope"] == {"in_scope": True, "reason": data["scope"]["reason"], "referral": [], "referral_text": ""}
    assert data["applicant"]["eligible"] is True
    codes = [m["code"] for m in data["materials"]]
    assert len(codes) == len(set(codes)) and all(m["needed_by"] for m in data["materials"])


def test_human_table(facts_file, capsys):
    assert main(["checklist", "--region", "nm", "--facts", str(facts_file), "--today", "2025-09-30"]) == 0
    out = capsys.readouterr().out
    assert "注销死亡人员户口" in out and "不适用：逝者未领取" not in out
    assert "暂缓" in out and "须先结清逝者生前医保费用" in out
    assert "所需材料" in out and "遗失可不提交" in out


def test_toml_facts_accepted(tmp_path, capsys):
    f = tmp_path / "case.toml"
    f.write_text('death_kind = "normal"\ndeath_date = 2025-09-20\ndisposal = "burial"\n'
                 'applicant_relationship = "child"\napplicant_age = 30\n'
                 'died_in_region = true\ndeceased_local_household = true\n', encoding="utf-8")
    assert main(["checklist", "--region", "nx", "--facts", str(f), "--today", "2025-09-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {m["code"]: m for m in data["matters"]}["burial_cert"]["applicable"] is True


def test_list_facts(capsys):
    assert main(["checklist", "--list-facts"]) == 0
    out = capsys.readouterr().out
    assert "medical_bills_settled" in out and "逝者是不是户主？" in out
    line = next(l for l in out.splitlines() if l.startswith("housing_fund_sealed "))
    assert " nx " in line and "nm" not in line  # the regions column
    assert main(["checklist", "--list-facts", "--region", "nx"]) == 0
    nx = capsys.readouterr().out
    assert "housing_fund_sealed" in nx and "died_in_region" in nx and "medical_bills_settled" not in nx
    assert main(["checklist", "--list-facts", "--region", "nm"]) == 0
    nm = capsys.readouterr().out
    assert "medical_bills_settled" in nm and "housing_fund_sealed" not in nm and "died_in_region" not in nm


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_out_of_scope_exits_0_and_lists_every_matter_not_applicable(tmp_path, capsys, region):
    f = tmp_path / "abroad.json"
    f.write_text(json.dumps({**FACTS, "death_kind": "abroad"}), encoding="utf-8")
    assert main(["checklist", "--region", region, "--facts", str(f), "--today", "2025-09-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["in_scope"] is False and "国（境）外" in data["scope"]["reason"]
    assert all(m["applicable"] is False and "不在联办范围" in m["reason"] for m in data["matters"])
    assert data["scope"]["referral"] and all({"department", "department_name", "materials"} == set(d)
                                             for d in data["scope"]["referral"])
    assert main(["checklist", "--region", region, "--facts", str(f), "--today", "2025-09-30"]) == 0
    assert "不在联办范围" in capsys.readouterr().out


def test_configured_deadlines_from_provincial_it(tmp_path, capsys, monkeypatch):
    system = tmp_path / "etc" / "settings.toml"
    system.parent.mkdir()
    system.write_text("", encoding="utf-8")
    (system.parent / "nm-deadlines.toml").write_text(
        '[deadlines.driving_licence_cancel]\nworking_days = 5\ndocument = "呼公交〔2026〕9号"\n', encoding="utf-8")
    monkeypatch.setenv("HOUSHI_DESK_SYSTEM_CONFIG", str(system))
    f = tmp_path / "case.json"
    f.write_text(json.dumps(FACTS), encoding="utf-8")
    assert main(["checklist", "--region", "nm", "--facts", str(f), "--today", "2025-09-30", "--json"]) == 0
    by_code = {m["code"]: m for m in json.loads(capsys.readouterr().out)["matters"]}
    dl = by_code["driving_licence_cancel"]
    assert (dl["deadline_source"], dl["deadline_working_days"], dl["due_date"]) == ("configured", 5, "2025-10-14")
    assert dl["deadline_basis"] == {"local": True, "document": "呼公交〔2026〕9号"}
    assert by_code["hukou_cancel"]["deadline_source"] == "none" and by_code["hukou_cancel"]["due_date"] is None
    # a policy deadline cannot be overridden, and a limit needs its source document
    (system.parent / "nx-deadlines.toml").write_text(
        '[deadlines.hukou_cancel]\nworking_days = 5\ndocument = "x"\n', encoding="utf-8")
    assert main(["checklist", "--region", "nx", "--facts", str(f), "--today", "2025-09-30"]) == 2
    assert "不能另设" in capsys.readouterr().err
    (system.parent / "nx-deadlines.toml").write_text('[deadlines.equity_lookup]\nworking_days = 5\n', encoding="utf-8")
    assert main(["checklist", "--region", "nx", "--facts", str(f), "--today", "2025-09-30"]) == 2
    assert "document" in capsys.readouterr().err


@pytest.mark.parametrize("content, args, needle", [
    ('{"death_kind": "normal"', [], "不是有效的 JSON"),
    ('["a"]', [], "JSON 对象"),
    ('{"death_knd": "normal"}', [], "您是不是要填“death_kind”"),
    (json.dumps({**FACTS, "applicant_age": "66"}), [], "applicant_age"),
    (json.dumps({**FACTS, "death_date": "2025-13-01"}), [], "death_date"),
    (json.dumps(FACTS), ["--today", "30.09.2025"], "受理日期"),
    (json.dumps(FACTS), ["--region", "gd"], "未知的地区“gd”"),
])
def test_bad_input_exits_2_with_chinese_message(tmp_path, capsys, content, args, needle):
    f = tmp_path / "case.json"
    f.write_text(content, encoding="utf-8")
    argv = ["checklist", "--region", "nm", "--facts", str(f), "--today", "2025-09-30"]
    for i in range(0, len(args), 2):  # later options override earlier ones
        argv += args[i:i + 2]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and needle in err


def test_missing_file_and_missing_args(tmp_path, capsys):
    assert main(["checklist", "--region", "nm", "--facts", str(tmp_path / "none.json")]) == 2
    assert "找不到事实文件" in capsys.readouterr().err
    assert main(["checklist", "--region", "nm"]) == 2
    assert "--facts" in capsys.readouterr().err


def test_subprocess_entry_point(facts_file):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    ok = subprocess.run([sys.executable, "-m", "houshi_desk", "checklist", "--region", "nx", "--facts",
                         str(facts_file), "--today", "2025-09-30", "--json"],
                        capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["region"] == "nx"
    bad = subprocess.run([sys.executable, "-m", "houshi_desk", "checklist", "--region", "nx", "--facts",
                          str(facts_file) + ".missing"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "找不到事实文件" in bad.stderr


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_referral_pdf_for_an_out_of_scope_death(tmp_path, capsys, region):
    import shutil

    f = tmp_path / "abroad.json"
    f.write_text(json.dumps({**FACTS, "death_kind": "declared"}), encoding="utf-8")
    out = tmp_path / "referral.pdf"
    assert main(["checklist", "--region", region, "--facts", str(f), "--today", "2025-09-30",
                 "--referral-pdf", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    text = subprocess.run([shutil.which("pdftotext"), str(out), "-"], capture_output=True, text=True).stdout
    squashed = "".join(text.split())
    assert "分别办理指引" in squashed and "宣告死亡" in squashed and "公安部门" in squashed
    fonts = subprocess.run([shutil.which("pdffonts"), str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    capsys.readouterr()
    inside = tmp_path / "in.json"
    inside.write_text(json.dumps(FACTS), encoding="utf-8")
    assert main(["checklist", "--region", region, "--facts", str(inside), "--referral-pdf", str(out)]) == 2
    assert "不需要分别办理指引" in capsys.readouterr().err


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_the_example_facts_files_work(region, capsys):
    """docs/examples/facts-<region>.json, the README's example for checklist, stays valid."""
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / f"facts-{region}.json"
    assert main(["checklist", "--region", region, "--facts", str(example), "--today", "2026-11-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["in_scope"] and data["applicant"]["eligible"]
