"""Synthetic paper for tests, benchmarks and the demo: an A4 certificate-like page drawn with Pillow.

The SANE test backend cannot scan A4 (its area is at most 200 × 200 mm) and draws only grids, so the
pipeline is measured on pages like these: a title, ragged left-aligned lines of Chinese text, a
table and a seal-like circle, with paper noise, optional skew, rotation and a dark desk around it
(as a document camera sees it).
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4_MM = (210, 297)
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)
_TEXT = (
    "兹证明逝者生前住址为本辖区，经调查核实，死亡原因为疾病，死亡地点为医院。"
    "本证明仅用于办理公民身后一件事相关业务，复印无效。申请人对所提交材料的真实性负责。"
)


def mm_to_px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


@lru_cache(maxsize=16)
def _font(size: int):
    for path in _FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def a4_page(
    dpi: int = 200,
    *,
    mode: str = "L",
    skew: float = 0.0,
    rotate: int = 0,
    desk_mm: float = 0.0,
    seed: int = 1,
    lines: int = 34,
    noise: bool = True,
) -> Image.Image:
    """An A4 page at ``dpi``; ``skew`` degrees (counter-clockwise), ``rotate`` 0/90/180/270,
    ``desk_mm`` of dark background around it. ``mode`` "L" or "RGB" (red seal)."""
    rnd = random.Random(seed)
    w, h = mm_to_px(A4_MM[0], dpi), mm_to_px(A4_MM[1], dpi)
    paper = (246, 244, 238) if mode == "RGB" else 244
    ink = (20, 20, 24) if mode == "RGB" else 22
    page = Image.new(mode, (w, h), paper)
    d = ImageDraw.Draw(page)
    margin = mm_to_px(22, dpi)
    title = _font(mm_to_px(7, dpi))
    body = _font(mm_to_px(3.6, dpi))
    d.text((w // 2, margin), "居民死亡医学证明（推断）书", font=title, fill=ink, anchor="mt")
    y = margin + mm_to_px(16, dpi)
    line_h = mm_to_px(6.2, dpi)
    # A small table with the headline facts.
    cell_h = mm_to_px(9, dpi)
    for r in range(4):
        d.line([(margin, y + r * cell_h), (w - margin, y + r * cell_h)], fill=ink, width=max(1, dpi // 100))
    for x in (margin, margin + (w - 2 * margin) // 3, w - margin):
        d.line([(x, y), (x, y + 3 * cell_h)], fill=ink, width=max(1, dpi // 100))
    for r, (k, v) in enumerate((("姓名", "测试"), ("性别", "女"), ("死亡日期", "2026年1月20日"))):
        d.text((margin + mm_to_px(3, dpi), y + r * cell_h + cell_h // 2), k, font=body, fill=ink, anchor="lm")
        d.text((margin + (w - 2 * margin) // 3 + mm_to_px(3, dpi), y + r * cell_h + cell_h // 2), v,
               font=body, fill=ink, anchor="lm")
    y += 3 * cell_h + mm_to_px(10, dpi)
    chars_per_line = int((w - 2 * margin) / body.getlength("字"))
    for i in range(lines):
        if y > h - margin - line_h:
            break
        n = chars_per_line if i % 5 != 4 else rnd.randint(chars_per_line // 4, chars_per_line * 3 // 4)
        start = rnd.randrange(len(_TEXT))
        text = (_TEXT * 3)[start:start + n]
        d.text((margin, y), text, font=body, fill=ink)
        y += line_h
    seal_r = mm_to_px(20, dpi)
    cx, cy = w - margin - seal_r, h - margin - seal_r
    seal = (200, 30, 30) if mode == "RGB" else 120
    d.ellipse([cx - seal_r, cy - seal_r, cx + seal_r, cy + seal_r], outline=seal, width=max(2, dpi // 60))
    d.text((cx, cy), "专用章", font=body, fill=seal, anchor="mm")
    if noise:
        # Paper texture and scanner noise: what makes a naive JPEG of a "white" page large.
        grain = Image.effect_noise((w // 4, h // 4), 6).resize((w, h), Image.Resampling.BILINEAR)
        grain = grain.point(lambda v: max(0, min(255, v - 128 + 0)) // 3)
        if mode == "RGB":
            grain = Image.merge("RGB", (grain, grain, grain))
        from PIL import ImageChops

        page = ImageChops.subtract(page, grain)
        page = page.filter(ImageFilter.GaussianBlur(0.6 * dpi / 200))
    if rotate:
        page = page.rotate(rotate, expand=True)
    if skew or desk_mm:
        desk = (58, 52, 46) if mode == "RGB" else 55
        pad = mm_to_px(desk_mm, dpi)
        if skew:
            page = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True,
                               fillcolor=desk if desk_mm else paper)
        if pad:
            canvas = Image.new(mode, (page.width + 2 * pad, page.height + 2 * pad), desk)
            canvas.paste(page, (pad, pad))
            page = canvas
    page.info["dpi"] = (dpi, dpi)
    return page
