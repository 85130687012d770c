"""Which reader to use, from the settings (``idcard.*``), with cheap auto-detection.

``auto``: a configured vendor library wins, then a configured serial port, then PC/SC when its
service answers. ``none`` turns card reading off (manual entry only).
"""
from __future__ import annotations

from houshi_desk.idcard.errors import ReaderError
from houshi_desk.idcard.reader import CardReader
from houshi_desk.idcard.sdk_reader import DEFAULT_USB_PORT


def _sdk_port(value: str) -> int:
    v = (value or "").strip()
    return int(v) if v.isdigit() else DEFAULT_USB_PORT


def pcsc_available() -> bool:
    """True when the PC/SC service answers (pyscard installed and pcscd / SCardSvr running)."""
    try:
        from smartcard import scard
    except ImportError:
        return False
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return False
    scard.SCardReleaseContext(ctx)
    return True


def detect_transport(settings) -> str:
    transport = settings.idcard_transport
    if transport != "auto":
        return transport
    if settings.idcard_sdk_library:
        return "sdk"
    if settings.idcard_serial_port:
        return "serial"
    if pcsc_available():
        return "pcsc"
    raise ReaderError("没有找到可用的身份证阅读器。",
                      hint="请插好读卡器并安装其驱动；或在设置中指定读卡方式（PC/SC、串口或厂商动态库）。",
                      code="no_reader")


def reader_from_settings(settings=None, *, reader_name: str | None = None) -> CardReader:
    if settings is None:
        from houshi_desk.config import load_settings

        settings = load_settings()
    transport = detect_transport(settings)
    if transport == "none":
        raise ReaderError("读卡功能已在设置中关闭。", hint="如需读卡，请在设置中把“读卡方式”改为自动或具体的读卡器。",
                          code="reading_off", retryable=False)
    if transport == "pcsc":
        from houshi_desk.idcard.pcsc_reader import PcscReader

        return PcscReader(reader_name if reader_name is not None else settings.idcard_reader)
    if transport == "serial":
        port = settings.idcard_serial_port
        if not port:
            raise ReaderError("设置中选择了串口读卡器，但没有填写串口号。", hint="请在设置中填写串口，如 COM3 或 /dev/ttyUSB0。",
                              code="serial_port_missing", retryable=False)
        from houshi_desk.idcard.serial_reader import SerialSamReader

        return SerialSamReader(port)
    if transport == "sdk":
        library = settings.idcard_sdk_library
        if not library:
            raise ReaderError("设置中选择了厂商动态库读卡，但没有填写动态库路径。", hint="请在设置中填写 sdtapi.dll / termb.dll 类动态库的路径。",
                              code="sdk_missing", retryable=False)
        from houshi_desk.idcard.sdk_reader import sdk_reader

        return sdk_reader(library, _sdk_port(settings.idcard_serial_port))
    raise ReaderError(f"未知的读卡方式“{transport}”。", code="transport_unknown", retryable=False)
