#!/usr/bin/env bash
# Builds the one-dir frozen app into dist/houshi-desk/ (Linux; on Windows run the same pyinstaller
# line from a venv with the package installed: see packaging/windows/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q "pyinstaller>=6"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath "${DISTPATH:-dist}" packaging/pyinstaller/houshi-desk.spec
du -sh "${DISTPATH:-dist}/houshi-desk"
