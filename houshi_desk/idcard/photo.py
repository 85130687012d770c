"""The chip photo: kept as raw WLT bytes, turned into a PNG through a vendor decoder when one is
configured, otherwise a grey silhouette placeholder. Never raises, never blocks a read.

No open WLT decoder exists. Two vendor library styles are supported, told apart by their exports:
``libwlt2bmp.so``-style ``int unpack(char *wlt, char *bmp, int save)`` (1 = success, BMP in memory,
38862 bytes for 102×126) and ``WltRS.dll``-style ``int GetBmp(char *wlt_file, int port)`` (1 =
success, writes ``<same name>.bmp`` beside the file).
"""
from __future__ import annotations

import ctypes
import io
import logging
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126
BMP_SIZE = 54 + ((PHOTO_WIDTH * 3 + 3) // 4 * 4) * PHOTO_HEIGHT  # 38862


@dataclass(frozen=True)
class Photo:
    png: bytes
    placeholder: bool
    note: str = ""  # why a placeholder is shown (Chinese, for a tooltip)


@lru_cache(maxsize=1)
def placeholder_png() -> bytes:
    """A grey head-and-shoulders silhouette, 102×126 like a chip photo."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (PHOTO_WIDTH, PHOTO_HEIGHT), (236, 236, 236))
    d = ImageDraw.Draw(img)
    grey = (176, 176, 176)
    d.ellipse((31, 20, 71, 66), fill=grey)  # head
    d.ellipse((11, 72, 91, 160), fill=grey)  # shoulders
    d.rectangle((44, 62, 58, 78), fill=grey)  # neck
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


class WltDecoder:
    """A loaded vendor decoder; ``decode`` returns BMP bytes or ``None``."""

    def __init__(self, path: str):
        self.path = path
        loader = ctypes.WinDLL if sys.platform == "win32" else ctypes.CDLL  # vendor DLLs are stdcall on Windows
        self._lib = loader(path)
        self._lock = threading.Lock()  # vendor decoders are not known to be re-entrant
        if hasattr(self._lib, "unpack"):
            self.style = "unpack"
            self._lib.unpack.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
            self._lib.unpack.restype = ctypes.c_int
        elif hasattr(self._lib, "GetBmp"):
            self.style = "GetBmp"
            self._lib.GetBmp.argtypes = [ctypes.c_char_p, ctypes.c_int]
            self._lib.GetBmp.restype = ctypes.c_int
        else:
            raise OSError(f"{path} exports neither unpack nor GetBmp")

    def decode(self, wlt: bytes) -> bytes | None:
        with self._lock:
            if self.style == "unpack":
                src = ctypes.create_string_buffer(bytes(wlt), len(wlt))
                dst = ctypes.create_string_buffer(BMP_SIZE + 1024)
                if self._lib.unpack(src, dst, 0) != 1:
                    return None
                return dst.raw[:BMP_SIZE]
            with tempfile.TemporaryDirectory(prefix="houshi-wlt-") as tmp:
                wlt_file = Path(tmp) / "zp.wlt"
                wlt_file.write_bytes(wlt)
                if self._lib.GetBmp(str(wlt_file).encode(sys.getfilesystemencoding()), 2) != 1:
                    return None
                bmp = wlt_file.with_suffix(".bmp")
                return bmp.read_bytes() if bmp.exists() else None


_decoders: dict[str, WltDecoder | None] = {}


def _decoder(path: str) -> WltDecoder | None:
    if path not in _decoders:
        try:
            _decoders[path] = WltDecoder(path)
        except OSError as exc:
            log.warning("WLT photo decoder %s not usable: %s", path, exc)
            _decoders[path] = None
    return _decoders[path]


def photo_png(wlt: bytes | None, decoder_path: str = "") -> Photo:
    if not wlt:
        return Photo(placeholder_png(), True, "证件中没有读到照片。")
    if not decoder_path:
        return Photo(placeholder_png(), True, "未配置照片解码库，照片原始数据已保存。")
    dec = _decoder(decoder_path)
    if dec is None:
        return Photo(placeholder_png(), True, "照片解码库无法加载，照片原始数据已保存。")
    try:
        bmp = dec.decode(wlt)
        if bmp:
            from PIL import Image

            out = io.BytesIO()
            Image.open(io.BytesIO(bmp)).save(out, "PNG")
            return Photo(out.getvalue(), False)
    except Exception:  # noqa: BLE001 - a vendor decoder's failure must never block the read
        log.warning("WLT photo decoding failed", exc_info=True)
    return Photo(placeholder_png(), True, "照片解码失败，照片原始数据已保存。")


def photo_for(wlt: bytes | None, settings=None) -> Photo:
    """:func:`photo_png` with the decoder configured in ``idcard.wlt_decoder``."""
    if settings is None:
        from houshi_desk.config import load_settings

        settings = load_settings()
    return photo_png(wlt, settings.idcard_wlt_decoder)
