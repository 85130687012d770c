"""Issue 16 items 7 and 16 in the window: the proxy step asks the 受托人's 工作单位, the applicant's
illness (因患___) and the 委托期限 (default: today .. + proxy.default_validity_days, editable, an
impossible one refused in words); the accepted case carries them. A draft case offers a preview of its
papers watermarked 草稿, while printing a draft's 受理回执 stays refused."""
from __future__ import annotations

from datetime import date, timedelta

import pytest


def set_text(edit, text: str) -> None:
    """Chinese text without keyClicks (which aborts on non-Latin-1): setText + textEdited."""
    edit.setText(text)
    edit.textEdited.emit(text)


def pdf_text(pdf: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


def walk_to_proxy(qtbot, dlg, reader):
    reader.insert("applicant")
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=5000)
    dlg.applicant.person.relationship.setCurrentIndex(2)
    dlg.applicant.proxy_box.setChecked(True)
    dlg.go_next()
    assert dlg.current_key() == "proxy"
    reader.insert("hmt_permit")
    qtbot.waitUntil(lambda: dlg.proxy.person.name.text() == "陈样本", timeout=5000)
    dlg.proxy.person.relationship.setCurrentIndex(8)  # 其他


def test_proxy_step_fields_reach_the_accepted_case(qtbot, sim_window):
    from houshi_desk.services.cases import load_case

    ctx, window, reader = sim_window
    ctx.settings.set("proxy.default_validity_days", 60)
    dlg = window.new_case()
    walk_to_proxy(qtbot, dlg, reader)
    step = dlg.proxy
    today = ctx.today()
    assert step.person.employer.isVisibleTo(step.person)  # the proxy has a 工作单位 now
    assert step.valid_from.value() == today and step.valid_to.value() == today + timedelta(days=60)
    set_text(step.person.employer, "呼伦贝尔样例有限公司")
    set_text(step.illness, "脑梗后遗症，长期卧床")

    set_text(step.valid_to, (today - timedelta(days=1)).isoformat())  # ends before it starts: refused
    dlg.go_next()
    assert dlg.current_key() == "proxy"
    assert "委托期限" in dlg.form.message.text() and dlg.focusWidget() is step.valid_to
    set_text(step.valid_to, (today + timedelta(days=30)).isoformat())
    dlg.go_next()
    assert dlg.current_key() == "deceased", dlg.form.message.text()

    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.proof_number.setText("Z1")
    dlg.go_next()
    box = dlg.interview._rows["sole_relative_incapacitated"][1]
    box.setCurrentIndex(box.findData(True))
    dlg.go_next()
    assert dlg.current_key() == "materials", dlg.form.message.text()
    dlg.go_next()
    review = dlg.review.summary.toPlainText()
    assert "脑梗后遗症" in review and "呼伦贝尔样例有限公司" in review
    assert (today + timedelta(days=30)).isoformat() in review
    dlg.review.preview_button.click()  # the papers before anything is saved, marked 草稿
    qtbot.waitUntil(lambda: getattr(dlg, "preview_dialog", None) is not None, timeout=60000)
    previews = {p.kind: p for p in dlg.preview_dialog.previews}
    assert set(previews) == {"application", "promise", "proxy", "notice", "receipt"}
    text = pdf_text(previews["proxy"].pdf)
    assert "草稿" in text and "呼伦贝尔样例有限公司" in text and "脑梗后遗症" in text.replace("\n", "")
    assert f"至{today + timedelta(days=30):%Y年%-m月%-d日}" in text.replace(" ", "").replace("\n", "")
    dlg.preview_dialog.reject()
    assert dlg.current_key() == "review" and dlg.number is None  # nothing was saved
    with qtbot.waitSignal(dlg.case_created, timeout=60000) as created:
        dlg.go_next()
    with ctx.store.session() as s:
        case = load_case(s, created.args[0])
    assert case.proxy.employer == "呼伦贝尔样例有限公司"
    assert case.applicant.note == "脑梗后遗症，长期卧床"
    assert (case.proxy.authorised_from, case.proxy.authorised_to) == (today, today + timedelta(days=30))


def test_without_a_proxy_the_illness_is_not_kept(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    walk_to_proxy(qtbot, dlg, reader)
    set_text(dlg.proxy.illness, "脑梗后遗症")
    dlg.go_back()
    dlg.applicant.proxy_box.setChecked(False)
    dlg.go_next()
    assert dlg.current_key() == "deceased"
    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.proof_number.setText("Z1")
    case = dlg.case_so_far()
    assert case.proxy is None and case.applicant.note == ""
    dlg.has_input = lambda: False


def draft_case(store, settings) -> str:
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    data = sample_case_dict()
    data["facts"]["sole_relative_incapacitated"] = True
    data["applicant"]["note"] = "脑梗后遗症"
    data["proxy"] = {"name": "代办人", "id_number": "440524188001010014", "sex": "男", "birth_date": "1880-01-01",
                     "relationship": "other", "employer": "呼伦贝尔样例有限公司", "phone": "13900000000"}
    return create_case(store, case_from_dict(data), settings=settings, today=date.today(), clerk="clerk1")


def test_a_draft_case_offers_a_preview_watermarked_draft(qtbot, tmp_path, app_window, settings, gui_store):
    import subprocess

    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.services.printing import PrintRefused, print_document

    ctx, window = app_window
    number = draft_case(gui_store, settings)
    dlg = CaseDialog(ctx, number, window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.snapshot is not None, timeout=10000)
    assert dlg.preview_button.isVisibleTo(dlg)
    overview = dlg.overview.toPlainText()
    assert "脑梗后遗症" in overview and "呼伦贝尔样例有限公司" in overview
    today = date.today()
    assert f"委托期限 {today.isoformat()} 至 {(today + timedelta(days=90)).isoformat()}" in overview
    dlg.preview_button.click()
    qtbot.waitUntil(lambda: getattr(dlg, "preview_dialog", None) is not None, timeout=60000)
    preview = dlg.preview_dialog
    assert [p.kind for p in preview.previews] == ["application", "promise", "proxy", "notice", "receipt"]
    assert preview.tabs.count() == 5 and "草稿" in preview.windowTitle()
    for p in preview.previews:
        assert p.draft
        f = tmp_path / f"{p.kind}.pdf"
        f.write_bytes(p.pdf)
        text = subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True, check=True).stdout
        assert "草稿" in text, p.kind
    preview.reject()
    # the preview is no receipt: printing (not previewing) a draft's 受理回执 is still refused
    with pytest.raises(PrintRefused, match="尚未受理"):
        print_document(gui_store, settings, number, "receipt", user=ctx.user, printer="", today=date.today())
    with ctx.store.session() as s:
        from sqlalchemy import select

        from houshi_desk.services.cases import get_case_row
        from houshi_desk.store.models import PrintLogRow

        row = get_case_row(s, number)
        assert row.status == "draft"
        assert not s.execute(select(PrintLogRow).where(PrintLogRow.case_id == row.id)).scalars().all()


def test_an_accepted_case_offers_no_draft_preview(qtbot, app_window, settings, gui_store):
    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.services.cases import submit_case

    ctx, window = app_window
    number = draft_case(gui_store, settings)
    submit_case(gui_store, number, clerk="clerk1")
    dlg = CaseDialog(ctx, number, window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.snapshot is not None, timeout=10000)
    assert not dlg.preview_button.isVisibleTo(dlg)
