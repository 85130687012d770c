"""Fixtures for the scanning tests: a case with materials on a real store, the encrypted file store,
and the SANE test backend found through SANE_CONFIG_DIR (packaging/services.sh)."""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

MATERIALS = ("death_cert_medical", "cremation_cert", "household_register", "relationship_proof", "bank_card")
CASE_NUMBER = "150702-W01-20260123-0001"


def make_case(store, number: str = CASE_NUMBER) -> str:
    """A case row with the usual materials, written with the ORM (no dependency on the case service)."""
    from houshi_desk.store.models import CaseMaterialRow, CaseRow

    now = datetime(2026, 1, 23, 9, 0)
    with store.session() as s:
        row = CaseRow(
            number=number, region="nm", region_code="150702", terminal_id="W01", office="测试窗口",
            status="draft", clerk="clerk1", created_at=now, updated_at=now, application_date=date(2026, 1, 23),
        )
        row.materials = [CaseMaterialRow(code=c, state="missing", updated_at=now) for c in MATERIALS]
        s.add(row)
    return number


@pytest.fixture
def filestore(settings):
    from houshi_desk.scanning.filestore import FileStore

    return FileStore.for_settings(settings)


@pytest.fixture
def case_number(store) -> str:
    return make_case(store)


@pytest.fixture
def sqlite_case(sqlite_store) -> str:
    return make_case(sqlite_store)


def _sane_dir() -> Path | None:
    d = os.environ.get("SANE_CONFIG_DIR")
    if not d or not (Path(d) / "dll.conf").exists():
        return None
    return Path(d)


@pytest.fixture
def sane_env():
    """SANE with only the test backend (the test-owned config dir from packaging/services.sh)."""
    d = _sane_dir()
    if d is None:
        pytest.skip("SANE test backend not available: SANE_CONFIG_DIR is not set (start packaging/services.sh)")
    try:
        import sane  # noqa: F401
    except ImportError:
        pytest.skip("python-sane is not installed (pip install python-sane; needs libsane-dev)")
    if "test" not in (d / "dll.conf").read_text().split():
        pytest.skip(f"SANE config {d} does not enable the test backend")
    return d
