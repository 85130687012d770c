"""The import contracts in .importlinter (issue 13 "Layers enforced by contract") hold: import-linter
builds the import graph including function-local imports, which the Qt-only-in-gui AST test misses."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(*config: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "lint-imports"
    assert exe.exists(), "import-linter is part of the [test] extra: pip install -e '.[test]'"
    return subprocess.run([str(exe), "--no-cache", *map(str, config)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_the_import_contracts_are_kept():
    r = lint_imports()
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout and " kept" in r.stdout


def test_a_broken_contract_fails_the_check(tmp_path):
    """The check can fail: a contract the code visibly breaks (commands import errors, so errors
    cannot sit above commands) makes lint-imports exit non-zero and name the import."""
    broken = tmp_path / "broken.ini"
    broken.write_text(
        "[importlinter]\nroot_package = houshi_desk\n\n"
        "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
        "layers =\n    houshi_desk.errors\n    houshi_desk.commands\n",
        encoding="utf-8")
    r = lint_imports(broken)
    assert r.returncode != 0
    assert "BROKEN" in r.stdout and "houshi_desk.commands" in r.stdout
