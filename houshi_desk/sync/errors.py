"""What can go wrong talking to the platform, sorted into the three classes SYNC.md names.

* ``TransientError`` → retry later (network, 5xx, 409 in progress, 429, garbage replies);
  ``link_down`` marks the whole link as down (no connection, 502/503/504) so items wait for it.
* ``AuthError`` → pause the queue until someone logs in again (or fixes the clock).
* ``RejectedError`` → this item needs a person (400/404/413/422, and 403 ``not_owner``: the case
  belongs to another office's terminal); other cases keep draining.
Every message is a sentence a clerk understands.
"""
from __future__ import annotations

from houshi_desk.errors import HoushiError


class SyncError(HoushiError):
    code = "error"


class TransientError(SyncError):
    code = "transient"

    def __init__(self, message: str, *, code: str = "transient", retry_after: float | None = None,
                 link_down: bool = False, detail: str | None = None):
        super().__init__(message, detail=detail)
        self.code = code
        self.retry_after = retry_after
        self.link_down = link_down


class AuthError(SyncError):
    def __init__(self, message: str, *, code: str = "auth", detail: str | None = None):
        super().__init__(message, detail=detail)
        self.code = code


class RejectedError(SyncError):
    def __init__(self, message: str, *, code: str = "rejected", status: int = 422, detail: str | None = None):
        super().__init__(message, detail=detail)
        self.code = code
        self.status = status


class UploadGone(SyncError):
    """The server no longer knows this upload (expired or lost): start it again."""

    code = "upload_gone"


class NotConfigured(SyncError):
    code = "not_configured"


MSG_NETWORK = "无法连接省级共享平台（网络不通或平台停机），已自动排队，网络恢复后会继续发送。"
MSG_TIMEOUT = "平台应答超时，已自动排队稍后重试。"
MSG_SERVER = "平台暂时出错（{status}），已自动排队稍后重试。"
MSG_BUSY = "平台繁忙，要求稍后再试，已按平台要求等待后重试。"
MSG_IN_PROGRESS = "平台仍在处理同一请求，稍后自动确认结果。"
MSG_GARBAGE = "平台返回了无法识别的应答，已自动排队稍后重试；若持续出现请联系信息科。"
MSG_LOGIN = "平台拒绝了本机的登录凭据（可能已过期或被吊销），同步已暂停。请重新登录平台：houshi-desk platform login。"
MSG_NOT_OWNER = ("平台拒绝了这一项：该案件（或附件）属于其他受理点的终端，本机无权操作，其余案件照常发送。"
                 "请核对受理编号；如确属本受理点的案件，请联系信息科在平台上登记本机所属受理点。")
MSG_CLOCK = "本机时间与平台相差过大，请校准系统时间。同步已暂停，校准后自动继续。"
MSG_TLS = "与平台的加密连接校验失败（证书不受信任），同步已暂停。请联系信息科检查平台根证书设置。"
MSG_NO_CREDENTIALS = "尚未登录省级共享平台，无法同步。请先执行 houshi-desk platform login。"
MSG_NOT_CONFIGURED = "尚未设置省级共享平台地址（platform.url），案件已保存在本机，待设置后自动发送。"
