"""Issue 15 in the window, against the reference platform in its own process (``spawn``): the
deceased's card read asks for shared records in the background; facts come filled and marked with
source and date, electronic licences are 共享获取 (免提交) with their number on the case and in the
payload; the clerk's change of a shared fact is audited with its reason; with the platform down one
line says so and the interview asks as before (no dialog); a slow answer never overwrites what the
clerk entered."""
from __future__ import annotations

import json
import secrets
import socket
import sqlite3

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.flow_steps import reach_interview

SAMPLE = "11010519491231002X"


def _platform(tmp_path, *extra):
    from houshi_desk.platform_ref.persons import lookup_key
    from houshi_desk.platform_ref.process import spawn

    data = tmp_path / "platform"
    key = lookup_key(data)
    secret = secrets.token_urlsafe(24)
    proc = spawn(data, clients={"term-a": secret}, step_seconds=0.2, extra=extra)
    return proc, key, secret


def _log_in_platform(settings, url, key, secret):
    from houshi_desk.sync.credentials import save_lookup_key, save_secret

    settings.set("platform.url", url)
    settings.set("platform.app_key", "term-a")
    save_secret("term-a", secret)
    save_lookup_key(key)


def _sent(platform, item) -> dict:
    """What a create_case item carries: its frozen body while it waits, the platform's copy once the
    window has delivered it (a delivered item keeps only a stub of its body, issue 19)."""
    from houshi_desk.sync.outbox import is_compacted

    if not is_compacted(item.payload):
        return item.payload
    db = sqlite3.connect(platform.log_path.parent / "platform.db")
    try:
        row = db.execute("SELECT payload FROM cases WHERE case_id = ? AND version = ?",
                         (item.case_number, item.case_version)).fetchone()
    finally:
        db.close()
    return json.loads(row[0])


@pytest.fixture
def platform(tmp_path, settings):
    proc, key, secret = _platform(tmp_path)
    _log_in_platform(settings, proc.url, key, secret)
    yield proc
    proc.stop()


def _open(qtbot, window):
    window.act_new.trigger()
    dlg = window.open_dialogs[-1]
    qtbot.waitUntil(dlg.isVisible)
    return dlg


def test_records_prefill_facts_and_materials_with_provenance_and_an_override_is_audited(
        qtbot, sim_window, platform, monkeypatch):
    from sqlalchemy import select

    from houshi_desk import audit
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.store.models_sync import SyncOutboxRow

    ctx, window, reader = sim_window
    dlg = _open(qtbot, window)
    reach_interview(qtbot, dlg, reader, proof_number="Z150702202600001")
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    iv = dlg.interview
    assert iv.shared["pension_type"]["source"] == "人社"
    label, widget = iv._rows["pension_type"]
    assert "人社 · 共享 2026-11-30" in label.text() and widget.currentData() == "urban_rural"
    assert "公安 · 共享 2026-11-30" in iv._rows["deceased_has_driving_licence"][0].text()
    asked_with = iv.asked_questions()
    assert "pension_type" not in asked_with and "deceased_is_household_head" not in asked_with
    assert "共享数据" in iv.shared_line.text() and not iv.shared_line.isHidden()
    # the clerk changes a shared fact: asked why (answered here), kept with the reason
    monkeypatch.setattr(iv, "ask_override_reason", lambda name, item, value: "家属出示了户口本，户主已变更")
    box = iv._rows["deceased_is_household_head"][1]
    box.setCurrentIndex(box.findData(False))
    box.activated.emit(box.currentIndex())
    assert iv.overrides["deceased_is_household_head"][2] == "家属出示了户口本，户主已变更"
    assert "已改动共享数据" in iv._rows["deceased_is_household_head"][0].text()
    dlg.go_next()
    assert dlg.current_key() == "materials", dlg.form.message.text()
    m = dlg.materials
    assert m.states["death_cert_medical"].value == "shared"
    row = [n.code for n in m.needs].index("death_cert_medical")
    assert m.table.item(row, 3).text() == "共享获取（免提交）Z150702202600001"
    dlg.go_next()
    assert dlg.current_key() == "review"
    with qtbot.waitSignal(dlg.case_created, timeout=90000) as created:
        dlg.go_next()
    number = created.args[0]
    with ctx.store.session() as s:
        case = get_case_row(s, number)
        mat = {x.code: x for x in case.materials}
        assert mat["death_cert_medical"].state == "shared" and "Z150702202600001" in mat["death_cert_medical"].note
        trail = [(e.action, e.detail) for e in audit.entries(s)]
        item = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number,
                                                     SyncOutboxRow.kind == "create_case")).scalar_one()
    assert any(a == "shared_lookup" and "110105********002X" in d for a, d in trail)
    assert any("改动共享数据 deceased_is_household_head" in d and "户主已变更" in d and "公安" in d for _, d in trail)
    sent_case = _sent(platform, item)
    sent = {x["code"]: x for x in sent_case["materials"]}
    assert sent["death_cert_medical"]["licence"] == {"number": "Z150702202600001", "issuer": "呼伦贝尔市人民医院",
                                                     "issued": "2026-01-20"}
    assert sent_case["facts"]["deceased_is_household_head"] is False  # the clerk's value is what goes


def test_platform_down_one_line_and_the_interview_as_today(qtbot, sim_window, settings, tmp_path):
    from houshi_desk.platform_ref.persons import lookup_key

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    _log_in_platform(settings, dead, lookup_key(tmp_path / "p"), "s" * 32)
    ctx, window, reader = sim_window
    dlg = _open(qtbot, window)
    reach_interview(qtbot, dlg, reader, proof_number="Z150702202600001")
    qtbot.waitUntil(lambda: dlg.shared.state == "unavailable", timeout=15000)
    iv = dlg.interview
    assert iv.shared_line.text() == "共享数据暂不可用，按询问办理"
    assert QApplication.activeModalWidget() is None  # no error dialog
    assert iv.shared == {} and "pension_type" in iv.asked_questions()
    assert all("共享" not in iv._rows[n][0].text() for n in iv._rows)
    dlg.go_next()
    assert dlg.current_key() == "materials"
    assert dlg.materials.states["death_cert_medical"].value != "shared"


def test_a_slow_answer_offers_its_data_without_overwriting_the_clerks_entry(qtbot, sim_window, settings, tmp_path):
    proc, key, secret = _platform(tmp_path, "--fault", "slow=1.0")  # every reply trickles out over 2 s
    try:
        _log_in_platform(settings, proc.url, key, secret)
        ctx, window, reader = sim_window
        dlg = _open(qtbot, window)
        dlg.shared.request(SAMPLE)
        assert dlg.shared.state == "asking"
        iv = dlg.interview
        box = iv._rows["pension_type"][1]
        box.setCurrentIndex(box.findData("employee"))  # the clerk answers before the platform does
        box.activated.emit(box.currentIndex())
        qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=20000)
        assert box.currentData() == "employee"
        assert "pension_type" in iv.offered and "pension_type" not in iv.shared
        assert "未覆盖" in iv._rows["pension_type"][0].text() and not iv.adopt_button.isHidden()
        assert iv.shared["deceased_is_household_head"]["source"] == "公安"  # what the clerk left empty is filled
        iv.adopt_offered()  # the clerk takes the shared value
        assert box.currentData() == "urban_rural" and "pension_type" in iv.shared
    finally:
        proc.stop()


def test_the_number_is_not_in_the_client_log(qtbot, sim_window, platform, caplog):
    import logging
    import sqlite3

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the program's log set-up quiets httpx; here it speaks
    ctx, window, reader = sim_window
    dlg = _open(qtbot, window)
    dlg.shared.request(SAMPLE)
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    texts = [caplog.text, platform.log_path.read_text(encoding="utf-8", errors="replace")]
    db = sqlite3.connect(platform.log_path.parent / "platform.db")
    try:
        texts.append(repr(db.execute("SELECT path, note FROM request_log").fetchall()))
    finally:
        db.close()
    assert "/persons/" in texts[-1] and "/persons/" in caplog.text  # the look-up is logged, by reference
    assert all(SAMPLE not in t and SAMPLE[:17] not in t and SAMPLE.lower() not in t for t in texts)


def test_an_open_case_elsewhere_and_a_differing_death_date_are_flagged_before_submit(
        qtbot, sim_window, platform, settings, monkeypatch):
    from sqlalchemy import select

    from houshi_desk import audit
    from houshi_desk.services.cases import DuplicateOverride
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.credentials import load_secret

    # another office already submitted a case for this deceased
    other = "150702-W09-20260120-0001"
    c = PlatformClient(platform.url, "term-a", load_secret("term-a"))
    try:
        c.create_case(secrets.token_hex(8), {
            "case_id": other, "version": 1, "office": "扎兰屯市政务服务中心", "application_date": "2026-01-20",
            "parties": [{"role": "deceased", "name": "测试", "id_number": SAMPLE},
                        {"role": "applicant", "name": "样例", "id_number": "360426199101010071"}], "matters": []})
        c.submit(secrets.token_hex(8), other, {"case_id": other, "version": 1, "matters": [], "attachments": []})
    finally:
        c.close()
    ctx, window, reader = sim_window
    dlg = _open(qtbot, window)
    reach_interview(qtbot, dlg, reader, proof_number="Z150702202600001")
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    assert other in dlg.interview.shared_line.text()
    assert dlg.shared.death_date_mismatch() == ""  # 2026-01-20 as on the certificate
    dlg.death.died_at.setText("2026-01-19 08:30")  # typed wrong
    assert "2026-01-19" in dlg.shared.death_date_mismatch() and "卫健 · 共享" in dlg.shared.death_date_mismatch()
    dlg.go_next()
    dlg.go_next()
    assert dlg.current_key() == "review"
    summary = dlg.review.summary.toPlainText()
    assert "不一致" in summary and other in summary
    dlg.death.died_at.setText("2026-01-20 08:30")
    # a clerk cannot accept it: nothing is saved, the message names the case
    monkeypatch.setattr(dlg.shared, "ask_duplicate_override", lambda: None)
    dlg.go_next()
    assert dlg.number is None and other in dlg.form.message.text() and "主管" in dlg.form.message.text()
    # a supervisor gives a reason: accepted, audited, and the platform is told
    monkeypatch.setattr(dlg.shared, "ask_duplicate_override",
                        lambda: DuplicateOverride("另一申请人办理前案未选的公积金提取", "boss1"))
    with qtbot.waitSignal(dlg.case_created, timeout=90000) as created:
        dlg.go_next()
    number = created.args[0]
    with ctx.store.session() as s:
        trail = [(e.actor, e.detail) for e in audit.entries(s, case_number=number)]
        item = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number,
                                                     SyncOutboxRow.kind == "create_case")).scalar_one()
    assert any(a == "boss1" and other in d and "公积金提取" in d for a, d in trail)
    assert _sent(platform, item)["duplicate_override"] == {"reason": "另一申请人办理前案未选的公积金提取", "supervisor": "boss1"}


def test_another_deceased_drops_the_first_ones_shared_data(qtbot, sim_window, platform):
    from houshi_desk.services.cases import synthetic_id_number

    ctx, window, reader = sim_window
    dlg = _open(qtbot, window)
    dlg.shared.request(SAMPLE)
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    iv = dlg.interview
    assert iv._rows["pension_type"][1].currentData() == "urban_rural"
    assert dlg.materials.licences["death_cert_medical"]["number"] == "Z150702202600001"
    dlg.shared.request(synthetic_id_number(4))  # the wrong card was read first; this one has no records
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    assert iv.shared == {} and iv._rows["pension_type"][1].currentData() != "urban_rural"
    assert "共享" not in iv._rows["pension_type"][0].text()
    assert dlg.materials.licences == {} and dlg.materials.states.get("death_cert_medical") is None
    assert "暂无" in iv.shared_line.text()
