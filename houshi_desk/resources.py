"""One way to find the data folders (catalogs, templates, forms, styles) wherever we run from.

Order: the copy inside the installed wheel (``houshi_desk/_data``), a PyInstaller bundle
(``sys._MEIPASS``), then the source checkout (folders beside the package).
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

_FOLDERS = ("resources", "ui", "printing")


@lru_cache(maxsize=1)
def data_root() -> Path:
    package = Path(__file__).resolve().parent
    candidates = [package / "_data"]
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates += [Path(meipass) / "houshi_desk" / "_data", Path(meipass)]
    candidates.append(package.parent)
    for root in candidates:
        if (root / "resources").is_dir():
            return root
    raise FileNotFoundError(
        "找不到程序数据目录（resources/）。安装可能不完整，请重新安装 houshi-desk。"
        f" 已查找：{', '.join(str(c) for c in candidates)}"
    )


def resource_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``resource_path('resources', 'catalogs', 'nm-2022.toml')``."""
    if not parts or parts[0] not in _FOLDERS:
        raise ValueError(f"data path must start with one of {_FOLDERS}: {parts!r}")
    return data_root().joinpath(*parts)
