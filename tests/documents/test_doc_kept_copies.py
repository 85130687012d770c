"""Printed copies are kept encrypted (issue 14): after printing every kind of document, nothing in
the data folder is a plain PDF or holds a name or ID number; ``--pdf OUT`` and ``printing.output_dir``
write a plain PDF only where asked, mode 0600; ``print --retry`` resends the encrypted kept copy."""
from __future__ import annotations

import os
import tempfile
import uuid

import pytest
from doc_pdf import wait_for_output
from doc_samples import stored_case

from houshi_desk.cli import main
from houshi_desk.documents import KINDS

SECRETS = ["测试", "样例", "代办人", "11010519491231002X", "360426199101010071", "440524188001010014", "13800000000"]


def _leaks(root) -> list[str]:
    found = []
    for f in root.rglob("*"):
        if not f.is_file():
            continue
        raw = f.read_bytes()
        if raw.startswith(b"%PDF") or b"%PDF-" in raw[:1024]:
            found.append(f"{f}: plain PDF")
        for s in SECRETS:
            for enc in ("utf-8", "utf-16-be", "utf-16-le"):
                if s.encode(enc) in raw:
                    found.append(f"{f}: {s} ({enc})")
    return found


def test_every_kind_printed_leaves_nothing_readable_in_the_data_folder(sqlite_store, settings, capsys, logged_in):
    number = stored_case(sqlite_store, settings, proxy=True, submit=True)  # every kind, receipt included
    for kind in KINDS:
        code = main(["print", kind, "--case", number, "--no-print"])
        out, err = capsys.readouterr()
        assert code == 0, (kind, err)
        assert "加密保存" in out
    from houshi_desk.documents import printlog
    from houshi_desk.documents.printjobs import kept_bytes
    from houshi_desk.services.cases import get_case_row

    with sqlite_store.session() as s:
        rows = printlog.history(s, get_case_row(s, number))
        refs = [r.pdf_path for r in rows]
    assert len(refs) == len(KINDS) and all(r.startswith("filestore:") for r in refs)
    assert all(kept_bytes(settings, r).startswith(b"%PDF") for r in refs), "each kept copy opens again"
    assert _leaks(settings.paths.data_dir) == []
    assert not settings.paths.documents_dir.exists() or not any(settings.paths.documents_dir.iterdir())


def test_pdf_out_and_output_dir_write_a_private_plain_file(sqlite_store, settings, home, tmp_path, capsys, logged_in):
    number = stored_case(sqlite_store, settings, submit=True)
    out = tmp_path / "asked" / "receipt.pdf"
    assert main(["print", "receipt", "--case", number, "--pdf", str(out), "--no-print"]) == 0
    assert out.read_bytes().startswith(b"%PDF") and (out.stat().st_mode & 0o777) == 0o600
    folder = tmp_path / "office-pdfs"
    (home / "settings.toml").write_text(f'[printing]\noutput_dir = "{folder}"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["print", "notice", "--case", number, "--no-print"]) == 0
    assert str(folder) in capsys.readouterr().out
    (saved,) = folder.glob("*.pdf")
    assert (saved.stat().st_mode & 0o777) == 0o600
    assert _leaks(settings.paths.data_dir) == []


def test_retry_resends_the_encrypted_kept_copy(sqlite_store, settings, cups_printer, capsys, logged_in):
    pytest.importorskip("PySide6.QtPdf", reason="PySide6 QtPdf not installed")
    printer, out_dir = cups_printer
    number = stored_case(sqlite_store, settings, submit=True)
    gone = f"houshi-gone-{uuid.uuid4().hex[:6]}"
    assert main(["print", "receipt", "--case", number, "--printer", gone]) == 2
    assert "加密保存" in capsys.readouterr().err
    assert _leaks(settings.paths.data_dir) == []
    assert main(["print", "receipt", "--case", number, "--retry", "--printer", printer]) == 0
    assert "已发送到打印机" in capsys.readouterr().out
    wait_for_output(out_dir, f"{number}-receipt").unlink()
    assert _leaks(settings.paths.data_dir) == []
    tmp = tempfile.gettempdir()
    left = [d for d in os.listdir(tmp) if d.startswith("houshi-print-") and any(
        number.replace("-", "") in f.replace("-", "") for f in os.listdir(os.path.join(tmp, d)))]
    assert left == [], "the temporary copy for the printer is deleted after sending"
