"""The Pillow pipeline on synthetic A4 pages (the SANE test backend cannot scan A4): crop to the
paper, deskew, orientation, modes, size target, rotate."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from houshi_desk.scanning import pipeline as P
from houshi_desk.scanning.synthetic import a4_page


@pytest.mark.parametrize("skew", [-4.0, -1.5, 2.3, 5.0])
def test_deskew_levels_the_text(skew):
    page = a4_page(150, skew=skew)
    assert P.estimate_skew(page, 150) == pytest.approx(skew, abs=0.3)
    out = P.process(page, 150, P.PipelineOptions(crop=False))
    assert abs(P.estimate_skew(P.decode(out.data).convert("L"), 150)) <= 0.3


def test_crop_to_the_paper_on_a_dark_desk():
    page = a4_page(100, desk_mm=25, mode="RGB")
    box = P.find_paper(page, 100)
    pad = round(25 / 25.4 * 100)
    assert box == pytest.approx((pad, pad, page.width - pad, page.height - pad), abs=6)
    assert P.find_paper(a4_page(100), 100) is None  # white lid flatbed: nothing to crop


def test_camera_frame_skewed_on_a_desk_comes_out_upright_and_cropped():
    frame = a4_page(100, skew=3, desk_mm=20, mode="RGB")
    out = P.process(frame, 100)
    im = P.decode(out.data).convert("L")
    assert abs(im.width - 827) < 20 and abs(im.height - 1169) < 25  # A4 at 100 dpi
    assert abs(P.estimate_skew(im, 100)) <= 0.3
    assert P.find_paper(im, 100) is None  # no desk left around it


@pytest.mark.parametrize("turned,fix", [(90, 270), (270, 90)])
def test_page_on_its_side_is_turned_upright(turned, fix):
    page = a4_page(100, rotate=turned)
    assert P.detect_orientation(page, 100) == fix
    out = P.process(page, 100)
    assert out.height > out.width


def test_upright_page_is_left_alone():
    assert P.detect_orientation(a4_page(100), 100) == 0


def test_a4_200dpi_gray_is_small_and_clean():
    out = P.process(a4_page(200), 200)
    assert out.mime == "image/png" and out.size <= 300 * 1024
    im = P.decode(out.data)
    hist = im.convert("L").histogram()
    assert hist[255] > 0.7 * sum(hist)  # paper is pure white: noise is gone


def test_300dpi_input_is_stored_at_200dpi():
    out = P.process(a4_page(300), 300)
    assert out.dpi == 200 and out.width == pytest.approx(1654, abs=2) and out.size <= 300 * 1024


def test_modes():
    page = a4_page(100, mode="RGB")
    color = P.process(page, 100, P.PipelineOptions(mode="color"))
    # colour stays colour: a palette PNG of greys and ink hues for a flat page, else JPEG (issue 19)
    assert color.mime in ("image/png", "image/jpeg") and P.decode(color.data).mode in ("P", "RGB")
    line = P.process(page, 100, P.PipelineOptions(mode="lineart"))
    assert line.mime == "image/png" and P.decode(line.data).mode == "1"
    gray = P.process(page, 100, P.PipelineOptions(mode="gray"))
    assert P.decode(gray.data).mode in ("L", "P")


def test_photo_like_gray_page_uses_jpeg():
    photo = Image.effect_noise((800, 600), 60).convert("L")
    assert P.process(photo, 100, P.PipelineOptions(crop=False, orient=False, deskew=False)).mime == "image/jpeg"


def test_rotate_encoded_is_clockwise():
    im = Image.new("L", (40, 20), 255)
    im.putpixel((0, 0), 0)  # top-left
    data, w, h = P.rotate_encoded(P.encode(im, 100)[0], "image/png", 90)
    out = P.decode(data).convert("L")
    assert (w, h) == (20, 40) and out.getpixel((19, 0)) < 128  # top-left went to top-right


def test_decode_refuses_bad_bytes():
    with pytest.raises(P.ImageRejected):
        P.decode(b"")
    with pytest.raises(P.ImageRejected):
        P.decode(b"not an image")
    buf = io.BytesIO()
    a4_page(50).save(buf, "JPEG")
    with pytest.raises(P.ImageRejected):
        P.decode(buf.getvalue()[:1500])


@pytest.mark.parametrize("im", [
    Image.new("L", (1, 1), 0), Image.new("RGB", (20, 30)), Image.new("1", (100, 100), 1), Image.new("P", (50, 50)),
    Image.new("I;16", (40, 40), 300), Image.new("CMYK", (40, 40)), Image.new("F", (30, 30), 0.5),
    Image.new("L", (4000, 10), 128), Image.new("L", (2000, 2000), 0), Image.effect_noise((600, 800), 100),
], ids=lambda im: f"{im.mode}-{im.width}x{im.height}")
@pytest.mark.parametrize("mode", ["gray", "color", "lineart"])
def test_odd_images_do_not_break_the_pipeline(im, mode):
    out = P.process(im, None, P.PipelineOptions(mode=mode))
    assert P.decode(out.data).size == (out.width, out.height)


def test_transparent_png_becomes_white_paper():
    im = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    out = P.decode(P.process(im, 100).data).convert("L")
    assert out.getextrema() == (255, 255)
