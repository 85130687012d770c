"""Fixtures for the document tests: the office and the cups-pdf printer of the test services.
Helpers live in doc_pdf.py and doc_samples.py (unique module names, imported by the tests)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from doc_pdf import OFFICE

from houshi_desk.documents import Office


@pytest.fixture
def office() -> Office:
    return OFFICE


@pytest.fixture
def cups_printer() -> tuple[str, Path]:
    """(queue name, cups-pdf output dir) from the test-services contract."""
    printer = os.environ.get("HOUSHI_TEST_PRINTER")
    out = os.environ.get("HOUSHI_TEST_PRINT_OUT")
    if not printer or not out:
        pytest.skip("cupsd with cups-pdf not available: HOUSHI_TEST_PRINTER / HOUSHI_TEST_PRINT_OUT not set "
                    "(start packaging/services.sh)")
    return printer, Path(out)
