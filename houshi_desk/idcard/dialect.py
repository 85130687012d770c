"""The PC/SC pseudo-APDU dialect as data (``resources/idcard/pcsc_dialect.toml``)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from houshi_desk.idcard.errors import CardError


@dataclass(frozen=True)
class ApduSlice:
    apdu: bytes
    offset: int
    length: int


@dataclass(frozen=True)
class Dialect:
    name: str
    label: str
    text: ApduSlice
    photo: tuple[ApduSlice, ...]
    chip_serial_apdu: bytes
    decoded_atr_prefixes: tuple[bytes, ...] = ()

    def atr_is_decoded_card(self, atr: bytes) -> bool:
        return not self.decoded_atr_prefixes or any(atr.startswith(p) for p in self.decoded_atr_prefixes)


def _hex(s: str) -> bytes:
    return bytes.fromhex(s.replace(" ", ""))


def _slice(d: dict) -> ApduSlice:
    return ApduSlice(_hex(d["apdu"]), int(d.get("offset", 0)), int(d["length"]))


def load_dialect(path: str | Path | None = None) -> Dialect:
    if path is None:
        return default_dialect()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        return Dialect(
            name=data.get("name", p.stem),
            label=data.get("label", p.stem),
            text=_slice(data["text"]),
            photo=tuple(_slice(x) for x in data.get("photo", [])),
            chip_serial_apdu=_hex(data.get("chip_serial_apdu", "00 36 00 00 08")),
            decoded_atr_prefixes=tuple(_hex(x) for x in data.get("decoded_atr_prefixes", [])),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
        raise CardError(f"读卡指令表 {p} 无法使用。", hint="请检查该文件的格式（参照 resources/idcard/pcsc_dialect.toml）。",
                        detail=str(exc), code="dialect", retryable=False) from None


@lru_cache(maxsize=1)
def default_dialect() -> Dialect:
    from houshi_desk.resources import resource_path

    return load_dialect(resource_path("resources", "idcard", "pcsc_dialect.toml"))
