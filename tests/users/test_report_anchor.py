"""The daily report prints the audit chain head and the last head the platform acknowledged
(issue 14 "Audit anchoring … printed on the daily report")."""
from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from houshi_desk import audit
from houshi_desk.reports import daily_figures, render_pdf


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_report_shows_the_chain_head_and_the_acknowledged_anchor(sqlite_store):
    from houshi_desk.sync.outbox import ACKED, enqueue_audit_anchor

    with sqlite_store.session(write=True) as s:
        for i in range(3):
            audit.record(s, actor="clerk01", action="view", detail=f"查看 {i}")
    with sqlite_store.session() as s:
        f = daily_figures(s, date.today())
    assert f.audit_seq >= 3 and not f.audit_anchored
    assert "尚未向省级平台锚定" in _text(render_pdf(f, user="boss1"))
    with sqlite_store.session(write=True) as s:
        item = enqueue_audit_anchor(s)
        item.state, item.acked_at = ACKED, datetime(2026, 11, 30, 17, 0)
    with sqlite_store.session() as s:
        f = daily_figures(s, date.today())
    assert f.audit_anchored["seq"] == f.audit_seq
    text = _text(render_pdf(f, user="boss1"))
    assert f"审计链锚点：第{f.audit_seq}条" in text and "省级平台最近确认的锚定" in text
    assert f.audit_hash[:16] in text
