"""Step 1 as a clerk meets it (issue 16 item 10): after "请选择与逝者的关系" the focus goes to the
relationship, not back to 姓名; the red message goes once the expiry reason is entered; the review
step shows that reason."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_focus_follows_the_problem_and_a_fixed_problem_clears_its_message(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reader.insert("applicant")
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=5000)
    person = dlg.applicant.person
    person.relationship.setCurrentIndex(0)  # 请选择
    dlg.go_next()
    assert dlg.current_key() == "applicant"
    assert "关系" in dlg.form.message.text()
    assert QApplication.focusWidget() is person.relationship or person.relationship.hasFocus()
    person.relationship.setCurrentIndex(2)
    # an expired card: the reason is asked, and once given the red message goes by itself
    person.valid_to.setText("2020-01-01")
    person.refresh_problems()
    dlg.go_next()
    assert dlg.current_key() == "applicant" and dlg.form.message.property("level") == "error"
    assert person.override.isVisibleTo(person)
    assert QApplication.focusWidget() is person.override or person.override.hasFocus()
    person.override.setText("新证办理中，已核验临时身份证明")
    person.override.textEdited.emit(person.override.text())
    assert dlg.form.message.property("level") != "error", dlg.form.message.text()
    assert dlg.override_reason() == "新证办理中，已核验临时身份证明"
    dlg.has_input = lambda: False
