"""Issue 15 in the window, every licence kind: against the reference platform in its own process, an
NX window marks the 户口本, 驾驶证 and 社保卡 共享获取 (免提交) with their numbers when the sample
deceased's licences come back, and an NM window takes only the death and cremation certificates from
the same records (NM:231 asks the family for the others; ``shared_basis`` in the catalogs)."""
from __future__ import annotations

import pytest

from tests.gui.flow_steps import reach_interview
from tests.gui.test_shared_prefill import SAMPLE, _log_in_platform, _open, _platform


@pytest.fixture
def platform(tmp_path, settings):
    proc, key, secret = _platform(tmp_path)
    _log_in_platform(settings, proc.url, key, secret)
    yield proc
    proc.stop()


@pytest.fixture
def nx_office(settings):
    settings.set("office.region", "nx")
    settings.set("office.region_code", "640104")
    return settings


def _states(dlg) -> dict[str, str]:
    return {code: state.value for code, state in dlg.materials.states.items()}


def test_an_nx_window_takes_the_household_register_driving_licence_and_social_security_card_from_licences(
        qtbot, nx_office, platform, sim_window):
    ctx, window, reader = sim_window
    assert ctx.settings.office_region == "nx"
    dlg = _open(qtbot, window)
    dlg.shared.request(SAMPLE)
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    lic = dlg.materials.licences
    assert lic["household_register"]["number"] == "HJ2026000123"
    assert lic["driving_licence"]["number"] == "JZ2026000123"
    assert lic["social_security_card"]["number"] == "SB2026000123"
    assert "cremation_cert" not in lic  # an information row in NX (NX:89), no material
    states = _states(dlg)
    for code in ("household_register", "driving_licence", "social_security_card"):
        assert states[code] == "shared", code
    assert "电子证照免提交" in dlg.interview.shared_line.text()


def test_an_nm_window_takes_only_the_certificates_its_seed_shares(qtbot, platform, sim_window):
    ctx, window, reader = sim_window
    assert ctx.settings.office_region == "nm"
    dlg = _open(qtbot, window)
    reach_interview(qtbot, dlg, reader, proof_number="Z150702202600001")
    qtbot.waitUntil(lambda: dlg.shared.state == "ok", timeout=15000)
    assert set(dlg.materials.licences) == {"death_cert_medical", "cremation_cert"}
    dlg.go_next()
    assert dlg.current_key() == "materials", dlg.form.message.text()
    m = dlg.materials
    rows = {n.code: i for i, n in enumerate(m.needs)}
    assert m.table.item(rows["cremation_cert"], 3).text() == "共享获取（免提交）HH2026000123"
    for code in ("household_register", "social_security_card", "driving_licence"):
        assert m.states[code].value != "shared", code
        assert "共享" not in m.table.item(rows[code], 3).text(), code
