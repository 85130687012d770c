"""Issue 16 item 14: the acceptance set does not print a whole A4 一次告知单 that would only say
nothing is missing — the result says it was skipped, and a clerk who asks for it still gets it."""
from __future__ import annotations

from datetime import date

from houshi_desk.users.accounts import User
from houshi_desk.users.roles import Role

CLERK = User(1, "clerk1", "窗口一", Role.CLERK)


def _case(store, settings, *, all_received: bool) -> str:
    from houshi_desk.domain.case import MaterialState
    from houshi_desk.services.cases import case_from_dict, create_case, get_case_row, sample_case_dict

    number = create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                         clerk="clerk1", submit=True)
    if all_received:
        with store.session() as s:
            for m in get_case_row(s, number).materials:
                if not MaterialState(m.state).satisfied:
                    m.state = MaterialState.PAPER.value
    return number


def test_empty_notice_is_skipped_and_said(qtbot, settings, gui_store):
    from houshi_desk.gui.print_jobs import documents_for, outcome_summary, outcome_text, print_case_documents
    from houshi_desk.services.cases import case_from_row, get_case_row

    number = _case(gui_store, settings, all_received=True)
    with gui_store.session() as s:
        case = case_from_row(get_case_row(s, number))
    kinds = documents_for(case)
    assert "notice" in kinds
    docs = print_case_documents(gui_store, settings, number, kinds, user=CLERK, today=date.today())
    by_kind = {d.kind: d for d in docs}
    assert by_kind["notice"].status == "skipped" and by_kind["notice"].pdf_path is None
    assert all(d.status == "saved" for k, d in by_kind.items() if k != "notice")
    assert "一次" in outcome_text(docs) and "未打印" in outcome_text(docs)
    assert "无需打印" in outcome_summary(docs)
    # asked for on its own (a reprint from the case): printed anyway
    again = print_case_documents(gui_store, settings, number, ["notice"], user=CLERK, today=date.today())
    from houshi_desk.documents.printjobs import kept_bytes

    assert again[0].status == "saved" and kept_bytes(settings, again[0].pdf_path).startswith(b"%PDF")


def test_notice_with_something_missing_is_printed(qtbot, settings, gui_store):
    from houshi_desk.gui.print_jobs import documents_for, notice_has_items, print_case_documents
    from houshi_desk.services.cases import case_from_row, get_case_row

    number = _case(gui_store, settings, all_received=False)
    with gui_store.session() as s:
        case = case_from_row(get_case_row(s, number))
    assert notice_has_items(case)
    docs = print_case_documents(gui_store, settings, number, documents_for(case), user=CLERK, today=date.today())
    assert {d.kind: d.status for d in docs}["notice"] == "saved"


def test_receipt_names_the_clerk_not_the_login(qtbot, settings, gui_store):
    import subprocess

    from houshi_desk.gui.print_jobs import print_case_documents

    number = _case(gui_store, settings, all_received=False)
    docs = print_case_documents(gui_store, settings, number, ["receipt"], user=CLERK, today=date.today())
    from houshi_desk.documents.printjobs import kept_bytes

    text = subprocess.run(["pdftotext", "-", "-"], input=kept_bytes(settings, docs[0].pdf_path), capture_output=True,
                          check=True).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert "受理人：窗口一" in flat, flat[-200:]
    assert "clerk1" not in flat
