"""Issue 13: the services behind the window's outbox, supervisor screen, case list and login check
the permission inside (a clerk cannot reach a supervisor's list by calling the service directly; a
clerk of another office cannot cancel another office's sending). Real store, real accounts."""
from __future__ import annotations

from datetime import date

import pytest


def _login(store, settings, name):
    from houshi_desk import users
    from tests.gui.conftest import PASSWORD

    return users.login(store, settings, name, PASSWORD)


def test_supervisor_services_need_the_supervisor(settings, gui_store):
    from houshi_desk.services import supervisor
    from houshi_desk.users.errors import NotLoggedIn, PermissionDenied

    clerk, boss = _login(gui_store, settings, "clerk1"), _login(gui_store, settings, "boss1")
    for call in (lambda u: supervisor.daily_report(gui_store, u, date.today()),
                 lambda u: supervisor.account_list(gui_store, u),
                 lambda u: supervisor.verify_audit(gui_store, u)):
        with pytest.raises(PermissionDenied):
            call(clerk)
        with pytest.raises(NotLoggedIn):
            call(None)
    assert supervisor.daily_report(gui_store, boss, date.today()).total_cases == 0
    assert {u.username for u, _active, _locked in supervisor.account_list(gui_store, boss)} == {"clerk1", "boss1"}
    result, rows = supervisor.verify_audit(gui_store, boss)
    assert result.ok and rows
    from houshi_desk import audit

    with gui_store.session() as s:  # the check itself is audited, by the supervisor
        assert [e.actor for e in audit.entries(s) if e.action == "audit_verify"] == ["boss1"]


def test_outbox_and_case_list_services(settings, gui_store):
    from houshi_desk import users
    from houshi_desk.services import outbox
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.services.people import account_count
    from houshi_desk.services.search import case_list
    from houshi_desk.users.errors import NotLoggedIn, PermissionDenied
    from tests.gui.conftest import PASSWORD

    assert account_count(gui_store) == 2
    number = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=51)), settings=settings,
                         today=date.today(), clerk="clerk1", submit=True)
    clerk = _login(gui_store, settings, "clerk1")
    with pytest.raises(NotLoggedIn):
        case_list(gui_store, None, day=date.today())
    with pytest.raises(NotLoggedIn):
        outbox.outbox_list(gui_store, None, include_finished=True)
    found, names = case_list(gui_store, clerk, day=date.today())
    assert [c.number for c in found] == [number] and names["clerk1"] == "窗口一"
    assert [c.number for c in case_list(gui_store, clerk, text=number)[0]] == [number]
    items, summary = outbox.outbox_list(gui_store, clerk, include_finished=False)
    assert {i["case"] for i in items} == {number} and summary.pending_cases == 1

    with gui_store.session() as s:
        users.add_user(s, username="other3", password=PASSWORD, role="clerk", actor="test",
                       office=(settings.office_name or "") + "（另一办理点）")
    other = _login(gui_store, settings, "other3")
    with pytest.raises(PermissionDenied):
        outbox.cancel_sending(gui_store, other, number)
    assert outbox.outbox_summary(gui_store).pending_cases == 1  # nothing cancelled
    assert outbox.cancel_sending(gui_store, clerk, number) == "cancelled"
    assert outbox.outbox_summary(gui_store).pending_cases == 0
