"""The one print workflow (issue 13): services.printing renders and sends with no database lock held —
another window saves a case while a slow printer is being talked to — checks the permission and the
office itself, and refuses a receipt or completion notice for a draft (issue 16 item 16)."""
from __future__ import annotations

import threading
import time

import pytest
from doc_samples import TODAY, sample_dict, stored_case

from houshi_desk.services import cases as svc
from houshi_desk.services.printing import PrintRefused, print_document, retry_print
from houshi_desk.users.accounts import User
from houshi_desk.users.errors import NotLoggedIn, PermissionDenied
from houshi_desk.users.roles import Role

CLERK = User(1, "clerk01", "窗口一", Role.CLERK)


class SlowSender:
    """Stands for a printer that takes its time to answer (the real CUPS queue is tested elsewhere)."""

    name = "slow"

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.sent: list[str] = []
        self.started = threading.Event()

    def send(self, pdf_path, printer, paper, title):
        self.started.set()
        time.sleep(self.seconds)
        self.sent.append(title)


def test_printing_holds_no_lock_while_the_printer_answers(sqlite_store, settings):
    number = stored_case(sqlite_store, settings)
    sender = SlowSender(3.0)
    result = {}
    t = threading.Thread(target=lambda: result.update(out=print_document(
        sqlite_store, settings, number, "application", user=CLERK, sender=sender, printer="PDF")))
    t.start()
    assert sender.started.wait(20)
    began = time.monotonic()
    data = sample_dict()
    data["deceased"]["id_number"] = svc.synthetic_id_number(5)
    other = svc.create_case(sqlite_store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="clerk02")
    saved_in = time.monotonic() - began
    t.join(30)
    assert other and saved_in < 1.5, f"the save waited {saved_in:.1f} s behind the printer"
    doc, outcome = result["out"]
    assert outcome.status == "printed" and sender.sent == [f"{number}-application"] and doc.pages >= 1


def test_receipt_and_completion_of_a_draft_are_refused(sqlite_store, settings):
    number = stored_case(sqlite_store, settings)  # saved, not submitted: a draft
    for kind in ("receipt", "receipt-roll", "completion"):
        with pytest.raises(PrintRefused, match="尚未受理"):
            print_document(sqlite_store, settings, number, kind, user=CLERK, printer="")
    doc, outcome = print_document(sqlite_store, settings, number, "application", user=CLERK, printer="")
    assert outcome.status == "saved"
    svc.submit_case(sqlite_store, number, clerk="clerk01")
    doc, outcome = print_document(sqlite_store, settings, number, "receipt", user=CLERK, printer="")
    assert outcome.status == "saved"


def test_permission_and_office_are_checked_by_the_service(sqlite_store, settings):
    number = stored_case(sqlite_store, settings)
    with pytest.raises(NotLoggedIn):
        print_document(sqlite_store, settings, number, "application", user=None, printer="")
    other_office = User(2, "clerk09", "外办人员", Role.CLERK, office="别的办理点")
    with store_office(sqlite_store, number, "海拉尔区政务服务中心"):
        with pytest.raises(PermissionDenied):
            print_document(sqlite_store, settings, number, "application", user=other_office, printer="")


def test_retry_sends_the_kept_copy_again(sqlite_store, settings):
    number = stored_case(sqlite_store, settings)

    class Broken:
        name = "broken"

        def send(self, *a):
            from houshi_desk.documents.printjobs import PrintError

            raise PrintError("打印机缺纸。")

    doc, outcome = print_document(sqlite_store, settings, number, "application", user=CLERK, sender=Broken(),
                                  printer="PDF")
    assert outcome.status == "failed" and "缺纸" in outcome.error
    again = SlowSender(0)
    outcome = retry_print(sqlite_store, settings, number, "application", user=CLERK, sender=again)
    assert outcome.status == "printed" and again.sent


class store_office:
    """Give the stored case an office (the sample has the terminal's)."""

    def __init__(self, store, number, office):
        self.store, self.number, self.office = store, number, office

    def __enter__(self):
        with self.store.session(write=True) as s:
            svc.get_case_row(s, self.number).office = self.office

    def __exit__(self, *exc):
        return False
