#!/usr/bin/env python3
"""Screenshots of each main screen for the README, taken from the real app in demo mode under Xvfb.

    python packaging/screenshots.py [--out docs/screenshots] [--display :99]

Uses $HOUSHI_TEST_DISPLAY (or --display) when set, else starts its own Xvfb at 1366×768. Runs on a
throw-away demo home (sample accounts, sample cards on the simulated reader — or the virtual card
behind pcscd + vpcd is not used here, so a test run can keep that slot —, the reference platform
in-process) and drives the window
to each screen: login, main window, the new-case steps, the case view with department results,
the outbox and the supervisor's report. PNGs are palette-quantised so they stay small in git.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_xvfb() -> tuple[str, subprocess.Popen | None]:
    display = os.environ.get("HOUSHI_TEST_DISPLAY")
    if display:
        return display, None
    if not shutil.which("Xvfb"):
        sys.exit("Xvfb is not installed and HOUSHI_TEST_DISPLAY is not set: cannot take screenshots")
    for n in range(120, 160):
        if not Path(f"/tmp/.X11-unix/X{n}").exists():
            proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(50):
                if Path(f"/tmp/.X11-unix/X{n}").exists():
                    return f":{n}", proc
                time.sleep(0.1)
            proc.kill()
    sys.exit("could not start Xvfb")


def save(widget, out: Path, name: str) -> None:
    from PIL import Image

    path = out / f"{name}.png"
    widget.grab().save(str(path))
    im = Image.open(path).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    im.save(path, optimize=True)
    print(f"{path} {path.stat().st_size // 1024} KB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--display", default=None)
    args = ap.parse_args()
    if args.display:
        os.environ["HOUSHI_TEST_DISPLAY"] = args.display
    display, xvfb = start_xvfb()
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.pop("QT_SCALE_FACTOR", None)
    home = Path(tempfile.mkdtemp(prefix="houshi-shots-"))
    os.environ["HOUSHI_DESK_HOME"] = str(home)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        return shoot(home, out)
    finally:
        if xvfb is not None:
            xvfb.terminate()
        shutil.rmtree(home, ignore_errors=True)


def shoot(home: Path, out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from houshi_desk.commands.demo import use_demo_keyring

    note = use_demo_keyring(home)
    from PySide6.QtCore import QEventLoop

    from houshi_desk.config import load_settings
    from houshi_desk.gui.app import create_app, start
    from houshi_desk.gui.context import AppContext
    from houshi_desk.gui import demo as demo_module
    from houshi_desk.gui.demo import DemoEnvironment

    # the in-process 模拟读卡器: deterministic, and it never competes with a test run for the vpcd slot
    demo_module.vpcd_reader_name = lambda: None
    app = create_app([])
    from PySide6.QtWidgets import QMessageBox

    def no_modal(parent, title, text, *a, **k):  # a modal box would stop the script: print it instead
        print(f"[message] {title}: {text}")
        return QMessageBox.StandardButton.Yes

    for name in ("warning", "critical", "question", "information"):
        setattr(QMessageBox, name, staticmethod(no_modal))
    settings = load_settings()
    settings.set("office.name", "演示政务服务中心·身后一件事专窗")
    demo = DemoEnvironment(home, keyring_note=note, step_seconds=0.4)
    ctx = AppContext(settings, demo=demo)
    ctx.store_hooks.append(demo.prepare_store)
    window = start(ctx)

    def spin(seconds: float, until=None) -> bool:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)
            if until is not None and until():
                return True
        return until is None

    spin(15, lambda: ctx.store is not None and ctx.sync.uploader is not None)
    spin(0.5)
    save(window.login_dialog, out, "01-login")
    window.login_dialog.try_login()
    spin(5, lambda: ctx.user is not None)

    def new_case(applicant="applicant", relationship=2, with_page=False):
        dlg = window.new_case()
        spin(0.5)
        demo.place(applicant)
        spin(6, lambda: dlg.applicant.person.name.text() != "")
        dlg.applicant.person.relationship.setCurrentIndex(relationship)
        dlg.applicant.person.phone.setText("13800000000")
        return dlg

    # a first case, completely, so the lists and the case view have content
    dlg = new_case()
    spin(0.5)
    save(dlg, out, "03-new-case-applicant")
    dlg.go_next()
    demo.place("deceased")
    spin(6, lambda: dlg.deceased.person.name.text() != "")
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.place.setText("呼伦贝尔市人民医院")
    dlg.death.proof_number.setText("Z150702202600001")
    dlg.death.disposal_number.setText("HH2026000123")
    dlg.death.disposal_date.setText("2026-01-22")
    dlg.go_next()
    iv = dlg.interview
    for name, value in (("deceased_is_household_head", True), ("deceased_has_driving_licence", True),
                        ("pension_type", "urban_rural"), ("medical_insurance", "resident")):
        box = iv._rows[name][1]
        box.setCurrentIndex(box.findData(value))
    spin(0.2)
    for name, value in (("pension_receiving", True), ("medical_bills_settled", True)):
        box = iv._rows[name][1]
        box.setCurrentIndex(box.findData(value))
    spin(0.3)
    save(dlg, out, "04-new-case-interview")
    dlg.go_next()
    from houshi_desk.domain.case import MaterialState

    dlg.materials.set_state(MaterialState.PAPER, dlg.materials.needs[0].code)
    spin(0.2)
    save(dlg, out, "05-new-case-materials")
    dlg.go_next()
    spin(0.2)
    save(dlg, out, "06-new-case-review")
    numbers = []
    dlg.case_created.connect(numbers.append)
    dlg.go_next()
    spin(60, lambda: bool(numbers))
    spin(15, lambda: ctx.sync.summary is not None and ctx.sync.summary.pending_items == 0)
    spin(6)  # the simulated departments report back
    window.refresh()
    spin(1)
    save(window, out, "02-main-window")
    view = window.open_case(numbers[0])
    spin(5, lambda: view.snapshot is not None)
    view.tabs.setCurrentIndex(1)
    spin(0.5)
    save(view, out, "07-case-view-matters")
    view.accept()
    box = window.open_outbox()
    box.show_all.setChecked(True)
    spin(3)
    save(box, out, "08-outbox")
    box.accept()
    # the supervisor's day report
    from houshi_desk import users

    ctx.set_user(users.login(ctx.store, ctx.settings, "zhuguan", demo.credentials[1][1]))
    sup = window.open_supervisor()
    spin(4, lambda: sup.figures is not None)
    spin(0.5)
    save(sup, out, "09-supervisor-report")
    sup.accept()
    ctx.close()
    window.close_confirm = lambda pending: True
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
