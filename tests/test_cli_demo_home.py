"""``houshi-desk demo`` puts its data where HOUSHI_DESK_HOME says (issue 16 item 19) and runs its home
in demo mode (issue 13), where rehearsal dates are allowed; the window itself is tested elsewhere."""
from __future__ import annotations

import os


def test_the_demo_honours_houshi_desk_home_and_sets_demo_mode(home, monkeypatch):
    from houshi_desk.commands.demo import demo_home, prepare_home

    monkeypatch.setenv("HOUSHI_DESK_HOME", str(home))  # restored after the test (prepare_home sets it too)
    (home / "system-settings.toml").write_text("", encoding="utf-8")  # production unless the demo says otherwise
    assert demo_home(None) == home.resolve()
    got, settings, _note = prepare_home(None)
    assert got == home.resolve() and os.environ["HOUSHI_DESK_HOME"] == str(home.resolve())
    assert settings.get("office.mode") == "demo"
    from houshi_desk.config import load_settings

    assert load_settings().get("office.mode") == "demo", "written to the demo home's own settings file"
    assert 'mode = "demo"' in (home / "settings.toml").read_text(encoding="utf-8")


def test_an_administrators_lock_on_the_mode_wins(home, monkeypatch):
    from houshi_desk.commands.demo import prepare_home

    monkeypatch.setenv("HOUSHI_DESK_HOME", str(home))
    (home / "system-settings.toml").write_text('[office]\nmode = "production"\n[lock]\nkeys = ["office.mode"]\n',
                                              encoding="utf-8")
    _home, settings, _note = prepare_home(str(home))
    assert settings.get("office.mode") == "production"


def test_an_explicit_home_wins_over_the_environment(home, tmp_path, monkeypatch):
    from houshi_desk.commands.demo import demo_home

    monkeypatch.setenv("HOUSHI_DESK_HOME", str(home))
    assert demo_home(str(tmp_path / "elsewhere")) == (tmp_path / "elsewhere").resolve()
