"""The document camera (高拍仪: a UVC camera on a stand) as a ScanSource, with Qt Multimedia.

``CameraSource`` owns a QCamera, a QMediaCaptureSession and a QImageCapture. ``set_preview()``
shows the live picture in a QVideoWidget (or any QVideoSink); ``scan()`` takes one still, converts
it to a Pillow image and auto-crops the page with the scanning pipeline's crop and deskew. The
camera has no dpi; the page is given the dpi it has if it is A4.

Qt Multimedia objects belong to the GUI thread, so ``scan()`` must be called there: it waits in a
local event loop (the window stays responsive) and ``cancel()`` ends the wait.
"""
from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices

from houshi_desk.scanning.errors import DeviceNotFound, ScanCancelled, ScanError
from houshi_desk.scanning.pipeline import a4_dpi, autocrop
from houshi_desk.scanning.source import DeviceInfo, PageCallback, ScannedPage, ScanRequest


def qimage_to_pil(image: QImage) -> Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = bytes(rgb.constBits())[: stride * h]
    return Image.frombuffer("RGB", (w, h), data, "raw", "RGB", stride, 1).copy()


def pil_to_qimage(im: Image.Image) -> QImage:
    rgb = im.convert("RGB")
    data = rgb.tobytes()
    q = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return q.copy()  # own the pixels: ``data`` goes away


def camera_devices() -> list[DeviceInfo]:
    return [DeviceInfo(f"camera:{bytes(d.id().data()).decode('utf-8', 'replace')}", model=d.description(),
                       kind="camera") for d in QMediaDevices.videoInputs()]


class CameraSource(QObject):
    captured = Signal(object)  # ScannedPage, after auto-crop
    failed = Signal(str)  # Chinese message

    name = "camera"

    def __init__(self, device: str | None = None, parent: QObject | None = None, *, timeout_ms: int = 10000):
        super().__init__(parent)
        self.device = device
        self.timeout_ms = timeout_ms
        self.session = QMediaCaptureSession(self)
        self.capture = QImageCapture(self)
        self.session.setImageCapture(self.capture)
        self.camera: QCamera | None = None
        self._loop: QEventLoop | None = None
        self._result = None
        self.capture.imageCaptured.connect(self._on_image)
        self.capture.errorOccurred.connect(self._on_error)

    # ---------------------------------------------------------------- ScanSource

    def devices(self) -> list[DeviceInfo]:
        return camera_devices()

    def _open(self) -> QCamera:
        if self.camera is not None:
            return self.camera
        inputs = QMediaDevices.videoInputs()
        if self.device and self.device.startswith("camera:"):
            want = self.device[len("camera:"):]
            inputs = [d for d in inputs if bytes(d.id().data()).decode("utf-8", "replace") == want] or []
        if not inputs:
            raise DeviceNotFound("没有找到高拍仪（文档摄像头）。请连接 USB 线后重试，或改用扫描仪/导入文件。")
        self.camera = QCamera(inputs[0], self)
        self.camera.errorOccurred.connect(lambda _e, text: self._on_error(-1, None, text))
        self.session.setCamera(self.camera)
        self.camera.start()
        return self.camera

    def set_preview(self, video_output) -> None:
        """Show the live picture in a QVideoWidget / QGraphicsVideoItem / QVideoSink."""
        self.session.setVideoOutput(video_output)
        self._open()

    def scan(self, request: ScanRequest | None = None, *, on_page: PageCallback | None = None) -> list[ScannedPage]:
        self._open()
        self._result = None
        self._loop = QEventLoop(self)
        QTimer.singleShot(self.timeout_ms, lambda: self._finish(ScanError("高拍仪没有拍到照片（超时）。请检查摄像头后重试。")))
        if not self.capture.isReadyForCapture():
            QTimer.singleShot(300, self.capture.capture)
        else:
            self.capture.capture()
        self._loop.exec()
        self._loop = None
        result, self._result = self._result, None
        if isinstance(result, Exception):
            raise result
        page = result
        if on_page is not None:
            on_page(page)
        return [page]

    def cancel(self) -> None:
        self._finish(ScanCancelled("已取消拍摄。"))

    def close(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera = None

    # ---------------------------------------------------------------- capture

    def page_from_frame(self, frame: Image.Image) -> ScannedPage:
        page = autocrop(frame, 100)
        dpi = a4_dpi(page)
        page.info["dpi"] = (dpi, dpi)
        return ScannedPage(page, dpi, "camera", 0)

    def _on_image(self, _id: int, image: QImage) -> None:
        try:
            page = self.page_from_frame(qimage_to_pil(image))
        except Exception as exc:  # noqa: BLE001 - anything here is a failed capture for the clerk
            self._finish(ScanError("高拍仪照片无法处理，请重拍。", detail=repr(exc)))
            return
        self.captured.emit(page)
        self._finish(page)

    def _on_error(self, _id, _error, text: str) -> None:
        err = ScanError(f"高拍仪拍摄失败：{text}。请检查摄像头连接后重试。")
        self.failed.emit(err.message)
        self._finish(err)

    def _finish(self, result) -> None:
        if self._loop is not None and self._result is None:
            self._result = result
            self._loop.quit()
