"""Chinese fonts for printed documents: find an embeddable TrueType CJK font, register it once,
and split text into runs so a character the main font lacks comes from a fallback font.

Why so careful: a PDF whose Chinese text is not embedded prints as boxes (or not at all) on a
hall PC without the same fonts, and reportlab can only embed TrueType outlines — a CFF-based
OpenType font (Noto CJK, Source Han) fails deep inside reportlab with "postscript outlines are not
supported", so we check the file ourselves and name it in a clear message. No document is ever
built with a non-embedded Chinese font (no ``UnicodeCIDFont``).

Discovery order: setting ``printing.font_path`` → Windows fonts (SimSun, SimHei, FangSong, plus
SimSun-ExtB for rare characters) → Linux (AR PL UMing, WenQuanYi, Droid Sans Fallback) →
``fc-list`` as a last resort. Rare characters (e.g. 䶮 U+4DAE, 𠇔 U+201D4) are looked up in every
registered font; a character no font has is drawn as “□” and reported (never silently dropped).

Public API: ``cjk_font() -> str`` (reportlab name of the main font), ``font_set() -> FontSet``,
``FontError``, ``check_embeddable(path)``, ``candidate_fonts(configured)``.
"""
from __future__ import annotations

import logging
import os
import shutil
import struct
import subprocess
import sys
import threading
import unicodedata
import time
from dataclasses import dataclass, field
from pathlib import Path

from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)

PLACEHOLDER = "□"
MAIN_FONT = "HoushiCJK"  # reportlab name of the main font; fallbacks are HoushiCJK-1, -2, …

WINDOWS_FONTS = ("simsun.ttc", "simhei.ttf", "simfang.ttf", "simkai.ttf", "msyh.ttc")
WINDOWS_FALLBACKS = ("simsunb.ttf",)  # SimSun-ExtB: CJK Extension B (outside the BMP)
LINUX_FONTS = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


class FontError(HoushiError):
    """No usable Chinese font, or the configured one cannot be embedded."""


# reportlab writes ToUnicode entries as "%04X", which is wrong for characters outside the BMP
# (𠇔 U+201D4 came out of pdftotext as "”"): the glyph prints, but copy/search/pdftotext get garbage.
# PDF wants UTF-16BE there (a surrogate pair). Same output as reportlab's for every BMP character.
def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
    ]
    lines += ["<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _patch_reportlab() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# ----------------------------------------------------------------------------------------------
# Checking a font file without reportlab (fast, and with a message naming the file)

def _table_tags(data: bytes, offset: int) -> set[bytes]:
    num = struct.unpack(">H", data[offset + 4:offset + 6])[0]
    return {data[offset + 12 + 16 * i: offset + 16 + 16 * i] for i in range(num)}


def check_embeddable(path: str | Path) -> None:
    """Raise ``FontError`` unless ``path`` is a TrueType-outline font (.ttf, or .ttc whose first
    face has ``glyf`` outlines) that reportlab can subset and embed."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError as exc:
        raise FontError(f"字体文件“{p}”无法读取：{exc.strerror or exc}。",
                        hint="请在设置 printing.font_path 中填写正确的字体文件路径，或清空以自动查找") from None
    if len(head) < 12:
        raise FontError(f"字体文件“{p}”已损坏或不是字体文件。", hint="请换用 TrueType 字体（.ttf/.ttc）")
    tag = head[:4]
    offset = 0
    if tag == b"ttcf":
        offset = struct.unpack(">I", head[12:16])[0]
        if offset + 12 > len(head):
            with open(p, "rb") as fh:
                fh.seek(offset)
                head = b"\0" * offset + fh.read(4096)
        tag = head[offset:offset + 4]
    if tag == b"OTTO":
        raise FontError(
            f"字体“{p.name}”是 PostScript（CFF）轮廓的 OpenType 字体，无法嵌入 PDF（{p}）。",
            hint="请改用 TrueType 字体，如 Windows 的宋体 simsun.ttc、黑体 simhei.ttf，或 Linux 的 AR PL UMing（uming.ttc）")
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise FontError(f"文件“{p}”不是可用的 TrueType 字体。", hint="请换用 TrueType 字体（.ttf/.ttc）")
    tags = _table_tags(head, offset)
    if b"glyf" not in tags:
        kind = "PostScript（CFF）" if (b"CFF " in tags or b"CFF2" in tags) else "非 TrueType"
        raise FontError(f"字体“{p.name}”是{kind}轮廓，无法嵌入 PDF（{p}）。",
                        hint="请改用 TrueType 字体，如宋体 simsun.ttc 或 AR PL UMing（uming.ttc）")


# ----------------------------------------------------------------------------------------------
# Discovery

def _windows_font_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def _fc_list() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh:fontformat=TrueType", "file"], capture_output=True,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def candidate_fonts(configured: str = "", *, platform: str | None = None) -> list[tuple[str, bool]]:
    """(path, configured?) in discovery order; only existing files. The configured one comes first."""
    plat = platform or sys.platform
    out: list[tuple[str, bool]] = []
    if configured:
        out.append((str(Path(configured).expanduser()), True))
    if plat.startswith("win"):
        d = _windows_font_dir()
        out += [(str(d / n), False) for n in WINDOWS_FONTS + WINDOWS_FALLBACKS if (d / n).is_file()]
    else:
        out += [(p, False) for p in LINUX_FONTS if os.path.isfile(p)]
    seen = {p for p, _ in out}
    if not any(not c for _, c in out):  # nothing known found: ask fontconfig
        out += [(p, False) for p in _fc_list() if p not in seen]
    return out


# ----------------------------------------------------------------------------------------------
# The font set

@dataclass
class FontSet:
    """The main font and its fallbacks, registered with reportlab; ``runs`` splits text by font.

    Fallbacks are registered only when a character needs one (each costs ~0.1 s to parse)."""

    names: list[str]
    files: list[str]
    cmaps: list[dict] = field(repr=False, default_factory=list)
    pending: list[str] = field(default_factory=list)  # fallback files not yet registered
    register_seconds: float = 0.0

    @property
    def main(self) -> str:
        return self.names[0]

    def _load_next_fallback(self) -> bool:
        while self.pending:
            path = self.pending.pop(0)
            try:
                check_embeddable(path)
                font = _register(path, _next_name())
            except FontError as exc:
                log.info("skipping fallback font %s: %s", path, exc.message)
                continue
            self.names.append(font.fontName)
            self.files.append(path)
            self.cmaps.append(font.face.charToGlyph)
            return True
        return False

    def font_for(self, ch: str) -> str | None:
        cp = ord(ch)
        if cp < 0x80:  # ASCII: the main font (all CJK TrueType fonts carry it)
            return self.names[0]
        i = 0
        while True:
            while i < len(self.cmaps):
                if cp in self.cmaps[i]:
                    return self.names[i]
                i += 1
            with _lock:
                if i < len(self.cmaps):
                    continue
                if not self._load_next_fallback():
                    return None

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no available font can draw (in order, each once)."""
        out: list[str] = []
        for ch in text:
            if ch not in out and not ch.isspace() and not _invisible(ch) and self.font_for(ch) is None:
                out.append(ch)
        return out

    def runs(self, text: str, missing: list[str] | None = None) -> list[tuple[str, str]]:
        """[(font name, text)] covering ``text``; a character no font has becomes ``PLACEHOLDER``
        in the main font and is appended to ``missing`` (so the caller can tell the clerk)."""
        out: list[tuple[str, str]] = []
        for ch in text:
            if ch in "\n\r\t":
                font = self.names[0]
            else:
                font = self.font_for(ch)
                if font is None:
                    if _invisible(ch):
                        continue  # control / format characters (e.g. a zero-width space): nothing to print
                    if missing is not None and ch not in missing:
                        missing.append(ch)
                    font, ch = self.names[0], PLACEHOLDER
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out


def _invisible(ch: str) -> bool:
    """Control and format characters. Not unassigned ones: a character newer than Python's Unicode
    data (e.g. CJK Extension H) is real text and must show up as a placeholder, not vanish."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


_lock = threading.RLock()
_cache: dict[str, FontSet] = {}
_counter = [0]


def _next_name() -> str:
    _counter[0] += 1
    return MAIN_FONT if _counter[0] == 1 else f"{MAIN_FONT}-{_counter[0] - 1}"


class _MappedFile:
    """A font file for reportlab, mapped rather than read: reportlab keeps the whole file
    (``face._ttf_data``; 21 MB for uming.ttc, ~18 MB for simsun.ttc) for as long as the font is
    registered — for the whole session — and only ever slices it. Mapped, only the pages a subset
    touches are resident, and ``release_pages`` gives them back (issue 19: window memory)."""

    def __init__(self, path: str):
        import mmap

        self.name = path
        with open(path, "rb") as fh:
            self.data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

    def read(self):
        return self.data


_mapped: list = []


def release_pages() -> None:
    """Drop the font-file pages a render touched from this process's memory (they stay in the
    system's file cache; the next render reads them back). Linux; elsewhere a no-op."""
    import mmap

    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:
        return
    for m in list(_mapped):
        try:
            m.madvise(advice)
        except (OSError, ValueError):  # closed or not supported: nothing to give back
            pass


def _register(path: str, name: str):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        try:
            source = _MappedFile(path)
        except (OSError, ValueError):  # cannot be mapped (an empty file, an odd file system): read it
            source = path
        font = TTFont(name, source, subfontIndex=0)
        if isinstance(source, _MappedFile):
            _mapped.append(source.data)
    except (TTFError, OSError, struct.error) as exc:
        raise FontError(f"字体“{Path(path).name}”无法用于打印：{exc}（{path}）。",
                        hint="请改用 TrueType 字体，如宋体 simsun.ttc 或 AR PL UMing（uming.ttc）") from None
    pdfmetrics.registerFont(font)
    return font


def _configured_path() -> str:
    try:
        from houshi_desk.config import load_settings

        return load_settings().printing_font_path or ""
    except Exception:  # settings unreadable: the settings code reports that elsewhere; find a font anyway
        log.warning("settings unreadable; looking for system fonts")
        return ""


def font_set(font_path: str | None = None) -> FontSet:
    """Register (once per process and path) the main font; fallbacks load on demand. ``FontError``
    when none is usable, or when the configured font cannot be embedded (named in the message)."""
    configured = _configured_path() if font_path is None else font_path
    with _lock:
        if configured in _cache:
            return _cache[configured]
        _patch_reportlab()
        t0 = time.perf_counter()
        candidates = candidate_fonts(configured)
        fs: FontSet | None = None
        for n, (path, is_configured) in enumerate(candidates):
            try:
                check_embeddable(path)
                font = _register(path, _next_name())
            except FontError as exc:
                if is_configured:
                    raise  # the administrator chose it: say exactly why it cannot be used
                log.info("skipping font %s: %s", path, exc.message)
                continue
            fs = FontSet([font.fontName], [path], [font.face.charToGlyph],
                         [p for p, _ in candidates[n + 1:]])
            break
        if fs is None:
            raise FontError("找不到可嵌入 PDF 的中文 TrueType 字体，无法生成打印文件。",
                            hint="请安装宋体/黑体（Windows 自带）或 fonts-arphic-uming，"
                                 "或在设置 printing.font_path 中指定 .ttf/.ttc 字体文件")
        fs.register_seconds = time.perf_counter() - t0
        _cache[configured] = fs
        log.info("CJK font registered in %.0f ms: %s", fs.register_seconds * 1000, fs.files[0])
        return fs


def cjk_font(font_path: str | None = None) -> str:
    """Register an embeddable TrueType CJK font once; return its reportlab name. Raises ``FontError``."""
    return font_set(font_path).main
