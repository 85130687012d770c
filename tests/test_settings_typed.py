"""Typed settings (issue 13): every declared setting is an attribute of ``Settings``; no code outside
``houshi_desk/config.py`` reads a setting by string key; the database URL from the environment does
not beat an administrator's lock."""
from __future__ import annotations

import ast
from pathlib import Path

from houshi_desk.config import SETTINGS, Settings, attribute_name, load_settings

PACKAGE = Path(__file__).resolve().parents[1] / "houshi_desk"


def test_every_setting_is_an_attribute(home):
    settings = load_settings()
    for key, spec in SETTINGS.items():
        value = getattr(settings, attribute_name(key))
        assert value == settings.get(key)
        assert isinstance(value, spec.type), key


def test_no_setting_is_read_by_string_key_outside_config():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "config.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            key = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                key = node.args[0].value
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            if isinstance(key, str) and key in SETTINGS:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {key}")
    assert not offenders, "read settings as attributes (settings.office_region):\n" + "\n".join(offenders)


def test_database_url_from_the_environment_respects_the_lock(home, monkeypatch):
    system = Path(home) / "system-settings.toml"
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", "postgresql+psycopg://intruder@example.invalid/x")
    assert load_settings().database_url.startswith("postgresql+psycopg://intruder")
    system.write_text('[database]\nurl = ""\n[lock]\nkeys = ["database.url"]\n', encoding="utf-8")
    assert load_settings().database_url == ""  # the administrator's embedded database stays
    assert isinstance(Settings.__dict__.get("database_url"), property)
