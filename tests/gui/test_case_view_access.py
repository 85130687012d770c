"""Issue 13 (one home per use case): the window's case view goes through services.case_view, which
checks what ``houshi-desk case show`` checks — 查看案件 and the account's office. A clerk of another
office sees the refusal in the window and none of the family's data, and nothing is audited; the
case's own clerk opens it and the look is audited once."""
from __future__ import annotations

from datetime import date


def _views(store, number):
    from houshi_desk import audit

    with store.session() as s:
        return [e for e in audit.entries(s, case_number=number) if e.action == "view"]


def test_clerk_of_another_office_is_refused_in_the_window(qtbot, app_window, settings, gui_store):
    from houshi_desk import users
    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from tests.gui.conftest import PASSWORD

    ctx, window = app_window
    case = case_from_dict(sample_case_dict(deceased_seq=41))
    number = create_case(gui_store, case, settings=settings, today=date.today(), clerk="clerk1", submit=True)
    with gui_store.session() as s:
        users.add_user(s, username="other1", password=PASSWORD, role="clerk", actor="test",
                       display_name="他点窗口", office=(settings.office_name or "") + "（另一办理点）")
    ctx.set_user(users.login(gui_store, settings, "other1", PASSWORD))

    view = CaseDialog(ctx, number, window)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.header.property("level") == "error", timeout=10000)
    text = view.header.text()
    assert "其他办理点" in text and number in text, text
    assert view.snapshot is None
    assert view.matters.rowCount() == 0 and view.materials.rowCount() == 0
    assert case.deceased.identity.name not in text
    assert not view.submit_button.isEnabled() and not view.close_case_button.isEnabled()
    assert _views(gui_store, number) == []  # a refused look is no look (as `case show`)
    view.close()

    # the case's own office: shown, and the look audited once
    ctx.set_user(users.login(gui_store, settings, "clerk1", PASSWORD))
    ok = CaseDialog(ctx, number, window)
    qtbot.addWidget(ok)
    qtbot.waitUntil(lambda: ok.snapshot is not None, timeout=10000)
    assert case.deceased.identity.name in ok.header.text()
    assert [e.actor for e in _views(gui_store, number)] == ["clerk1"]
    ok.close()


def test_case_snapshot_needs_a_login(settings, gui_store):
    import pytest

    from houshi_desk.services.case_view import case_snapshot
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.users.errors import NotLoggedIn

    number = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=42)), settings=settings,
                         today=date.today(), clerk="clerk1", submit=True)
    with pytest.raises(NotLoggedIn):
        case_snapshot(gui_store, None, number, settings=settings)
    assert _views(gui_store, number) == []


def test_evaluation_services_check_permissions(settings, gui_store):
    """差评整改 is the supervisor's list; the family's evaluation screen names the matters and the
    clerk only for an account that may see the case."""
    import pytest

    from houshi_desk import users
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.services.evaluations import evaluation_case_info, rectification_list, rectify_as
    from houshi_desk.users.errors import PermissionDenied
    from tests.gui.conftest import PASSWORD

    number = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=43)), settings=settings,
                         today=date.today(), clerk="clerk1", submit=True)
    clerk = users.login(gui_store, settings, "clerk1", PASSWORD)
    boss = users.login(gui_store, settings, "boss1", PASSWORD)
    with pytest.raises(PermissionDenied):
        rectification_list(gui_store, clerk)
    with pytest.raises(PermissionDenied):
        rectify_as(gui_store, clerk, 1, note="已整改")
    items, names = rectification_list(gui_store, boss)
    assert items == [] and names["clerk1"] == "窗口一"

    matters, who = evaluation_case_info(gui_store, clerk, number, settings=settings)
    assert matters and who == "窗口一"
    with gui_store.session() as s:
        users.add_user(s, username="other2", password=PASSWORD, role="clerk", actor="test",
                       office=(settings.office_name or "") + "（另一办理点）")
    other = users.login(gui_store, settings, "other2", PASSWORD)
    with pytest.raises(PermissionDenied):
        evaluation_case_info(gui_store, other, number, settings=settings)
