"""Packaging: the frozen build starts on a bare machine, the .deb installs and removes cleanly,
the Windows installer script is sound, and the data folders travel with every form of the app."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from smoke_test import smoke  # noqa: E402

APPID = "cn.gov.houshidesk"
DATA_FILES = ["resources/catalogs/nm-2022.toml", "resources/catalogs/nx-2025.toml", "resources/catalogs/README.md"]


def _sources_mtime() -> float:
    newest = 0.0
    for folder in ("houshi_desk", "resources", "ui", "printing", "packaging/pyinstaller"):
        for p in (ROOT / folder).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                newest = max(newest, p.stat().st_mtime)
    return newest


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Path:
    """dist/houshi-desk, built by packaging/build_frozen.sh unless an up-to-date build exists."""
    dist = ROOT / "dist"
    exe = dist / "houshi-desk" / "houshi-desk"
    if not exe.exists() or exe.stat().st_mtime < _sources_mtime():
        r = subprocess.run(["bash", str(ROOT / "packaging/build_frozen.sh")], capture_output=True, text=True,
                           timeout=1200, env={**os.environ, "PYTHON": sys.executable})
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return dist / "houshi-desk"


def test_frozen_build_carries_the_data_folders_and_migrations(frozen):
    data = frozen / "_internal" / "houshi_desk" / "_data"
    for rel in DATA_FILES:
        assert (data / rel).is_file(), rel
    assert any((data / "printing").iterdir())
    versions = frozen / "_internal" / "houshi_desk" / "store" / "migrations" / "versions"
    assert sorted(p.name for p in versions.glob("*.py")) == sorted(
        p.name for p in (ROOT / "houshi_desk/store/migrations/versions").glob("*.py"))


def test_frozen_build_ships_compiled_bytecode(frozen):
    """issue 19: nothing is compiled on the clerk's PC at start-up. Our modules (and their
    dependencies) are code objects in the executable's PYZ archive, and the migrations Alembic reads
    from disk carry their .pyc beside them; no other source of ours lies loose in the build."""
    from PyInstaller.archive.readers import CArchiveReader

    pyz = CArchiveReader(str(frozen / "houshi-desk")).open_embedded_archive("PYZ.pyz")
    for name in ("houshi_desk.cli", "houshi_desk.gui.app", "houshi_desk.gui.login", "houshi_desk.store.db",
                 "sqlalchemy", "PySide6"):
        assert name in pyz.toc, name
    assert isinstance(pyz.extract("houshi_desk.gui.app"), type(test_frozen_build_ships_compiled_bytecode.__code__))
    internal = frozen / "_internal" / "houshi_desk"
    migrations = internal / "store" / "migrations"
    sources = [migrations / "env.py", *sorted((migrations / "versions").glob("*.py"))]
    tag = sys.implementation.cache_tag
    missing = [str(p) for p in sources if not (p.parent / "__pycache__" / f"{p.stem}.{tag}.pyc").is_file()]
    assert not missing, missing
    loose = [str(p) for p in internal.rglob("*.py") if migrations not in p.parents]
    assert not loose, loose


def test_frozen_cli_works_on_a_fresh_home(frozen, tmp_path):
    env = {**os.environ, "HOUSHI_DESK_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    r = subprocess.run([str(frozen / "houshi-desk"), "doctor", "--json"], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_frozen_app_smoke(frozen):
    ok, report, _ = smoke(str(frozen / "houshi-desk"))
    assert ok, report


def test_deb_builds_installs_smokes_and_removes(frozen, tmp_path):
    if os.geteuid() != 0 or not shutil.which("dpkg"):
        pytest.skip(reason="installing a .deb needs root and dpkg (run as root, as CI does)")
    r = subprocess.run(["bash", str(ROOT / "packaging/deb/build_deb.sh"), str(tmp_path)], capture_output=True,
                       text=True, timeout=900, env={**os.environ, "DISTPATH": str(frozen.parent)})
    assert r.returncode == 0, r.stderr
    deb = Path(r.stdout.strip().splitlines()[-1])
    info = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Depends"], capture_output=True, text=True).stdout
    assert APPID in info
    for dep in ("pcscd", "libpcsclite1", "libccid", "libsane1", "cups-client"):
        assert dep in info
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    paths = subprocess.run(["tar", "-t"], input=tar, capture_output=True, check=True).stdout.decode().splitlines()
    assert all(p in ("./", "./opt/", "./opt/apps/") or p.startswith(f"./opt/apps/{APPID}/") for p in paths), \
        "everything lives under /opt/apps/<appid>/"
    assert f"./opt/apps/{APPID}/entries/applications/{APPID}.desktop" in paths
    assert f"./opt/apps/{APPID}/info" in paths

    subprocess.run(["dpkg", "-r", APPID], capture_output=True)  # leftovers from an interrupted run
    r = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    try:
        installed = Path(f"/opt/apps/{APPID}/files/houshi-desk/houshi-desk")
        assert installed.exists()
        ok, report, _ = smoke(str(installed))
        assert ok, report
    finally:
        r = subprocess.run(["dpkg", "-r", APPID], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert not Path(f"/opt/apps/{APPID}").exists()


WIX = "{http://wixtoolset.org/schemas/v4/wxs}"


def test_windows_installer_script_is_sound():
    wxs = ROOT / "packaging/windows/houshi-desk.wxs"
    tree = ET.parse(wxs)  # well-formed
    package = tree.getroot().find(f"{WIX}Package")
    assert package is not None and package.get("Scope") == "perMachine"
    assert package.find(f"{WIX}MajorUpgrade") is not None
    assert len(package.get("UpgradeCode")) == 36
    # Every file the script names exists beside it.
    for el in tree.iter():
        for attr in ("Source", "SourceFile"):
            if el.get(attr):
                assert (wxs.parent / el.get(attr).replace("\\", "/")).is_file(), el.get(attr)
    files = [el for el in tree.iter(f"{WIX}Files")]
    assert files and all(f.get("Include", "").startswith("$(var.DistDir)") for f in files)
    shortcut = next(tree.iter(f"{WIX}Shortcut"))
    assert shortcut.get("Target") == "[INSTALLFOLDER]houshi-desk.exe"
    settings = next(c for c in tree.iter(f"{WIX}Component") if c.get("Id") == "SystemSettings")
    assert settings.get("Permanent") == "yes" and settings.get("NeverOverwrite") == "yes"
    # Uninstall removes nothing but its own menu folder: the users' data directory stays.
    for el in list(tree.iter(f"{WIX}RemoveFolder")) + list(tree.iter(f"{WIX}RemoveFile")):
        assert el.get("Directory") in (None, "AppMenuFolder")
    assert not any(el.get("Id") == "LocalAppDataFolder" for el in tree.iter(f"{WIX}StandardDirectory"))
    # The system settings template parses and only uses known keys once uncommented.
    import tomllib

    from houshi_desk.config import SETTINGS

    text = (wxs.parent / "system-settings.toml").read_text(encoding="utf-8")
    uncommented = "\n".join(line[2:] if line.startswith("# ") and ("=" in line or line.startswith("# [")) else ""
                            for line in text.splitlines())
    data = tomllib.loads(uncommented)
    for key in data.get("lock", {}).get("keys", []):
        assert key in SETTINGS


def test_offline_bundle_installs_without_any_index(tmp_path):
    """The USB-stick install: every wheel is in the bundle, pip may not look anywhere else."""
    bundle = tmp_path / "bundle"
    r = subprocess.run(["bash", str(ROOT / "packaging/offline/make_bundle.sh"), "linux", str(bundle)],
                       capture_output=True, text=True, timeout=1200, env={**os.environ, "PYTHON": sys.executable})
    assert r.returncode == 0, r.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no machine-wide index or find-links: the bundle alone
    target = tmp_path / "venv"
    r = subprocess.run(["sh", str(bundle / "install.sh"), str(target)], capture_output=True, text=True,
                       timeout=1200, env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    r = subprocess.run([str(target / "bin" / "houshi-desk"), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "houshi-desk" in r.stdout
    r = subprocess.run([str(target / "bin" / "python"), "-c",
                        "from houshi_desk.resources import resource_path; "
                        "print(resource_path('resources','catalogs','nm-2022.toml').is_file())"],
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "True", r.stderr


def test_two_executables_window_without_console_cli_with_one(frozen):
    """issue 13: the MSI's shortcut starts houshi-desk.exe (windowed: no console behind the window);
    the sync task starts houshi-desk-cli.exe (console). Checked in the spec PyInstaller built here, and
    both are in the build and run."""
    import ast

    spec = ast.parse((ROOT / "packaging/pyinstaller/houshi-desk.spec").read_text(encoding="utf-8"))
    exes = {}
    for node in ast.walk(spec):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "EXE":
            kw = {k.arg: k.value for k in node.keywords}
            exes[ast.literal_eval(kw["name"])] = ast.literal_eval(kw["console"])
    assert exes == {"houshi-desk": False, "houshi-desk-cli": True}
    for name in exes:
        assert (frozen / name).is_file()
    r = subprocess.run([str(frozen / "houshi-desk-cli"), "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "houshi-desk" in r.stdout
    task = (ROOT / "packaging/windows/houshi-desk-sync-task.xml").read_text(encoding="utf-8")
    assert "houshi-desk-cli.exe" in task and "houshi-desk.exe\"" not in task


def test_frozen_build_prints_through_its_own_child_process(frozen, tmp_path):
    """A frozen build prints like the source build: the executable's ``_print-worker`` entry is the
    child that sends the PDF to the real CUPS PDF printer (never the window's own process)."""
    printer = os.environ.get("HOUSHI_TEST_PRINTER")
    out_dir = os.environ.get("HOUSHI_TEST_PRINT_OUT")
    if not printer or not out_dir:
        if os.environ.get("CI"):
            pytest.fail("CI must provide the CUPS PDF printer")
        pytest.skip(reason="no CUPS PDF printer (HOUSHI_TEST_PRINTER) in this environment")
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "frozen-print.pdf"
    c = Canvas(str(pdf))
    c.drawString(100, 700, "frozen print worker")
    c.save()
    title = f"frozen-{os.getpid()}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([str(frozen / "houshi-desk-cli"), "_print-worker", str(pdf), printer, "A4", title],
                       capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    deadline = time.time() + 30
    while time.time() < deadline and not any(title in p.name for p in Path(out_dir).glob("*.pdf")):
        time.sleep(0.2)
    assert any(title in p.name for p in Path(out_dir).glob("*.pdf"))


def test_frozen_build_carries_the_ocr_models(frozen):
    """issue 18: the OCR cross-check is in the frozen Linux build (and so the .deb): rapidocr's PP-OCRv6
    models from its wheel and the onnxruntime library are packed (nothing is downloaded at run time)."""
    internal = frozen / "_internal"
    models = sorted(p.name for p in internal.glob("rapidocr/models/*.onnx"))
    assert any("det" in m for m in models) and any("rec" in m for m in models), models
    assert list(internal.glob("onnxruntime/capi/onnxruntime_pybind11_state*")), "onnxruntime not packed"
