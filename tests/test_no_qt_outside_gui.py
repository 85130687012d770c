"""House rule: only houshi_desk.gui imports PySide6; everything else imports and runs without Qt.

Imports every module of houshi_desk except the houshi_desk.gui subpackage (found with pkgutil, so
new modules are covered without touching this test) in a fresh interpreter where PySide6 and
shiboken6 cannot be imported, and fails on any module that tried to import them, even one that
caught the ImportError, or that does not import at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import houshi_desk

PROBE = r"""
import importlib, json, pkgutil, sys, traceback

BLOCKED = ("PySide6", "shiboken6")
attempts = []  # (houshi_desk module that asked, Qt module asked for)

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            asker = "?"
            frame = sys._getframe(1)
            while frame is not None:
                mod = frame.f_globals.get("__name__", "")
                if mod.startswith("houshi_desk"):
                    asker = mod
                    break
                frame = frame.f_back
            attempts.append((asker, name))
            raise ImportError(f"{name} is blocked: only houshi_desk.gui may import Qt")
        return None

sys.meta_path.insert(0, NoQt())

def walk(path, prefix):
    # pkgutil over the file system, without importing packages to find their children:
    # that would import houshi_desk.gui itself.
    for info in pkgutil.iter_modules(path, prefix):
        name = info.name
        if name == "houshi_desk.gui" or name.startswith("houshi_desk.gui."):
            continue
        if name.rsplit(".", 1)[-1] == "__main__":  # running it is its job; importing would run it
            continue
        if name.endswith(".migrations.env"):  # Alembic's env.py runs only inside alembic's context
            continue
        yield name
        if info.ispkg:
            yield from walk([f"{info.module_finder.path}/{name.rsplit('.', 1)[-1]}"], name + ".")

import houshi_desk
names = ["houshi_desk"] + sorted(walk(houshi_desk.__path__, "houshi_desk."))
failures = {}
for name in names:
    try:
        importlib.import_module(name)
    except BaseException:
        failures[name] = traceback.format_exc(limit=-6)
print(json.dumps({"modules": names, "failures": failures, "qt_attempts": attempts}))
"""


def test_no_module_outside_gui_imports_qt():
    root = Path(houshi_desk.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, cwd=root
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    modules = report["modules"]
    # The walk itself must work: it sees at least the modules every checkout has.
    assert {"houshi_desk", "houshi_desk.cli", "houshi_desk.errors"} <= set(modules), modules
    assert not any(m.startswith("houshi_desk.gui") for m in modules)

    problems = []
    for asker, qt_name in report["qt_attempts"]:
        problems.append(f"{asker} imports {qt_name} (only houshi_desk.gui may)")
    for name, tb in report["failures"].items():
        problems.append(f"{name} does not import without Qt:\n{tb}")
    assert not problems, f"checked {len(modules)} modules:\n" + "\n".join(problems)
