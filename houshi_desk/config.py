"""Settings: where things live and what an office has configured.

Three layers, later ones winning unless a key is locked:
  built-in defaults → the user's ``settings.toml`` → (locked keys of) the system-scope file.
The system-scope file (``HOUSHI_DESK_SYSTEM_CONFIG`` or the platform's site config dir) is written by
provincial IT; a key listed in its ``[lock] keys`` cannot be changed by the user file or the GUI.

Paths come from platformdirs; ``HOUSHI_DESK_HOME`` puts everything (settings, data, logs) under one
folder, which the demo, the tests and portable installs use.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "houshi-desk"


class ConfigError(Exception):
    """A settings file that cannot be used; the message is for the person who wrote it."""


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple | None = None


def _s(key, typ, default, description, choices=None) -> Setting:
    return Setting(key, typ, default, description, choices)


# Every setting the program reads. Names are dotted ``section.name`` as in the TOML file.
SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        _s("office.region", str, "nm", "地区目录（nm=内蒙古 2022，nx=宁夏 2025）"),
        _s("office.region_code", str, "150702", "行政区划代码（6 位），用于受理编号"),
        _s("office.terminal_id", str, "W01", "窗口/终端编号（同一大厅内唯一）"),
        _s("office.name", str, "政务服务中心身后一件事专窗", "办理机构名称（打印在回执上）"),
        _s("office.phone", str, "0470-0000000", "窗口咨询电话（打印在回执上）"),
        _s("office.mode", str, "production",
           "运行模式：production（正式，默认）、demo（演示）、test（测试）；正式模式下不能倒填受理日期",
           ("production", "demo", "test")),
        _s("database.url", str, "", "数据库地址；空 = 本机加密 SQLite；postgresql+psycopg://… = 大厅模式"),
        _s("platform.url", str, "", "省级共享平台地址；空 = 未配置"),
        _s("platform.ca_file", str, "", "平台 TLS 根证书（PEM）；空 = 系统默认"),
        _s("platform.signing", str, "hmac-sha256", "请求签名方式：hmac-sha256、hmac-sm3（sm3）或 sm2（钥匙串中保存终端的 SM2 私钥）",
           ("hmac-sha256", "sm3", "hmac-sm3", "sm2")),
        _s("platform.app_key", str, "", "平台应用标识（密钥保存在系统钥匙串，不在此文件）"),
        _s("platform.sms_notify", bool, False,
           "省级平台是否向申请人发送办理结果短信；false（默认）时回执不承诺短信，结果按自取或邮递告知"),
        _s("idcard.transport", str, "auto", "读卡方式", ("auto", "pcsc", "serial", "sdk", "none")),
        _s("idcard.reader", str, "", "PC/SC 读卡器名称（空 = 第一个）"),
        _s("idcard.serial_port", str, "", "串口读卡器端口，如 COM3 或 /dev/ttyUSB0"),
        _s("idcard.sdk_library", str, "", "厂商读卡动态库路径（sdtapi.dll / termb.dll 类）"),
        _s("idcard.wlt_decoder", str, "", "照片解码库路径（WltRS.dll / libwlt2bmp.so）"),
        _s("scanning.device", str, "", "默认扫描仪（SANE 设备名）"),
        _s("scanning.resolution", int, 200, "扫描分辨率（dpi）"),
        _s("scanning.mode", str, "gray", "扫描色彩", ("gray", "color", "lineart")),
        _s("scanning.quality", str, "standard",
           "扫描页保存质量：standard = 200 dpi（A4 每页约 300 KB 以内）；archival = 300 dpi 存档（约 450 KB 以内，需以 300 dpi 或更高扫描）",
           ("standard", "archival")),
        _s("scanning.watch_folder", str, "", "扫描仪自动保存文件的监视文件夹"),
        _s("printing.font_path", str, "", "中文字体文件（TrueType .ttf/.ttc）；空 = 自动查找"),
        _s("printing.output_dir", str, "", "PDF 存放目录；空 = 数据目录下 documents/"),
        _s("sync.chunk_size", int, 256 * 1024, "附件分块大小（字节）"),
        _s("sync.interval_seconds", int, 60, "结果拉取间隔（秒）"),
        _s("sync.bundle_signer", str, "", "U 盘离线包必须由此签名者签发（公钥指纹或终端标识）；空 = 未设置"),
        _s("proxy.default_validity_days", int, 90, "授权委托书默认有效天数（自申请日起，可在窗口修改）"),
        _s("retention.years", int, 30, "已办结案件个人数据保存年限"),
        _s("users.max_failures", int, 5, "连续输错密码几次后锁定账户"),
        _s("users.lockout_minutes", int, 15, "账户锁定时长（分钟）"),
        _s("users.session_hours", int, 12, "登录有效时长（小时），过期需重新登录"),
        _s("users.lock_minutes", int, 10, "无操作多少分钟后锁定屏幕（0 = 不锁定）"),
        _s("queue.kind", str, "none",
           "叫号系统：none（不接叫号，默认）、reference（内置参考叫号服务：在大厅一台电脑上运行 "
           "python -m houshi_desk.queue_ref --port 8766 --data 文件夹）、http（厂商叫号系统，同一协议，见 queue.yaml）",
           ("none", "reference", "http")),
        _s("queue.url", str, "", "叫号系统地址，如 http://127.0.0.1:8766；叫号系统不可用时照常办理，不带号"),
        _s("queue.window", str, "", "本窗口在叫号系统中的窗口号；空 = 用 office.terminal_id"),
        _s("evaluation.channel", str, "screen",
           "好差评方式：screen（面向群众的第二屏幕；无第二屏时打印纸质评价单）、evaluator（厂商评价器，HTTP 接口）、"
           "slip（只打印纸质评价单）、none（不邀请评价）", ("screen", "evaluator", "slip", "none")),
        _s("evaluation.evaluator_url", str, "", "厂商评价器地址（evaluation.channel = evaluator 时使用）"),
        _s("evaluation.rectify_working_days", int, 10,
           "差评（1–2 级）整改期限（工作日）。依据 GB/T 39735-2020《政务服务评价工作指南》和"
           "国办发〔2019〕51号（建立政务服务“好差评”制度）：差评须限期整改，各地规定多为 5–15 个工作日，按本地规定设置"),
        _s("backup.folder", str, "",
           "每日自动备份保存到的文件夹：请指向另一块磁盘——U 盘（如 E:\\备份）或网络共享（如 \\\\服务器\\备份）。"
           "空 = 数据目录下 backups/，与数据在同一块磁盘上，磁盘坏了备份也一起丢失。"
           "文件夹不在（U 盘未插、共享未连上）时本次不备份、不删除任何旧备份，稍后自动再试"),
        _s("backup.keep", int, 7, "自动备份保留的份数（新备份校验成功后，删除同一来源最早的几份）；默认 7 = 最近一周"),
        _s("backup.time", str, "12:30",
           "每天自动备份的时间（时:分，本机时间）。默认 12:30：午休时窗口没有群众办理，电脑通常开着，上午受理的案件当天就有备份；"
           "下班时常常已经关机。错过时间（没开机）则在下次开机或下次计划任务运行时补做"),
    ]
}


@dataclass(frozen=True)
class Paths:
    config_file: Path
    data_dir: Path
    log_dir: Path
    system_config_file: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / "houshi-desk.db"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"


def paths(environ: dict | None = None) -> Paths:
    env = os.environ if environ is None else environ
    system = Path(env.get("HOUSHI_DESK_SYSTEM_CONFIG") or
                  Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / "settings.toml")
    home = env.get("HOUSHI_DESK_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(root / "settings.toml", root / "data", root / "logs", system)
    return Paths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.toml",
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        system,
    )


def _flatten(table: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in table.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, name + "."))
        else:
            out[name] = v
    return out


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"设置文件格式错误：{path}：{exc}") from exc


def _check(path: Path, values: dict[str, Any]) -> dict[str, Any]:
    checked = {}
    for key, value in values.items():
        spec = SETTINGS.get(key)
        if spec is None:
            raise ConfigError(f"设置文件 {path} 中有未知的设置项：{key}")
        if spec.type is int and isinstance(value, bool) or not isinstance(value, spec.type):
            raise ConfigError(
                f"设置文件 {path} 中 {key} 的值类型不对：应为 {spec.type.__name__}，实际为 {value!r}")
        if spec.choices and value not in spec.choices:
            raise ConfigError(f"设置文件 {path} 中 {key} 只能是 {'、'.join(spec.choices)}，实际为 {value!r}")
        checked[key] = value
    return checked


class ConfigVar:
    """One setting read as a typed attribute (``settings.office_region``), after Electrum's ``ConfigVar``:
    the declaration in ``SETTINGS`` is the only one; library code never reads a setting by string key."""

    def __init__(self, key: str):
        self.key = key
        self.spec = SETTINGS[key]

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.get(self.key)


def attribute_name(key: str) -> str:
    """``office.region`` → ``office_region``."""
    return key.replace(".", "_")


@dataclass
class Settings:
    paths: Paths
    values: dict[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    _user: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        if key not in SETTINGS:
            raise KeyError(key)
        return self.values.get(key, SETTINGS[key].default)

    __getitem__ = get

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def set(self, key: str, value: Any) -> None:
        """Change a user setting and write the user file; a locked key is refused."""
        if self.is_locked(key):
            raise ConfigError(f"“{key}”已由管理员锁定，不能在本机修改。")
        _check(self.paths.config_file, {key: value})
        self._user[key] = value
        self.values[key] = value
        self._write_user()

    def _write_user(self) -> None:
        import tomli_w

        nested: dict[str, Any] = {}
        for key, value in sorted(self._user.items()):
            section, _, name = key.rpartition(".")
            node = nested
            for part in section.split(".") if section else []:
                node = node.setdefault(part, {})
            node[name] = value
        path = self.paths.config_file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(tomli_w.dumps(nested).encode("utf-8"))
        os.replace(tmp, path)

    @property
    def database_url(self) -> str:
        """``HOUSHI_DESK_DATABASE_URL`` overrides ``database.url`` unless the administrator locked it."""
        if self.is_locked("database.url"):
            return self.get("database.url")
        return os.environ.get("HOUSHI_DESK_DATABASE_URL") or self.get("database.url")


for _key in SETTINGS:  # every declared setting is also a typed attribute of Settings
    if not hasattr(Settings, attribute_name(_key)):  # database_url: the property (env override, lock)
        setattr(Settings, attribute_name(_key), ConfigVar(_key))


def load_settings(environ: dict | None = None) -> Settings:
    p = paths(environ)
    system_raw = _read_toml(p.system_config_file)
    lock_table = system_raw.pop("lock", {}) or {}
    locked_keys = lock_table.get("keys", []) if isinstance(lock_table, dict) else []
    system = _check(p.system_config_file, _flatten(system_raw))
    for key in locked_keys:
        if key not in SETTINGS:
            raise ConfigError(f"系统设置文件 {p.system_config_file} 锁定了未知的设置项：{key}")
    user = _check(p.config_file, _flatten(_read_toml(p.config_file)))
    values = {**system, **user}
    for key in locked_keys:  # a locked key always takes the administrator's value (or the default)
        if key in system:
            values[key] = system[key]
        else:
            values.pop(key, None)
    return Settings(p, values, frozenset(locked_keys), dict(user))


