"""SAM status codes (SW3) and what each means for the clerk.

One line per code, so a correction from a reader manual is a one-line change. ``retry`` says
whether trying again (usually after lifting and replacing the card) can help.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SamStatus:
    code: int
    name: str
    ok: bool
    message: str
    hint: str
    retry: bool


_REPLACE = "请把卡片拿开，再重新平放到读卡器感应区中央，不要移动，直到读卡完成。"
_REPLUG = "请重新插拔读卡器后再试；若仍失败，请联系设备维护人员。"
_CARD_BAD = "请把卡片拿开后重新放置；若反复出现，该证件芯片可能损坏，请核验证件后人工录入。"

STATUS_TABLE: dict[int, SamStatus] = {s.code: s for s in [
    SamStatus(0x90, "ok", True, "操作成功。", "", False),
    SamStatus(0x9F, "card_found", True, "找到卡片。", "", False),
    SamStatus(0x80, "no_card", False, "读卡器上没有找到卡片。", "请把证件平放在读卡器感应区中央。", True),
    SamStatus(0x81, "select_failed", False, "选卡失败，读卡器没能与卡片建立联系。", _REPLACE, True),
    SamStatus(0x41, "read_failed", False, "读卡失败，卡片信息没有读完整。", _REPLACE, True),
    SamStatus(0x91, "field_empty", False, "卡片中没有该项内容（如没有指纹信息）。", "这不影响读取身份信息。", False),
    SamStatus(0x10, "bad_checksum", False, "读卡器收到的命令校验出错。", "请再试一次；若反复出现，请检查读卡器连接线。", True),
    SamStatus(0x11, "bad_length", False, "读卡器收到的命令长度出错。", "请再试一次；若反复出现，请检查读卡器连接线。", True),
    SamStatus(0x21, "bad_command", False, "读卡器不认识该命令。", "请确认设置中的读卡方式与读卡器型号一致。", False),
    SamStatus(0x23, "not_permitted", False, "读卡器拒绝了该操作（越权操作）。", "请联系设备维护人员检查读卡器。", False),
    SamStatus(0x24, "unknown_error", False, "读卡器发生未知错误。", _REPLUG, True),
    SamStatus(0x31, "card_auth_failed", False, "卡片认证读卡器安全模块失败。", _CARD_BAD, True),
    SamStatus(0x32, "sam_auth_failed", False, "读卡器安全模块认证卡片失败。", _CARD_BAD, True),
    SamStatus(0x33, "verify_failed", False, "卡片信息验证错误。", _CARD_BAD, True),
    SamStatus(0x40, "unknown_card_type", False, "无法识别的卡片类型。", "请确认放上的是居民身份证、港澳台居民居住证或外国人永久居留身份证。", False),
    SamStatus(0x47, "random_failed", False, "读卡器取随机数失败。", _REPLACE, True),
    SamStatus(0x60, "sam_selftest_failed", False, "读卡器安全模块自检失败。", _REPLUG, False),
    SamStatus(0x66, "sam_not_authorised", False, "读卡器安全模块未经授权，不能读卡。", "请联系设备维护人员。", False),
]}


def status_for(code: int) -> SamStatus:
    """The table entry, or a generic one for a code no manual we know lists."""
    found = STATUS_TABLE.get(code)
    if found is not None:
        return found
    return SamStatus(code, "unknown_status", False, f"读卡器返回了未知的状态码 {code:02X}。", _REPLUG, True)
