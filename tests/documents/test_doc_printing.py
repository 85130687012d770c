"""Printing: the print log tells the truth (补打 only after a successful print, failures logged with
their error), a job sent through Qt to the real cupsd + cups-pdf lands as a PDF whose barcode
decodes, a missing or rejecting printer gives a clear message, keeps the PDF and can be retried."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from doc_pdf import OFFICE, decode_barcodes, wait_for_output
from doc_samples import TODAY, planned_case, stored_case

from houshi_desk.documents import render_document
from houshi_desk.documents import printlog
from houshi_desk.documents.printjobs import PrinterChoices, print_pdf, save_pdf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _qt_sender():
    pytest.importorskip("PySide6.QtPdf", reason="PySide6 QtPdf not installed; the Qt print path cannot run")
    from houshi_desk.gui.printing import QtSender

    return QtSender()


# ------------------------------------------------------------------------------------------ the log

def test_print_log_marks_reprints_only_after_a_successful_print(sqlite_store, settings):
    number = stored_case(sqlite_store, settings)
    from houshi_desk.services.cases import get_case_row

    with sqlite_store.session() as s:
        row = get_case_row(s, number)
        a = printlog.record(s, row, "receipt", "c1", "PDF", "failed", "打印机缺纸", "/x.pdf")
        b = printlog.record(s, row, "receipt", "c1", "PDF", "printed", "", "/x.pdf")
        c = printlog.record(s, row.id, "receipt", "c2", "PDF", "printed", "", "/y.pdf")
        d = printlog.record(s, row, "application", "c1", "", "saved", "", "/z.pdf")
        e = printlog.record(s, row, "application", "c1", "PDF", "printed", "", "/z.pdf")
    assert (a.reprint, b.reprint, c.reprint, d.reprint, e.reprint) == (False, False, True, False, False)
    with sqlite_store.session() as s:
        rows = printlog.history(s, get_case_row(s, number), "receipt")
        assert [(r.status, r.reprint, r.user, r.error) for r in rows] == [
            ("failed", False, "c1", "打印机缺纸"), ("printed", False, "c1", ""), ("printed", True, "c2", "")]
        assert all(r.at is not None for r in rows)


# ------------------------------------------------------------------------------------------ cupsd

@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_qt_print_through_cupsd_lands_and_barcode_decodes(kind, cups_printer, tmp_path):
    printer, out_dir = cups_printer
    sender = _qt_sender()
    case = planned_case("nm", number=f"150702-T{uuid.uuid4().hex[:3].upper()}-20260123-0042")
    doc = render_document(kind, case, office=OFFICE, today=TODAY)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(doc.pdf)
    title = f"houshi-{uuid.uuid4().hex[:10]}"
    sender.send(pdf, printer, "80mm" if kind == "receipt-roll" else "A4", title)
    printed = wait_for_output(out_dir, title)
    try:
        # cups-pdf re-creates text as Type 3 fonts (pdftotext gives garbage): check the barcode instead
        assert decode_barcodes(printed, tmp_path) == [case.number]
        from pypdf import PdfReader

        page = PdfReader(str(printed)).pages[0]
        width_mm = float(page.mediabox.width) / 72 * 25.4
        assert abs(width_mm - (80 if kind == "receipt-roll" else 210)) < 3, width_mm
    finally:
        printed.unlink(missing_ok=True)


def test_missing_printer_is_logged_failed_pdf_kept_then_retry(sqlite_store, settings, cups_printer, tmp_path):
    printer, out_dir = cups_printer
    sender = _qt_sender()
    number = stored_case(sqlite_store, settings)
    from houshi_desk.services.cases import get_case_row, load_case

    with sqlite_store.session() as s:
        case = load_case(s, number)
        row = get_case_row(s, number)
        doc = render_document("receipt", case, office=OFFICE, today=TODAY)
        path = save_pdf(settings, number, "receipt", doc.pdf)
        gone = f"houshi-gone-{uuid.uuid4().hex[:6]}"
        outcome = print_pdf(s, row, "receipt", path, user="c1", printer=gone, sender=sender)
    assert outcome.status == "failed"
    assert "找不到打印机" in outcome.failure.message and gone in outcome.failure.message
    assert outcome.failure.pdf_path == str(path) and path.is_file()  # PDF kept for the retry

    title = f"houshi-{uuid.uuid4().hex[:10]}"
    choices = PrinterChoices.for_settings(settings)
    with sqlite_store.session() as s:
        outcome = print_pdf(s, get_case_row(s, number), "receipt", path, user="c1", printer=printer,
                            sender=sender, title=title, choices=choices)
    assert outcome.status == "printed" and outcome.reprint is False  # the failed try was no print
    wait_for_output(out_dir, title).unlink()
    assert choices.get("receipt") == (printer, "A4")  # remembered for next time
    with sqlite_store.session() as s:
        log = printlog.history(s, get_case_row(s, number), "receipt")
        assert [(r.status, r.printer) for r in log] == [("failed", gone), ("printed", printer)]
        assert "找不到打印机" in log[0].error and log[0].pdf_sha256 == log[1].pdf_sha256 != ""


@pytest.fixture
def rejecting_queue(cups_printer):
    """A second cups-pdf queue of our own that we can make reject jobs (never touch the shared one)."""
    printer, out_dir = cups_printer
    if not shutil.which("lpadmin") or os.geteuid() != 0:
        pytest.skip("lpadmin as root is needed to add a temporary CUPS queue")
    uri = subprocess.run(["lpstat", "-v", printer], capture_output=True, text=True,
                         env={**os.environ, "LC_ALL": "C"}).stdout.split(":", 1)[-1].strip()
    name = f"houshi_rej_{uuid.uuid4().hex[:6]}"
    ppd = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
    r = subprocess.run(["lpadmin", "-p", name, "-v", uri, "-m", ppd, "-E"], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"could not add a temporary CUPS queue: {r.stderr.strip()}")
    subprocess.run(["cupsreject", name], check=True)
    try:
        yield name, out_dir
    finally:
        subprocess.run(["lpadmin", "-x", name], capture_output=True)


def test_rejecting_printer_gives_clear_message_and_retry_prints(rejecting_queue, sqlite_store, settings):
    name, out_dir = rejecting_queue
    sender = _qt_sender()
    number = stored_case(sqlite_store, settings)
    from houshi_desk.services.cases import get_case_row, load_case

    with sqlite_store.session() as s:
        case = load_case(s, number)
        path = save_pdf(settings, number, "application", render_document("application", case, office=OFFICE).pdf)
        # Qt only lists queues it has seen; the CUPS check must still stop a rejecting one
        outcome = print_pdf(s, get_case_row(s, number), "application", path, user="c1", printer=name, sender=sender)
    assert outcome.status == "failed", "a rejecting queue must not be logged as printed"
    assert "拒绝" in outcome.failure.message or "找不到打印机" in outcome.failure.message
    subprocess.run(["cupsaccept", name], check=True)
    title = f"houshi-{uuid.uuid4().hex[:10]}"
    with sqlite_store.session() as s:
        outcome = print_pdf(s, get_case_row(s, number), "application", path, user="c1", printer=name,
                            sender=sender, title=title)
    assert outcome.status == "printed", outcome.error
    wait_for_output(out_dir, title).unlink()


def test_lp_sender_prints_and_reports_missing_queue(cups_printer, tmp_path):
    from houshi_desk.documents.printjobs import LpSender, PrintError

    printer, out_dir = cups_printer
    if not shutil.which("lp"):
        pytest.skip("lp (cups-client) not installed")
    doc = render_document("receipt", planned_case("nm"), office=OFFICE, today=TODAY)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(doc.pdf)
    with pytest.raises(PrintError) as err:
        LpSender().send(pdf, f"houshi-gone-{uuid.uuid4().hex[:6]}", "A4", "x")
    assert "不存在" in err.value.message
    title = f"houshi-{uuid.uuid4().hex[:10]}"
    LpSender().send(pdf, printer, "A4", title)
    printed = wait_for_output(out_dir, title)
    assert decode_barcodes(printed, tmp_path) == [planned_case("nm").number]
    printed.unlink()


def test_every_print_and_save_is_in_the_audit_trail(settings, sqlite_store):
    """Who printed or saved which document of which case: a reprint is marked in the trail too."""
    from houshi_desk import audit
    from houshi_desk.documents import printlog
    from houshi_desk.services.cases import case_from_dict, create_case, get_case_row, sample_case_dict
    import datetime as _dt

    number = create_case(sqlite_store, case_from_dict(sample_case_dict()), settings=settings,
                         today=_dt.date(2026, 1, 21), clerk="clerk1")
    with sqlite_store.session() as s:
        row = get_case_row(s, number)
        printlog.record(s, row, "receipt", "clerk1", "", "saved")
        printlog.record(s, row, "receipt", "clerk1", "PDF", "printed")
        printlog.record(s, row, "receipt", "clerk2", "PDF", "printed")
        printlog.record(s, row, "receipt", "clerk2", "PDF", "failed", "打印机已离线")
    with sqlite_store.session() as s:
        trail = [(e.actor, e.action) for e in audit.entries(s, case_number=number)]
    assert ("clerk1", "export") in trail and ("clerk1", "print") in trail
    assert ("clerk2", "reprint") in trail and ("clerk2", "print_failed") in trail
