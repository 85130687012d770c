"""Settings: defaults, the user file, administrator locks, and clear messages for bad files."""
from __future__ import annotations

import pytest

from houshi_desk.config import ConfigError, load_settings


def test_defaults_and_home_override(home):
    s = load_settings()
    assert s.get("office.region") == "nm"
    assert s.paths.data_dir == home / "data"
    assert s.paths.config_file == home / "settings.toml"


def test_user_file_overrides_defaults_and_set_persists(home):
    (home / "settings.toml").write_text('[office]\nregion = "nx"\nterminal_id = "W07"\n', encoding="utf-8")
    s = load_settings()
    assert s.get("office.region") == "nx"
    s.set("office.phone", "0951-1234567")
    assert load_settings().get("office.phone") == "0951-1234567"
    assert load_settings().get("office.terminal_id") == "W07"


def test_locked_keys_take_the_administrators_value(home):
    (home / "system-settings.toml").write_text(
        '[platform]\nurl = "https://platform.example"\n[lock]\nkeys = ["platform.url", "office.region"]\n',
        encoding="utf-8")
    (home / "settings.toml").write_text('[platform]\nurl = "http://evil"\n[office]\nregion = "nx"\n', encoding="utf-8")
    s = load_settings()
    assert s.get("platform.url") == "https://platform.example"
    assert s.get("office.region") == "nm", "a locked key without a system value keeps the default"
    assert s.is_locked("platform.url")
    with pytest.raises(ConfigError, match="已由管理员锁定"):
        s.set("platform.url", "http://other")


@pytest.mark.parametrize("content, message", [
    ('[office]\nregoin = "nm"\n', "未知的设置项：office.regoin"),
    ('[office]\nregion = 3\n', "类型不对"),
    ('[idcard]\ntransport = "usb"\n', "只能是"),
    ('[office\nregion = "nm"\n', "格式错误"),
])
def test_bad_settings_file_names_the_problem(home, content, message):
    (home / "settings.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_resource_path_finds_shipped_catalogs():
    from houshi_desk.resources import resource_path

    assert resource_path("resources", "catalogs", "nm-2022.toml").is_file()
    with pytest.raises(ValueError):
        resource_path("elsewhere", "x")
