"""case new / case show --json with a proxy (issue 16 item 7): a proxy's top-level valid_from/valid_to are
the authorisation period (委托期限), defaulted from the application date and proxy.default_validity_days;
the card's own validity is under proxy.identity; what show prints goes back into case new; an impossible
period is exit 2 with the reason in Chinese."""
from __future__ import annotations

import json
import subprocess
import sys

from houshi_desk.services.cases import sample_case_dict

PROXY = {"card_type": "resident", "name": "代办人", "id_number": "440524188001010014", "sex": "男",
         "birth_date": "1880-01-01", "phone": "13900000000", "relationship": "other",
         "employer": "呼伦贝尔样例有限公司"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], capture_output=True, text=True, timeout=120)


def case_file(tmp_path, proxy: dict, seq: int, name: str = "case.json"):
    data = sample_case_dict("nm", deceased_seq=seq)
    data["facts"]["sole_relative_incapacitated"] = True
    data["applicant"]["note"] = "脑梗后遗症"
    data["proxy"] = proxy
    src = tmp_path / name
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return src


def new_case(src) -> str:
    r = run("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_proxy_period_defaults_shows_and_goes_back_in(home, tmp_path, login_as):
    (home / "settings.toml").write_text('[proxy]\ndefault_validity_days = 30\n', encoding="utf-8")
    login_as("clerk1")
    number = new_case(case_file(tmp_path, {**PROXY, "id_valid_from": "2016-05-01", "id_valid_to": "2036-05-01"}, 1))
    shown = run("case", "show", number, "--json")
    assert shown.returncode == 0, shown.stderr
    proxy = json.loads(shown.stdout)["proxy"]
    assert (proxy["valid_from"], proxy["valid_to"]) == ("2026-01-21", "2026-02-20")  # default: + 30 days
    assert (proxy["identity"]["valid_from"], proxy["identity"]["valid_to"]) == ("2016-05-01", "2036-05-01")
    assert (proxy["id_valid_from"], proxy["id_valid_to"]) == ("2016-05-01", "2036-05-01")
    assert proxy["employer"] == "呼伦贝尔样例有限公司" and proxy["name"] == "代办人"
    assert json.loads(shown.stdout)["applicant"]["note"] == "脑梗后遗症"
    assert "委托期限：2026-01-21 至 2026-02-20" in run("case", "show", number).stdout

    login_as("sup1", "supervisor")
    full = json.loads(run("case", "show", number, "--json", "--full", "--reason", "核对委托").stdout)["proxy"]
    login_as("clerk1")
    full["valid_to"] = "2026-03-01"  # the clerk edits the period in the shown JSON and files it again
    again = new_case(case_file(tmp_path, full, 2, "again.json"))
    back = json.loads(run("case", "show", again, "--json").stdout)["proxy"]
    assert (back["valid_from"], back["valid_to"]) == ("2026-01-21", "2026-03-01")
    assert back["identity"]["valid_to"] == "2036-05-01" and back["employer"] == "呼伦贝尔样例有限公司"


def test_an_impossible_proxy_period_is_exit_2_with_the_reason(home, tmp_path, logged_in):
    src = case_file(tmp_path, {**PROXY, "valid_from": "2026-02-01", "valid_to": "2026-01-25"}, 3)
    r = run("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 2 and "委托期限有误" in r.stderr and "Traceback" not in r.stderr
    src = case_file(tmp_path, {**PROXY, "valid_to": "tomorrow"}, 4)
    r = run("case", "new", "--from", str(src), "--today", "2026-01-21")
    assert r.returncode == 2 and "不是有效日期" in r.stderr

