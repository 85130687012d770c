#!/usr/bin/env bash
# Offline installation bundle: every wheel houshi-desk needs, plus an install script, in one folder
# (zip it for a USB stick). For PCs without internet that install from Python rather than the .deb.
#
#     bash packaging/offline/make_bundle.sh linux   [OUT]   # wheels built here (pyscard, python-sane compile)
#     bash packaging/offline/make_bundle.sh windows [OUT]   # win_amd64 / CPython 3.11 binary wheels only,
#                                                           # with the OCR cross-check (rapidocr, onnxruntime)
#
# On the target:  sh install.sh        (Linux: creates ./venv and installs with --no-index)
#                 powershell -File install.ps1   (Windows)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
TARGET=${1:-linux}
OUT=${2:-dist/houshi-desk-offline-$TARGET}
PY=${PYTHON:-.venv/bin/python}
rm -rf "$OUT"; mkdir -p "$OUT/wheels"
"$PY" -m pip wheel -q --no-deps -w "$OUT/wheels" .
case "$TARGET" in
  linux)
    "$PY" -m pip wheel -q -w "$OUT/wheels" ".[gui,sane]" ;;
  windows)
    # Requirement list from the wheel's metadata, resolved for Windows without building anything.
    "$PY" -m pip download -q --only-binary=:all: --platform win_amd64 --python-version 3.11 \
        --implementation cp -d "$OUT/wheels" "$(ls "$OUT"/wheels/houshi_desk-*.whl)[gui,ocr]" ;;
  *) echo "usage: make_bundle.sh linux|windows [OUT]" >&2; exit 2 ;;
esac
cat > "$OUT/install.sh" <<'SH'
#!/bin/sh
# Installs houshi-desk from the wheels beside this script, without internet.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python3 -m venv "${1:-$here/venv}"
"${1:-$here/venv}/bin/pip" install --no-index --find-links "$here/wheels" "houshi-desk[gui,sane]"
echo "installed: ${1:-$here/venv}/bin/houshi-desk"
SH
cat > "$OUT/install.ps1" <<'PS'
# Installs houshi-desk from the wheels beside this script, without internet (Python 3.11 x64 required).
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
py -3.11 -m venv "$here\venv"
& "$here\venv\Scripts\pip.exe" install --no-index --find-links "$here\wheels" "houshi-desk[gui,ocr]"
Write-Output "installed: $here\venv\Scripts\houshi-desk.exe"
PS
chmod +x "$OUT/install.sh"
echo "$OUT ($(ls "$OUT/wheels" | wc -l) wheels, $(du -sh "$OUT" | cut -f1))"
