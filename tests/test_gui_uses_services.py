"""Issue 13 "one home per use case": the window presents; houshi_desk/services/ reads and writes.

An AST scan of every houshi_desk/gui/*.py module (function-local imports included) that fails on
- an import of ``sqlalchemy`` (queries belong in a service),
- an import of the ORM rows (``houshi_desk.store.models*``),
- a ``.session(...)`` call (a transaction opened by the window),
unless the module and the kind of use are on the allow-list below, each with its reason. An entry
that no longer matches anything fails too, so the list only shrinks.
"""
from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[1] / "houshi_desk" / "gui"

# (module, kind) → why it may stay. kind: "sqlalchemy" | "models" | "session".
ALLOWED: dict[tuple[str, str], str] = {
    ("context.py", "models"): "start-up warm-up: imports the mappers once so the first screen does not pay for them; no query",
    ("demo.py", "session"): "demo set-up (`houshi-desk demo`): creates the two demo accounts in an empty store, before any login",
}


def _findings(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name == "sqlalchemy" or name.startswith("sqlalchemy."):
                found.add(("sqlalchemy", node.lineno))
            elif name.startswith("houshi_desk.store.models"):
                found.add(("models", node.lineno))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "session":
            found.add(("session", node.lineno))
    return found


def test_gui_reaches_the_database_only_through_services():
    modules = sorted(GUI.glob("*.py"))
    assert len(modules) > 20, f"no window modules found under {GUI}"
    problems, used = [], set()
    for path in modules:
        for kind, line in sorted(_findings(path), key=lambda x: x[1]):
            key = (path.name, kind)
            if key in ALLOWED:
                used.add(key)
                continue
            problems.append(f"houshi_desk/gui/{path.name}:{line}: {kind} — move this query or transaction into a "
                            f"function of houshi_desk/services/ (taking the store, the logged-in user, settings)")
    assert not problems, "the window reaches the database itself:\n" + "\n".join(problems)
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"allow-list entries that no longer match anything (delete them): {stale}"


def test_the_scan_sees_what_it_must(tmp_path):
    """The scanner finds each kind, function-local imports and calls included."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f(store):\n"
                      "    from sqlalchemy import select\n"
                      "    import houshi_desk.store.models_sync\n"
                      "    with store.session(write=True) as s:\n"
                      "        return s\n", encoding="utf-8")
    assert _findings(sample) == {("sqlalchemy", 2), ("models", 3), ("session", 4)}
