"""Generated certificates with known contents, for the OCR cross-check tests and bench_ocr.

Real-looking: a printed form (title, certificate number, a ruled grid of labels) filled in by hand
(the values drawn character by character with jitter in size, angle and baseline, in blue-black
ink), a red round seal stamped over the issuer, the sheet slightly skewed, then saved as JPEG.
``degraded=True`` adds more skew, softness, scanner noise and a lower JPEG quality. All people are
synthetic (region code 150702, checksum-valid ID numbers drawn from a seeded RNG).
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PRINT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
HAND_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强玉珍淑芬德明海燕文华春梅永福金凤"
HOSPITALS = ("呼伦贝尔市人民医院", "海拉尔区第二人民医院", "鄂温克旗人民医院", "满洲里市中医医院")
POLICE = ("海拉尔区公安分局刑侦大队", "呼伦贝尔市公安局交通警察支队")
FUNERAL = ("呼伦贝尔市殡仪馆", "海拉尔区殡仪服务中心")


@dataclass
class Person:
    name: str
    id_number: str
    died_at: datetime
    proof_number: str
    issuer: str
    cremation_date: date
    cremation_number: str
    funeral_home: str


def synthetic_person(seed: int) -> Person:
    from stdnum.cn import ric

    rnd = random.Random(seed)
    name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
    born = date(1930, 1, 1) + timedelta(days=rnd.randrange(365 * 40))
    body = f"150702{born:%Y%m%d}{rnd.randrange(1000):03d}"
    died = datetime(2026, rnd.randint(1, 11), rnd.randint(1, 28), rnd.randint(0, 23), rnd.randint(0, 59))
    return Person(
        name=name,
        id_number=body + ric.calc_check_digit(body + "0"),  # stdnum ignores the last digit
        died_at=died,
        proof_number=f"{rnd.choice('ABCDEFGHJK')}{rnd.randrange(10**9, 10**10)}",
        issuer=rnd.choice(HOSPITALS),
        cremation_date=(died + timedelta(days=rnd.randint(1, 5))).date(),
        cremation_number=f"HH{died:%Y}{rnd.randrange(10**5, 10**6)}",
        funeral_home=rnd.choice(FUNERAL),
    )


@lru_cache(maxsize=32)
def _font(path: str, size: int):
    return ImageFont.truetype(path, size)


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _hand(page: Image.Image, xy, text: str, size: int, rnd: random.Random) -> None:
    """Handwriting-style: each character its own size, slant and baseline, blue-black ink."""
    x, y = xy
    for ch in text:
        s = int(size * rnd.uniform(0.92, 1.1))
        f = _font(HAND_FONT, s)
        w = int(f.getlength(ch)) + 6
        glyph = Image.new("L", (w, s + 10), 0)
        ImageDraw.Draw(glyph).text((3, 3), ch, font=f, fill=255)
        glyph = glyph.rotate(rnd.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=False)
        ink = Image.new("RGB", glyph.size, (rnd.randint(20, 40), rnd.randint(30, 45), rnd.randint(80, 110)))
        page.paste(ink, (int(x), int(y + rnd.uniform(-2, 2))), glyph)
        x += w * rnd.uniform(0.86, 0.98)


def _seal(page: Image.Image, cx: int, cy: int, r: int, text: str) -> None:
    """A red round seal with a star and the issuer's name along the top arc, multiplied onto the page."""
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
    f = _font(PRINT_FONT, max(10, r // 4))
    n = len(text)
    for i, ch in enumerate(text):
        a = math.radians(-150 + 120 * (i + 0.5) / n)
        gx, gy = c + r * 0.72 * math.cos(a), c + r * 0.72 * math.sin(a)
        g = Image.new("L", (r // 3, r // 3), 0)
        ImageDraw.Draw(g).text((r // 6, r // 6), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        mask.paste(g, (int(gx - r // 6), int(gy - r // 6)), g)
    mask = mask.point(lambda v: int(v * 0.8))
    from PIL import ImageChops

    layer = Image.new("RGB", (size, size), (255, 255, 255))
    layer.paste(Image.new("RGB", (size, size), (215, 40, 45)), (0, 0), mask)
    box = (cx - c, cy - c, cx - c + size, cy - c + size)
    page.paste(ImageChops.multiply(page.crop(box), layer), box[:2])  # ink over the print, as stamped


def _finish(page: Image.Image, dpi: int, rnd: random.Random, degraded: bool) -> bytes:
    skew = rnd.uniform(0.6, 1.4) * rnd.choice((-1, 1)) * (2.0 if degraded else 1.0)
    page = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(244, 242, 236))
    if degraded:
        grain = Image.effect_noise(page.size, 14).convert("RGB")
        page = Image.blend(page, grain, 0.06).filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=55 if degraded else 80, dpi=(dpi, dpi))
    return out.getvalue()


def _form(title: str, number_label: str, number: str, rows, issuer_label: str, issuer: str, dpi: int,
          rnd: random.Random, *, hand_size_mm: float = 5.0):
    w, h = _px(210, dpi), _px(297, dpi)
    page = Image.new("RGB", (w, h), (246, 244, 238))
    d = ImageDraw.Draw(page)
    ink = (25, 25, 28)
    margin = _px(18, dpi)
    d.text((w // 2, _px(22, dpi)), title, font=_font(PRINT_FONT, _px(7.5, dpi)), fill=ink, anchor="mt")
    small = _font(PRINT_FONT, _px(3.8, dpi))
    d.text((w - margin, _px(38, dpi)), f"{number_label}：{number}", font=small, fill=(150, 20, 20), anchor="rm")
    top, cell_h = _px(46, dpi), _px(13, dpi)
    label_w = _px(42, dpi)
    for r, (label, value, hand) in enumerate(rows):
        y = top + r * cell_h
        d.rectangle([margin, y, w - margin, y + cell_h], outline=ink, width=max(2, dpi // 100))
        d.line([(margin + label_w, y), (margin + label_w, y + cell_h)], fill=ink, width=max(2, dpi // 100))
        d.text((margin + _px(3, dpi), y + cell_h // 2), label, font=small, fill=ink, anchor="lm")
        if hand:
            _hand(page, (margin + label_w + _px(4, dpi), y + cell_h // 2 - _px(hand_size_mm, dpi) // 2 - 4),
                  value, _px(hand_size_mm, dpi), rnd)
        else:
            d.text((margin + label_w + _px(4, dpi), y + cell_h // 2), value, font=small, fill=ink, anchor="lm")
    y = top + len(rows) * cell_h + _px(12, dpi)
    d.text((margin, y), "本证明仅用于办理相关业务，涂改无效。", font=small, fill=ink)
    y += _px(16, dpi)
    d.text((margin, y), f"{issuer_label}：", font=small, fill=ink)
    x = margin + int(small.getlength(f"{issuer_label}：")) + _px(2, dpi)
    d.text((x, y), issuer, font=small, fill=ink)
    _seal(page, x + int(small.getlength(issuer)) // 2 + _px(16, dpi), y + _px(4, dpi), _px(19, dpi), issuer)
    return page


def death_proof(p: Person, *, dpi: int = 200, seed: int = 1, degraded: bool = False,
                entered_date: date | None = None) -> bytes:
    rnd = random.Random(seed)
    d = p.died_at
    rows = [
        ("死者姓名", p.name, True),
        ("性别", "男" if int(p.id_number[16]) % 2 else "女", True),
        ("公民身份号码", p.id_number, True),
        ("死亡日期", f"{d.year}年{d.month}月{d.day}日{d.hour}时{d.minute}分", True),
        ("死亡地点", "医疗卫生机构", False),
        ("死亡原因", "疾病", True),
    ]
    page = _form("居民死亡医学证明（推断）书", "编号", p.proof_number, rows, "签发单位", p.issuer, dpi, rnd)
    return _finish(page, dpi, rnd, degraded)


def cremation_cert(p: Person, *, dpi: int = 200, seed: int = 1, degraded: bool = False) -> bytes:
    rnd = random.Random(seed)
    d = p.died_at
    rows = [
        ("死者姓名", p.name, True),
        ("公民身份号码", p.id_number, True),
        ("死亡日期", f"{d.year}年{d.month}月{d.day}日", True),
        ("火化日期", f"{p.cremation_date.year}年{p.cremation_date.month}月{p.cremation_date.day}日", True),
        ("骨灰去向", "家属领回", True),
    ]
    page = _form("火化证明", "火化证编号", p.cremation_number, rows, "火化单位", p.funeral_home, dpi, rnd)
    return _finish(page, dpi, rnd, degraded)
