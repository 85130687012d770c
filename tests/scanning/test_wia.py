"""The Windows WIA backend: only testable on Windows with a scanner; elsewhere it must refuse cleanly."""
from __future__ import annotations

import sys

import pytest

from houshi_desk.scanning import wia
from houshi_desk.scanning.errors import ScanError
from houshi_desk.scanning.sources import open_source


def test_wia_refuses_cleanly_off_windows():
    if sys.platform == "win32":
        pytest.skip("not on this OS: this checks the refusal off Windows; on Windows test_wia_lists_devices runs")
    ok, why = wia.available()
    assert not ok and why.startswith("not on this OS:")
    with pytest.raises(ScanError) as e:
        wia.WiaSource()
    assert "WIA" in e.value.message
    with pytest.raises(ScanError):
        open_source("wia")


def test_wia_lists_devices():
    ok, why = wia.available()
    if not ok:
        pytest.skip(why)
    assert isinstance(wia.WiaSource().devices(), list)
