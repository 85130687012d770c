"""``houshi-desk print KIND --case NO [--pdf OUT] [--printer NAME]`` end to end on a real store."""
from __future__ import annotations

import os
import uuid

import pytest
from doc_pdf import decode_barcodes, pdf_text, squash, wait_for_output
from doc_samples import stored_case

from houshi_desk.cli import main

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _log(store, number):
    from houshi_desk.documents import printlog
    from houshi_desk.services.cases import get_case_row

    with store.session() as s:
        return [(r.kind, r.status, r.printer, r.reprint, r.user) for r in printlog.history(s, get_case_row(s, number))]


def test_print_saves_pdf_and_logs(sqlite_store, settings, tmp_path, capsys, login_as):
    login_as("clerk01")
    number = stored_case(sqlite_store, settings, proxy=True)
    out = tmp_path / "out" / "app.pdf"
    assert main(["print", "application", "--case", number, "--pdf", str(out)]) == 0
    assert "已保存 PDF" in capsys.readouterr().out
    text = squash(pdf_text(out.read_bytes(), tmp_path))
    assert "申请表" in text and "代办人" in text
    assert main(["print", "proxy", "--case", number]) == 0
    assert not list(settings.paths.data_dir.rglob("*.pdf")), "the kept copy is encrypted, not a plain PDF"
    assert (out.stat().st_mode & 0o777) == 0o600
    assert _log(sqlite_store, number) == [("application", "saved", "", False, "clerk01"),
                                          ("proxy", "saved", "", False, "clerk01")]


def test_proxy_without_proxy_exits_2_with_message(sqlite_store, settings, capsys, logged_in):
    number = stored_case(sqlite_store, settings)
    assert main(["print", "proxy", "--case", number]) == 2
    assert "没有受托人" in capsys.readouterr().err
    assert _log(sqlite_store, number) == []


def test_unknown_case_exits_2(sqlite_store, capsys, logged_in):
    assert main(["print", "receipt", "--case", "150702-W01-20260123-9999"]) == 2
    assert "找不到受理编号" in capsys.readouterr().err


def test_print_to_cupsd_remembers_printer_and_marks_reprint(sqlite_store, settings, cups_printer, tmp_path, capsys,
                                                            login_as):
    login_as("c1")
    pytest.importorskip("PySide6.QtPdf", reason="PySide6 QtPdf not installed")
    printer, out_dir = cups_printer
    number = stored_case(sqlite_store, settings, submit=True)  # a receipt exists only for an accepted case
    assert main(["print", "receipt", "--case", number, "--printer", printer]) == 0
    assert f"已发送到打印机“{printer}”" in capsys.readouterr().out
    printed = wait_for_output(out_dir, f"{number}-receipt")
    assert decode_barcodes(printed, tmp_path) == [number]
    printed.unlink()
    # No --printer: the one remembered for this kind; the second successful print is 补打
    assert main(["print", "receipt", "--case", number]) == 0
    assert "补打" in capsys.readouterr().out
    wait_for_output(out_dir, f"{number}-receipt").unlink()
    # A printer that is gone: exit 2, clear message, PDF kept, log says failed
    gone = f"houshi-gone-{uuid.uuid4().hex[:6]}"
    assert main(["print", "receipt", "--case", number, "--printer", gone]) == 2
    err = capsys.readouterr().err
    assert ("找不到打印机" in err or "不存在或已被删除" in err) and "PDF 已保存" in err
    assert _log(sqlite_store, number) == [("receipt", "printed", printer, False, "c1"),
                                          ("receipt", "printed", printer, True, "c1"),
                                          ("receipt", "failed", gone, False, "c1")]


def test_retry_resends_the_kept_pdf(sqlite_store, settings, cups_printer, tmp_path, capsys, login_as):
    login_as("c1")
    pytest.importorskip("PySide6.QtPdf", reason="PySide6 QtPdf not installed")
    printer, out_dir = cups_printer
    number = stored_case(sqlite_store, settings, submit=True)  # a receipt exists only for an accepted case
    assert main(["print", "receipt", "--case", number, "--retry", "--printer", printer]) == 2
    assert "没有失败待重试" in capsys.readouterr().err
    gone = f"houshi-gone-{uuid.uuid4().hex[:6]}"
    assert main(["print", "receipt", "--case", number, "--printer", gone]) == 2
    capsys.readouterr()
    assert main(["print", "receipt", "--case", number, "--retry", "--printer", printer]) == 0
    assert "已发送到打印机" in capsys.readouterr().out
    wait_for_output(out_dir, f"{number}-receipt").unlink()
    log = _log(sqlite_store, number)
    assert [(k, st, p) for k, st, p, _, _ in log] == [("receipt", "failed", gone), ("receipt", "printed", printer)]
    from houshi_desk.documents import printlog
    from houshi_desk.services.cases import get_case_row

    with sqlite_store.session() as s:
        rows = printlog.history(s, get_case_row(s, number))
        assert rows[0].pdf_path == rows[1].pdf_path  # the same kept PDF, not a new rendering


def test_receipt_of_a_draft_exits_2(sqlite_store, settings, capsys, login_as):
    login_as("c1")
    number = stored_case(sqlite_store, settings)
    for kind in ("receipt", "receipt-roll", "completion", "受理回执"):
        assert main(["print", kind, "--case", number, "--no-print"]) == 2
        assert "尚未受理" in capsys.readouterr().err
    assert main(["print", "application", "--case", number, "--no-print"]) == 0
