"""Issue 15, shared records: the reference platform's persons endpoints (in its own process), the
client that asks by HMAC reference, and ``houshi-desk lookup`` — audited, masked, exit 2 when the
platform is down — and the ID number in no URL, no platform log and no client log."""
from __future__ import annotations

import io
import json
import logging
import secrets
import sqlite3

import httpx
import pytest

from houshi_desk.platform_ref.persons import lookup_key
from houshi_desk.platform_ref.process import spawn
from houshi_desk.services.cases import synthetic_id_number
from houshi_desk.sync import errors as E
from houshi_desk.sync.client import PlatformClient
from houshi_desk.sync.lookup import fetch_cases, fetch_records, normalise_id_number, person_ref

SAMPLE = "11010519491231002X"  # the published sample deceased (resources/idcard/persons.json)
SAMPLE_15 = "110105491231002"  # the same person's first-generation number
NO_RECORDS = synthetic_id_number(4)  # the fixture has no records for N % 5 == 4


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    data = tmp_path_factory.mktemp("platform")
    key = lookup_key(data)
    secret = secrets.token_urlsafe(24)
    proc = spawn(data, clients={"term-a": secret}, step_seconds=0.2)
    yield proc, key, secret, data
    proc.stop()


def client(platform) -> PlatformClient:
    proc, _key, secret, _data = platform
    return PlatformClient(proc.url, "term-a", secret)


def test_ref_is_the_hmac_of_the_18_digit_number():
    assert normalise_id_number(SAMPLE_15) == SAMPLE
    assert normalise_id_number(SAMPLE.lower()) == SAMPLE
    assert person_ref("k" * 32, SAMPLE_15) == person_ref("k" * 32, SAMPLE.lower()) == person_ref("k" * 32, SAMPLE)
    assert person_ref("k" * 32, SAMPLE) != person_ref("j" * 32, SAMPLE)
    with pytest.raises(E.SyncError):
        person_ref("k" * 32, "12345")


def test_records_carry_facts_with_source_and_date_and_licences(platform):
    c = client(platform)
    try:
        rec = fetch_records(c, platform[1], SAMPLE)
        same = fetch_records(c, platform[1], SAMPLE_15)
        none = fetch_records(c, platform[1], NO_RECORDS)
    finally:
        c.close()
    assert rec == same
    pension = rec["facts"]["pension_type"]
    assert pension == {"value": "urban_rural", "source": "人社", "as_of": "2026-11-30"}
    assert rec["facts"]["deceased_is_household_head"]["source"] == "公安"
    from houshi_desk.domain.facts import FACTS

    assert set(rec["facts"]) <= set(FACTS)  # named as the interview names them
    lic = {x["material"]: x for x in rec["licences"]}
    assert lic["death_cert_medical"] == {"material": "death_cert_medical", "number": "Z150702202600001",
                                         "issued": "2026-01-20", "issuer": "呼伦贝尔市人民医院"}
    assert lic["cremation_cert"]["number"] == "HH2026000123"
    assert none == {"facts": {}, "licences": []}


def test_a_wrong_key_finds_nothing_and_an_unsigned_or_malformed_request_is_refused(platform):
    c = client(platform)
    try:
        assert fetch_records(c, "wrong-key-" + "0" * 20, SAMPLE) == {"facts": {}, "licences": []}
        with pytest.raises(E.RejectedError) as bad:
            c._send("GET", "/api/v1/persons/not-a-ref/records")
        assert bad.value.status == 400
    finally:
        c.close()
    ref = person_ref(platform[1], SAMPLE)
    r = httpx.get(f"{platform[0].url}/api/v1/persons/{ref}/records")
    assert r.status_code == 401


def _platform_log_text(data) -> str:
    db = sqlite3.connect(data / "platform.db")
    try:
        rows = db.execute("SELECT path, note FROM request_log").fetchall()
    finally:
        db.close()
    return json.dumps(rows, ensure_ascii=False) + (data / "serve.log").read_text(encoding="utf-8", errors="replace")


def test_the_number_is_in_no_url_and_no_log(platform, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    urls = []
    c = client(platform)
    c._http.event_hooks["request"].append(lambda req: urls.append(str(req.url)))
    try:
        fetch_records(c, platform[1], SAMPLE)
        fetch_cases(c, platform[1], SAMPLE)
    finally:
        c.close()
    assert len(urls) == 2 and all("/persons/" in u for u in urls)
    ref = person_ref(platform[1], SAMPLE)
    assert any(ref in u for u in urls)
    for text in ["\n".join(urls), caplog.text, _platform_log_text(platform[3])]:
        for form in (SAMPLE, SAMPLE.lower(), SAMPLE_15, SAMPLE[:17]):
            assert form not in text
    assert ref in _platform_log_text(platform[3])  # the log does record the look-up, by reference


# ---------------------------------------------------------------------- the CLI


def _cli(monkeypatch, capsys, *argv, stdin=""):
    from houshi_desk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _login_platform(monkeypatch, capsys, platform, url=None):
    proc, key, secret, _ = platform
    code, out, err = _cli(monkeypatch, capsys, "platform", "login", "--url", url or proc.url, "--app-key", "term-a",
                          "--secret-stdin", "--lookup-key-stdin", "--no-check", stdin=f"{secret}\n{key}\n")
    assert code == 0, err


def test_lookup_cli_prints_records_with_provenance_masked_and_audited(platform, logged_in, monkeypatch, capsys,
                                                                       settings, home):
    _login_platform(monkeypatch, capsys, platform)
    from houshi_desk.sync.credentials import load_lookup_key

    assert load_lookup_key() == platform[1]  # in the keyring, not in a settings file
    assert all(platform[1] not in f.read_text(encoding="utf-8", errors="replace")
               for f in home.rglob("*.toml"))
    code, out, err = _cli(monkeypatch, capsys, "lookup", "--id-stdin", stdin=SAMPLE + "\n")
    assert code == 0, err
    assert SAMPLE not in out and "110105********002X" in out
    assert "人社 · 共享 2026-11-30" in out and "Z150702202600001" in out and "共享获取" in out
    code, out, err = _cli(monkeypatch, capsys, "lookup", SAMPLE, "--json", "--full")
    assert code == 0, err
    data = json.loads(out)
    assert data["id_number"] == SAMPLE and data["facts"]["pension_type"]["source"] == "人社"
    code, out, err = _cli(monkeypatch, capsys, "lookup", NO_RECORDS)
    assert code == 0 and "暂无" in out
    from houshi_desk import audit
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        with store.session() as s:
            trail = [e for e in audit.entries(s) if e.action == "shared_lookup"]
    finally:
        store.close()
    assert len(trail) == 3 and all(e.detail.startswith("共享查询") for e in trail)
    assert all(SAMPLE not in e.detail for e in trail) and trail[0].actor == logged_in


def test_lookup_cli_exits_2_with_one_line_when_the_platform_is_down(platform, logged_in, monkeypatch, capsys):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    _login_platform(monkeypatch, capsys, platform, url=dead)
    code, out, err = _cli(monkeypatch, capsys, "lookup", SAMPLE)
    assert code == 2
    assert err.startswith("共享数据暂不可用，按询问办理") and SAMPLE not in err + out


def test_lookup_cli_needs_a_login(platform, home, monkeypatch, capsys):
    code, out, err = _cli(monkeypatch, capsys, "lookup", SAMPLE)
    assert code == 2 and "登录" in err


def test_the_reference_platform_hands_out_its_look_up_key(platform, home, monkeypatch, capsys):
    code, out, err = _cli(monkeypatch, capsys, "platform", "lookup-key", "--data", str(platform[3]))
    assert code == 0 and out.strip() == platform[1]


def test_lookup_cli_refuses_a_malformed_number(platform, logged_in, monkeypatch, capsys):
    _login_platform(monkeypatch, capsys, platform)
    code, out, err = _cli(monkeypatch, capsys, "lookup", "12345")
    assert code == 2 and "18 位" in err


def _case(case_id: str, number: str, **extra) -> dict:
    return {"case_id": case_id, "version": 1, "office": "测试受理点", "application_date": "2026-01-22",
            "parties": [{"role": "deceased", "name": "测试", "id_number": number},
                        {"role": "applicant", "name": "样例", "id_number": "360426199101010071"}],
            "matters": [], **extra}


def _submit(c: PlatformClient, case: dict) -> dict:
    c.create_case(secrets.token_hex(8), case)
    return c.submit(secrets.token_hex(8), case["case_id"], {"case_id": case["case_id"], "version": 1,
                                                             "matters": [], "attachments": []})


def test_the_platform_refuses_a_duplicate_from_any_other_terminal_unless_overridden(tmp_path):
    """Two terminals of one office with databases of their own: neither saw the other's case, so the
    platform is the one to stop the second; the same terminal's own cases were checked locally;
    a supervisor's override in the case body lets it through; the open cases are listed without
    personal data."""
    data = tmp_path / "platform"
    key = lookup_key(data)
    secrets_ = {k: secrets.token_urlsafe(24) for k in ("w01", "w02")}
    proc = spawn(data, clients=secrets_, offices={"w01": "150702-01", "w02": "150702-01"}, step_seconds=0.2)
    number = synthetic_id_number(30)
    a, b = (PlatformClient(proc.url, k, s) for k, s in secrets_.items())
    try:
        _submit(a, _case("150702-W01-20260122-0001", number))
        _submit(a, _case("150702-W01-20260122-0002", number))  # its own: checked in its database
        with pytest.raises(E.RejectedError) as refused:
            _submit(b, _case("150702-W02-20260122-0001", number))
        assert refused.value.code == "duplicate_deceased" and refused.value.status == 422
        assert "150702-W01-20260122-0001" in refused.value.message
        _submit(b, _case("150702-W02-20260122-0002", number,
                         duplicate_override={"reason": "另一申请人办理前案未选的事项", "supervisor": "sup01"}))
        _submit(b, _case("150702-W02-20260122-0003", synthetic_id_number(31)))  # another deceased: no question
        cases = fetch_cases(b, key, number)
        assert {c["case_id"] for c in cases} == {"150702-W01-20260122-0001", "150702-W01-20260122-0002",
                                                 "150702-W02-20260122-0001", "150702-W02-20260122-0002"}
        assert all(set(c) == {"case_id", "office", "date"} and c["date"] == "2026-01-22" for c in cases)
        assert fetch_cases(b, key, synthetic_id_number(32)) == []
    finally:
        a.close()
        b.close()
        proc.stop()
