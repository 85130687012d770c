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


# ------------------------------------------------------------------ dense certificates (issue 19)

HAND_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
_NOTES = (
    "说明：一、本证明书是死亡原因统计和办理户籍注销、殡葬等事项的法定凭证，由负责救治的医疗卫生机构或"
    "者负责调查的社区卫生服务机构、乡镇卫生院出具。二、死亡原因栏填写导致死亡的直接原因、中间原因和根本"
    "原因，不得只填写症状或者临终表现。三、本证明书第一联由出具单位存档，第二联交公安机关办理户籍注销，"
    "第三联交死者家属保存，第四联交殡葬管理部门办理遗体火化。四、证明书内容不得涂改，确需更正的，应当"
    "由出具单位重新出具并加盖公章。五、家属应当在死者死亡之日起三十日内持本证明书到户籍所在地公安派出所"
    "办理户口注销手续。六、遗失本证明书的，由出具单位核实后补发，并在补发证明书上注明补发字样和原编号。"
)


@lru_cache(maxsize=64)
def _font_at(path: str, size: int):
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return _font(size)


def _hand_text(page: Image.Image, xy, text: str, size: int, rnd: random.Random) -> None:
    """Handwriting-like: each character its own size, slant and baseline, blue-black ink."""
    x, y = xy
    rgb = page.mode == "RGB"
    for ch in text:
        s = max(8, int(size * rnd.uniform(0.92, 1.1)))
        f = _font_at(HAND_FONT, s)
        w = int(f.getlength(ch)) + 6
        glyph = Image.new("L", (w, s + 10), 0)
        ImageDraw.Draw(glyph).text((3, 3), ch, font=f, fill=255)
        glyph = glyph.rotate(rnd.uniform(-6, 6), resample=Image.Resampling.BICUBIC)
        colour = (rnd.randint(20, 40), rnd.randint(30, 45), rnd.randint(80, 110)) if rgb else rnd.randint(35, 55)
        page.paste(Image.new(page.mode, glyph.size, colour), (int(x), int(y + rnd.uniform(-2, 2))), glyph)
        x += w * rnd.uniform(0.86, 0.98)


def _scribble(d: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, rnd: random.Random, fill, width: int) -> None:
    """A signature-like stroke: a few connected loops."""
    import math

    pts = []
    for i in range(60):
        t = i / 59
        pts.append((x + t * w + math.sin(t * 19 + rnd.random()) * w * 0.04,
                    y + h / 2 + math.sin(t * 11 + rnd.random() * 2) * h * 0.4 * (1 - t * 0.5)))
    d.line(pts, fill=fill, width=width, joint="curve")


def _stamp(page: Image.Image, cx: int, cy: int, r: int, text: str) -> None:
    """A red round seal (ring, star, the issuer along the arc) multiplied onto the page, as stamped."""
    import math

    from PIL import ImageChops

    size = 2 * r + 8
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c = size // 2
    d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=max(3, r // 14))
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r * 0.28 if i % 2 == 0 else r * 0.11
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    d.polygon(pts, fill=255)
    f = _font(max(10, r // 4))
    for i, ch in enumerate(text):
        a = math.radians(-150 + 120 * (i + 0.5) / len(text))
        g = Image.new("L", (r // 3, r // 3), 0)
        ImageDraw.Draw(g).text((r // 6, r // 6), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        mask.paste(g, (int(c + r * 0.72 * math.cos(a) - r // 6), int(c + r * 0.72 * math.sin(a) - r // 6)), g)
    mask = mask.point(lambda v: int(v * 0.8))
    ink = (215, 40, 45) if page.mode == "RGB" else 118
    white = (255, 255, 255) if page.mode == "RGB" else 255
    layer = Image.new(page.mode, (size, size), white)
    layer.paste(Image.new(page.mode, (size, size), ink), (0, 0), mask)
    box = (cx - c, cy - c, cx - c + size, cy - c + size)
    page.paste(ImageChops.multiply(page.crop(box), layer), box[:2])


def _halftone(w: int, h: int, dpi: int, lpi: int = 85) -> Image.Image:
    """A printed photo as a dot screen (a smooth portrait-like picture at ``lpi`` lines per inch, 45°):
    black dots whose size follows the tone — what a photocopied 户口簿 page or newspaper notice shows."""
    import math

    from PIL import ImageChops

    tone = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)  # dark centre → light rim
    tone = ImageChops.multiply(tone.point(lambda v: 40 + v * 0.8),
                               Image.linear_gradient("L").resize((w, h)).point(lambda v: 150 + v * 0.4))
    k = 2 * math.pi / (dpi / lpi) / math.sqrt(2)
    wave = [math.cos(k * i) for i in range(w + h + 1)]
    # the 45° screen: cos(k(x+y)) + cos(k(x−y)), scaled to 0–255, as a threshold for each pixel
    screen = Image.frombytes("L", (w, h), bytes(
        int(63.75 * (2 + wave[x + y] + wave[x - y + h])) for y in range(h) for x in range(w)))
    dots = ImageChops.subtract(tone, screen, scale=1.0, offset=128)
    return dots.point(lambda v: 20 if v < 128 else 250)


def death_certificate(
    dpi: int = 200,
    *,
    name: str = "王秀兰",
    id_number: str = "110105194912311145",  # services.cases.synthetic_id_number(7)
    born: str = "1949年12月31日",
    died: str = "2026年1月20日8时35分",
    signed: str = "2026年1月20日",
    number: str = "A1507020126",
    issuer: str = "呼伦贝尔市人民医院",
    seed: int = 1,
    skew: float = 1.8,
    mode: str = "RGB",
    photo: bool = False,
    texture: bool = False,
    notes_mm: float = 3.1,
    noise: bool = True,
) -> tuple[Image.Image, list[str]]:
    """A dense, real-looking 居民死亡医学证明（推断）书 as a flatbed scanner sees it: the printed form
    (title, red number, a ruled table of 12 rows), values filled in by hand (characters of uneven size,
    slant and baseline in blue-black ink), a signature stroke, a full page of small printed notes, a red
    seal stamped over the issuer and the notes, paper grain, scanner softness and ``skew`` degrees.
    ``photo`` adds a halftone-printed picture block (a dot screen, as on a photocopied 户口簿);
    ``texture`` a light anti-forgery background of fine wavy lines (guilloche) under everything;
    ``notes_mm`` the size of the printed notes (2.5: the fine print of a dense form).
    Returns the page and its text lines (the ground truth for an OCR character error rate)."""
    rnd = random.Random(seed)
    w, h = mm_to_px(A4_MM[0], dpi), mm_to_px(A4_MM[1], dpi)
    rgb = mode == "RGB"
    page = Image.new(mode, (w, h), (246, 244, 238) if rgb else 244)
    d = ImageDraw.Draw(page)
    ink = (25, 25, 28) if rgb else 24
    red = (170, 25, 25) if rgb else 90
    truth: list[str] = []
    px = lambda mm: mm_to_px(mm, dpi)  # noqa: E731
    margin = px(15)
    if texture:
        import math

        tint = (196, 214, 200) if rgb else 206
        step = max(2, px(1.4))
        for k in range(-h // step, h // step):
            base, amp, period = k * step, px(3) + (k % 5) * px(0.6), px(18) + (k % 7) * px(2)
            pts = [(x, base + x * 0.35 + amp * math.sin(2 * math.pi * x / period + k))
                   for x in range(0, w + 8, 8)]
            if any(0 <= y < h for _, y in pts):
                d.line(pts, fill=tint, width=1)
    title = "居民死亡医学证明（推断）书"
    d.text((w // 2, px(14)), title, font=_font(px(7)), fill=ink, anchor="mt")
    truth.append(title)
    small = _font(px(3.6))
    d.text((w - margin, px(27)), f"编号：{number}", font=small, fill=red, anchor="rm")
    truth.append(f"编号：{number}")
    rows = [
        (("死者姓名", name, True), ("性别", "女" if int(id_number[16]) % 2 == 0 else "男", True)),
        (("民族", "汉族", True), ("国家或地区", "中国", False)),
        (("公民身份号码", id_number, True),),
        (("出生日期", born, True), ("婚姻状况", "丧偶", True)),
        (("死亡日期", died, True),),
        (("死亡地点", "医疗卫生机构", False), ("生前职业", "退休人员", True)),
        (("常住地址", "内蒙古自治区呼伦贝尔市海拉尔区正阳街道办事处健康社区", True),),
        (("(a)直接死亡原因", "呼吸衰竭", True), ("发病至死亡", "约3天", True)),
        (("(b)引起(a)的疾病", "重症肺炎", True), ("发病至死亡", "约2周", True)),
        (("(c)根本死亡原因", "慢性阻塞性肺疾病", True), ("发病至死亡", "约8年", True)),
        (("医师签名", "", False), ("填表日期", signed, True)),
    ]
    top, cell_h, label_w = px(33), px(10), px(36)
    mid = w // 2 + px(8)
    lw = max(2, dpi // 100)
    hand = px(4.6)
    for r, cells in enumerate(rows):
        y = top + r * cell_h
        d.rectangle([margin, y, w - margin, y + cell_h], outline=ink, width=lw)
        starts = [margin] if len(cells) == 1 else [margin, mid]
        for (label, value, by_hand), x0 in zip(cells, starts):
            if x0 != margin:
                d.line([(x0, y), (x0, y + cell_h)], fill=ink, width=lw)
            d.line([(x0 + label_w, y), (x0 + label_w, y + cell_h)], fill=ink, width=lw)
            d.text((x0 + px(2), y + cell_h // 2), label, font=_font(px(3.3)), fill=ink, anchor="lm")
            truth.append(label)
            vx = x0 + label_w + px(3)
            if value and by_hand:
                _hand_text(page, (vx, y + cell_h // 2 - hand // 2 - 4), value, hand, rnd)
            elif value:
                d.text((vx, y + cell_h // 2), value, font=small, fill=ink, anchor="lm")
            if value:
                truth.append(value)
            elif label == "医师签名":
                _scribble(d, vx, y + px(1.5), px(28), cell_h - px(3), rnd, (30, 35, 95) if rgb else 45, max(2, dpi // 90))
    y = top + len(rows) * cell_h + px(6)
    body = _font(px(notes_mm))
    line_h = px(notes_mm * 1.5)
    if photo:
        ph_w, ph_h = px(60), px(75)
        page.paste(_halftone(ph_w, ph_h, dpi).convert(mode), (margin, y))
        text_x = margin + ph_w + px(5)
    else:
        text_x = margin
    per_line = int((w - margin - text_x) / body.getlength("字"))
    text = _NOTES * 12
    pos = 0
    while y < h - px(42):
        if photo and y > top + len(rows) * cell_h + px(6) + px(78):
            text_x = margin
            per_line = int((w - 2 * margin) / body.getlength("字"))
        line = text[pos:pos + per_line]
        pos += per_line
        d.text((text_x, y), line, font=body, fill=ink)
        truth.append(line)
        y += line_h
    y += px(4)
    d.text((margin, y), f"医疗卫生机构（盖章）：{issuer}", font=small, fill=ink)
    truth.append(f"医疗卫生机构（盖章）：{issuer}")
    seal_x = margin + int(small.getlength("医疗卫生机构（盖章）：")) + int(small.getlength(issuer)) // 2
    _stamp(page, seal_x, y - px(4), px(20), issuer)
    if noise:
        from PIL import ImageChops

        # seeded (Image.effect_noise is not), so the page and its encoded size are the same every run
        gw, gh = w // 4, h // 4
        grain = Image.frombytes("L", (gw, gh), bytes(b % 19 for b in rnd.randbytes(gw * gh)))
        grain = grain.resize((w, h), Image.Resampling.BILINEAR).point(lambda v: v // 3)
        page = ImageChops.subtract(page, Image.merge("RGB", (grain,) * 3) if rgb else grain)
        page = page.filter(ImageFilter.GaussianBlur(0.6 * dpi / 200))
    if skew:
        page = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False,
                           fillcolor=(246, 244, 238) if rgb else 244)
    page.info["dpi"] = (dpi, dpi)
    return page, truth


def _edits_within(t: str, o: str) -> int:
    """Fewest edits that turn ``t`` into some substring of ``o`` (semi-global alignment)."""
    prev = [0] * (len(o) + 1)  # t's empty prefix matches anywhere for free
    for i, a in enumerate(t, 1):
        cur = [i] + [0] * len(o)
        for j, b in enumerate(o, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b))
        prev = cur
    return min(prev)


def char_error_rate(truth: list[str], lines: list[str]) -> float:
    """OCR character error rate of a page, in percent: for each true text line, the fewest edits that
    make it appear in one OCR line (so lines the reader merged or split at cells cost nothing extra),
    summed over the page, ÷ the number of true characters. Spaces are ignored."""
    norm = [ln.replace(" ", "").replace("(", "（").replace(")", "）").replace(":", "：") for ln in lines]
    errors = total = 0
    for t in truth:
        t = t.replace(" ", "").replace("(", "（").replace(")", "）").replace(":", "：")
        total += len(t)
        shared = sorted(norm, key=lambda o: -len(set(t) & set(o)))[:3]
        errors += min([_edits_within(t, o) for o in shared] + [len(t)])
    return 100.0 * errors / max(1, total)


def gray_test_pattern(dpi: int = 200, size_mm: float = 200) -> Image.Image:
    """What the SANE test backend's "Color pattern" picture scans as in gray: 4 × 4 px cells separated
    by 1 px lines of grey 85, the cells stepping through every grey level, rising from left to right
    in one row of cells and falling in the next — the worst case for an 8-level PNG and for JPEG alike
    (a 646 KB JPEG before issue 19). Pixel for pixel what the backend gives at 200 dpi."""
    n = int(size_mm / 25.4 * dpi)
    rise = bytes(85 if x % 5 == 0 else (x // 5) % 256 for x in range(n))
    fall = bytes(85 if x % 5 == 0 else 255 - (x // 5) % 256 for x in range(n))
    line = bytes([85]) * n
    im = Image.frombytes("L", (n, n), b"".join(
        line if y % 5 == 0 else rise if (y // 5) % 2 == 0 else fall for y in range(n)))
    im.info["dpi"] = (dpi, dpi)
    return im
