"""Checks that each real component of the test-services contract answers (packaging/services.sh).

One test per contract variable; each skips with the reason when its variable is unset, so a run
outside the bootstrap says plainly what was not tested (and in CI, where skips fail, it says which
service did not start).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

HINT = 'start them with: source "$(bash packaging/services.sh start)"'


def _need(var: str) -> str:
    value = os.environ.get(var)
    if not value:
        pytest.skip(f"{var} not set: no test service for it; {HINT}")
    return value


def _need_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (apt-get install {package})")
    return path


def test_postgresql_answers():
    url = _need("HOUSHI_TEST_PG_URL")
    psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (pip install -e '.[test]')")
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(
        dbname=u.database, user=u.username, host=u.query["host"], port=int(u.query["port"]), connect_timeout=5
    ) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        version = conn.execute("show server_version_num").fetchone()[0]
    assert int(version) >= 150000


def test_pcscd_lists_the_virtual_readers():
    port = _need("HOUSHI_TEST_VPCD_PORT")
    assert port == "35963"
    system = pytest.importorskip("smartcard.System", reason="pyscard not installed (pip install -e .)")
    names = [str(r) for r in system.readers()]
    assert any(n.startswith("Virtual PCD 00 00") for n in names), names
    assert any(n.startswith("Virtual PCD 00 01") for n in names), names


def test_cups_pdf_printer_prints(tmp_path: Path):
    printer = _need("HOUSHI_TEST_PRINTER")
    out = Path(_need("HOUSHI_TEST_PRINT_OUT"))
    lpstat = _need_tool("lpstat", "cups-client")
    lp = _need_tool("lp", "cups-client")
    env = dict(os.environ, LC_ALL="C")
    status = subprocess.run([lpstat, "-p", printer], capture_output=True, text=True, env=env, timeout=10)
    assert status.returncode == 0, status.stderr
    assert "enabled" in status.stdout, status.stdout
    default = subprocess.run([lpstat, "-d"], capture_output=True, text=True, env=env, timeout=10)
    assert default.stdout.strip().endswith(printer), default.stdout

    title = f"houshi-env-{uuid.uuid4().hex[:8]}"
    text = tmp_path / "page.txt"
    text.write_text("houshi-desk test page\n", encoding="utf-8")
    subprocess.run([lp, "-d", printer, "-t", title, str(text)], check=True, capture_output=True, timeout=10)
    # cups-pdf names the file after the title, then appends its own suffix (e.g. "__enable-job_7").
    deadline = time.monotonic() + 10
    found = []
    while time.monotonic() < deadline:
        found = [p for p in out.glob(f"{title}*.pdf") if p.stat().st_size > 0]
        if found:
            break
        time.sleep(0.05)
    assert found, f"no PDF for {title} in {out} within 10 s: {sorted(p.name for p in out.iterdir())}"
    # The file appears before Ghostscript has finished writing it; wait for the trailer.
    while time.monotonic() < deadline + 5:
        data = found[0].read_bytes()
        if data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]:
            break
        time.sleep(0.05)
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]


def test_sane_lists_the_test_scanner():
    config_dir = _need("SANE_CONFIG_DIR")
    scanimage = _need_tool("scanimage", "sane-utils")
    assert (Path(config_dir) / "dll.conf").read_text().split() == ["test"]
    result = subprocess.run(
        [scanimage, "-L"], capture_output=True, text=True, timeout=30, env=dict(os.environ, SANE_CONFIG_DIR=config_dir)
    )
    assert "test:0" in result.stdout, result.stdout + result.stderr


def test_xvfb_display_answers():
    display = _need("HOUSHI_TEST_DISPLAY")
    number = display.lstrip(":").split(".")[0]
    assert Path(f"/tmp/.X11-unix/X{number}").is_socket()
    xdpyinfo = shutil.which("xdpyinfo")
    if xdpyinfo:  # x11-utils; the socket check above is the fallback
        result = subprocess.run([xdpyinfo, "-display", display], capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, result.stderr
        assert "1366x768" in result.stdout


QT_PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("办理")
label.show()
app.processEvents()
print(app.platformName())
"""


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_qt_starts_on_the_virtual_screens(platform):
    """The system libraries PySide6 needs are installed (packaging/_bootstrap.sh's list)."""
    pytest.importorskip("PySide6", reason="PySide6 not installed (pip install -e '.[gui]')")
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    if platform == "xcb":
        env["DISPLAY"] = _need("HOUSHI_TEST_DISPLAY")
    else:
        env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, "-c", QT_PROBE], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform
