"""Export of one case's data for a near relative, as a readable JSON file."""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk import audit
from houshi_desk.errors import HoushiError
from houshi_desk.store.models import CaseMaterialRow, CaseMatterRow, CaseTaskRow, PrintLogRow

FORMAT = "houshi-desk-case-export/1"


class RightsError(HoushiError):
    pass


def need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise RightsError(f"请写明{what}的理由（例如：逝者配偶依《个人信息保护法》第四十九条申请{what}），"
                          "理由会记入审计记录。", hint="--reason 理由")
    return reason


def _json(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, bytes):
        return f"（二进制数据 {len(v)} 字节，未导出）"
    return v


def _cols(row, skip: tuple[str, ...] = ()) -> dict:
    return {c.key: _json(getattr(row, c.key)) for c in row.__table__.columns if c.key not in skip}


def export_case(session: Session, number: str, *, actor: str, reason: str) -> dict:
    from houshi_desk.services.cases import get_case_row

    reason = need_reason(reason, "导出")
    row = get_case_row(session, number)
    matters = session.execute(select(CaseMatterRow).where(CaseMatterRow.case_id == row.id)
                              .order_by(CaseMatterRow.id)).scalars().all()
    materials = session.execute(select(CaseMaterialRow).where(CaseMaterialRow.case_id == row.id)
                                .order_by(CaseMaterialRow.id)).scalars().all()
    tasks = session.execute(select(CaseTaskRow).where(CaseTaskRow.case_id == row.id)).scalars().all()
    prints = session.execute(select(PrintLogRow).where(PrintLogRow.case_id == row.id)
                             .order_by(PrintLogRow.at)).scalars().all()
    doc = {
        "format": FORMAT,
        "说明": "本文件为依《中华人民共和国个人信息保护法》第四十九条、第五十条向近亲属提供的案件数据副本，"
                "内含身份证号码等个人信息，请妥善保管。",
        "exported_at": datetime.now().isoformat(timespec="seconds"),
        "exported_by": actor,
        "reason": reason,
        "case": _cols(row, skip=("id",)),
        "parties": [{**_cols(p, skip=("id", "case_id", "photo_wlt")),
                     "photo": "有（照片未随本文件导出）" if p.photo_wlt else "无"} for p in row.parties],
        "matters": [{**_cols(m, skip=("id", "case_id")),
                     "history": [_cols(h, skip=("id", "matter_id")) for h in m.history]} for m in matters],
        "materials": [{**_cols(m, skip=("id", "case_id")),
                       "pages": [_cols(f, skip=("id", "material_id")) for f in m.files]} for m in materials],
        "tasks": [_cols(t, skip=("id", "case_id")) for t in tasks],
        "prints": [_cols(p, skip=("id", "case_id")) for p in prints],
        "platform": _platform(session, row.number),
        "audit": [_cols(e, skip=("prev_hash", "hash")) for e in audit.entries(session, case_number=row.number)],
    }
    audit.record(session, actor=actor, action="rights_export", case_number=row.number,
                 detail=f"近亲属申请导出案件数据；理由：{reason}")
    return doc


def _platform(session: Session, number: str) -> list[dict]:
    from houshi_desk.store.models_sync import SyncOutboxRow

    rows = session.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number)
                           .order_by(SyncOutboxRow.seq)).scalars()
    return [{"seq": r.seq, "kind": r.kind, "state": r.state, "created_at": _json(r.created_at),
             "acked_at": _json(r.acked_at), "last_error": r.last_error} for r in rows]


def write_export(path: str | Path, doc: dict) -> Path:
    """Write the export (UTF-8 JSON, indented, Chinese kept readable), readable by the owner only."""
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, out)
    except OSError as exc:
        raise RightsError(f"导出文件无法写入 {out}：{exc.strerror}。请换一个有写权限的位置（如 U 盘）。") from exc
    return out
