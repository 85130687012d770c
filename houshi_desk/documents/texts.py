"""The words printed on each document, per region, kept as data in ``printing/<region>/<kind>.toml``.

Why data: the 承诺书 and 委托书 wording comes from each region's plan (NM attachments 4 and 5) and
changes with policy; an administrator edits a TOML file, not code. Format: ``printing/README.md``.
A missing or broken file stops printing with a message naming the file and the key.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from houshi_desk.errors import HoushiError

KINDS = ("application", "promise", "proxy", "notice", "receipt", "completion")


class TemplateError(HoushiError):
    pass


def printing_dir() -> Path:
    from houshi_desk.resources import resource_path

    return resource_path("printing")


class Texts(dict):
    """A document's texts; ``t("key")`` raises ``TemplateError`` naming the file if it is missing."""

    file: str = ""

    def __call__(self, key: str, **values: Any) -> Any:
        node: Any = self
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise TemplateError(f"打印模板 {self.file} 缺少“{key}”。",
                                    hint="请管理员按 printing/README.md 补全模板后重试")
            node = node[part]
        if values and isinstance(node, str):
            try:
                return node.format_map(values)
            except (KeyError, IndexError, ValueError) as exc:
                raise TemplateError(f"打印模板 {self.file} 的“{key}”中有无法填写的占位符：{exc}。",
                                    hint="可用的占位符见 printing/README.md") from None
        return node


@lru_cache(maxsize=None)
def _load(path: str) -> dict:
    p = Path(path)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"找不到打印模板 {p}。", hint="请重新安装程序，或由管理员补上该模板文件") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"打印模板 {p} 格式错误：{exc}", hint="请管理员改正后重试") from None


def load_texts(region: str, kind: str, directory: str | Path | None = None) -> Texts:
    """Texts of one document for one region (``receipt-roll`` uses ``receipt``)."""
    kind = "receipt" if kind == "receipt-roll" else kind
    base = Path(directory) if directory else printing_dir()
    path = base / (region or "").strip().lower() / f"{kind}.toml"
    if not path.parent.is_dir():
        raise TemplateError(f"地区“{region}”没有打印模板（{path.parent}）。",
                            hint="请管理员复制一个已有地区的 printing/<地区>/ 目录并修改文字")
    t = Texts(_load(str(path)))
    t.file = str(path)
    return t


def clear_cache() -> None:
    _load.cache_clear()
