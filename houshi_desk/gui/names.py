"""Internal codes in words: screens show 居民死亡医学证明 rather than ``death_cert_medical``, 申请表
rather than ``application``, 录入中 rather than ``draft``. One table per catalogue, built on demand."""
from __future__ import annotations

import re

_TOKEN = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9_]*[a-z0-9](?![A-Za-z0-9_])")

# Document kinds and audit actions recorded by code paths outside houshi_desk.audit.ACTIONS.
EXTRA = {
    "application": "申请表", "promise": "承诺书", "proxy": "授权委托书", "notice": "一次告知单",
    "receipt": "受理回执", "receipt_roll": "受理回执小票", "completion": "办结通知书", "daily_report": "日终报表",
    "backdate": "指定受理日期", "attach": "添加材料页",
}


def code_names(ctx=None, catalog=None) -> dict[str, str]:
    """code → name: materials, matters, preconditions and departments of the catalogue, case,
    matter and material states, document kinds."""
    from houshi_desk.domain.case import CaseStatus, MaterialState, MatterStatus

    names: dict[str, str] = dict(EXTRA)
    for enum in (MatterStatus, MaterialState, CaseStatus):  # the case's own status wins a shared code
        names.update({e.value: e.label for e in enum})
    try:
        cat = catalog if catalog is not None else ctx.catalog()
        names.update({code: d.name for code, d in cat.departments.items()})
        names.update({p.code: p.name for p in cat.preconditions})
        names.update({m.code: m.name for m in cat.matters})
        names.update({code: m.name for code, m in cat.materials.items()})
    except Exception:  # noqa: BLE001 - labels, never a reason to fail
        pass
    return names


def name_of(code: str | None, names: dict[str, str]) -> str:
    return "" if code is None else names.get(code, code)


def humanize(text: str | None, names: dict[str, str]) -> str:
    """Replace every whole lower-case code word in free text (an audit detail) by its name."""
    if not text:
        return text or ""
    return _TOKEN.sub(lambda m: names.get(m.group(0), m.group(0)), text)

