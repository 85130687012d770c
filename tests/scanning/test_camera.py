"""The document camera source (Qt Multimedia). No real camera exists on the build machine: these
tests construct it offscreen, check the clear "no camera" message and auto-crop a synthetic frame."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be loaded (PySide6 or libpulse0 missing)",
                    exc_type=ImportError)

from houshi_desk.scanning.errors import DeviceNotFound  # noqa: E402
from houshi_desk.scanning.pipeline import estimate_skew, find_paper  # noqa: E402
from houshi_desk.scanning.source import ScanSource  # noqa: E402
from houshi_desk.scanning.synthetic import a4_page  # noqa: E402


def test_constructs_offscreen_and_says_when_there_is_no_camera(qapp):
    from houshi_desk.gui.camera import CameraSource

    cam = CameraSource()
    assert isinstance(cam, ScanSource)
    if cam.devices():
        pytest.skip("a real camera is attached; the no-camera message cannot be checked")
    with pytest.raises(DeviceNotFound) as e:
        cam.scan()
    assert "高拍仪" in e.value.message
    cam.close()


def test_frame_roundtrip_and_auto_crop(qapp):
    from houshi_desk.gui.camera import CameraSource, pil_to_qimage, qimage_to_pil

    frame = a4_page(80, skew=4, desk_mm=30, mode="RGB")
    q = pil_to_qimage(frame)
    back = qimage_to_pil(q)
    assert back.size == frame.size and back.getpixel((5, 5)) == frame.getpixel((5, 5))
    page = CameraSource().page_from_frame(back).image
    assert find_paper(frame, 80) is not None and find_paper(page, 80) is None
    assert page.width < frame.width * 0.85 and abs(estimate_skew(page, 80)) <= 0.3
    assert 0.68 < page.width / page.height < 0.74  # A4 proportions
