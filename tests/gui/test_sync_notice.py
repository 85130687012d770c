"""The window tells the clerk when sync raised the day's case numbers (issue 14 leftover): the
uploader's thread reports through ``SyncBridge.notice`` and the status bar shows the sentence."""
from __future__ import annotations

import threading


def test_a_notice_from_the_uploader_thread_reaches_the_status_bar(app_window, qtbot):
    ctx, window = app_window
    text = "已向平台核对受理编号：平台上本终端今天最大的编号是 150702-W01-20260123-0003，本机编号已接续，" \
           "下一个受理编号为 150702-W01-20260123-0004。"
    t = threading.Thread(target=lambda: ctx.sync.notice.emit(text))  # as uploader_check's on_raised does
    t.start()
    t.join()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == text, timeout=5000)
