"""Cross-check, not data entry: what the death proof and the 火化证 / 墓位使用证 say against what the
clerk typed and what the ID card said.

:func:`read_materials` runs the OCR child (:mod:`houshi_desk.scanning.ocr`) on the pages of the
materials that matter; :func:`compare` turns the fields read into :class:`Check` rows — a quiet match,
or a mismatch with one sentence ("证明上的死亡日期为 2026-11-20，录入为 2026-11-02") and the page
region it was read from. The clerk corrects the entry or keeps it; :func:`record` writes the outcome
on the case's audit trail (always a summary; a kept value the paper contradicts with the clerk's
reason). Nothing read is stored or sent otherwise: the OCR text stays in memory.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from houshi_desk.domain.case import Case, Disposal
from houshi_desk.scanning.ocr import OCR_MATERIALS, UNAVAILABLE, Extracted, available, extract

LABELS = {
    "name": "姓名", "id_number": "公民身份号码", "death_date": "死亡日期", "death_time": "死亡时间",
    "number": "编号", "issuer": "签发单位", "cremation_date": "火化日期", "burial_date": "安葬日期",
}
NUMBER_LABEL = {"death": "死亡证明编号", "cremation": "火化证编号", "burial": "墓位使用证编号"}
ISSUER_LABEL = {"death": "死亡证明签发单位", "cremation": "火化单位", "burial": "发证单位"}


@dataclass
class Check:
    material: str  # material code
    field: str  # name | id_number | death_date | death_time | number | issuer | cremation_date | burial_date | order
    label: str
    paper: str  # as shown (dates ISO, ID numbers masked)
    entered: str
    ok: bool
    box: tuple[int, int, int, int] | None = None
    page: int = 1
    kept_reason: str = ""  # the clerk kept the entry the paper contradicts

    @property
    def sentence(self) -> str:
        if self.ok:
            return f"{self.label}与证明一致"
        if self.field == "order":
            return self.paper
        if not self.entered:
            return f"证明上的{self.label}为 {self.paper}，尚未录入"
        return f"证明上的{self.label}为 {self.paper}，录入为 {self.entered}"

    @property
    def where(self) -> str:
        return f"第 {self.page} 页" + (f"（{self.box[0]},{self.box[1]}–{self.box[2]},{self.box[3]}）" if self.box else "")


@dataclass
class CrossCheck:
    checks: list[Check] = field(default_factory=list)
    unavailable: str = ""  # why no cross-check ran (OCR not installed)
    unread: list[str] = field(default_factory=list)  # labels of fields that could not be read

    @property
    def mismatches(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def matches(self) -> list[Check]:
        return [c for c in self.checks if c.ok]


def _iso(v) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    return str(v or "")


def _mask_id(number: str, other: str = "") -> str:
    from houshi_desk.domain.identity import mask_id_number

    masked = mask_id_number(number)
    if other and len(other) == len(number) == 18:
        diff = [str(i + 1) for i, (a, b) in enumerate(zip(number, other)) if a != b]
        if diff:
            masked += f"（第 {'、'.join(diff[:4])} 位不同）"
    return masked


def _norm(text: str) -> str:
    return re.sub(r"[\s()（）·・,，.。:：]", "", text or "").upper()


def compare(extracted: dict[str, Extracted], case: Case) -> CrossCheck:
    """Checks for every field read on every material in ``extracted`` (code → fields)."""
    out = CrossCheck()
    ident = case.deceased.identity
    death = case.death
    entered_death = death.died_at
    for code, ex in extracted.items():
        kind = ex.kind

        def add(fname, label, paper, entered, ok, *, code=code, ex=ex, src=None):
            f = ex.fields.get(src or fname)
            out.checks.append(Check(code, fname, label, paper, entered, ok, f.box if f else None, f.page if f else 1))

        for fname in ("name", "id_number", "number", "issuer", "death_date", "cremation_date", "burial_date"):
            if fname not in ex.fields:
                if fname in _expected(kind):
                    out.unread.append(f"{LABELS[fname]}（{code}）")
                continue
            v = ex.get(fname)
            if fname == "name":
                add("name", "逝者姓名", v, ident.name, _norm(v) == _norm(ident.name))
            elif fname == "id_number":
                entered = (ident.id_number or "").upper()
                add("id_number", "逝者公民身份号码", _mask_id(v, entered), _mask_id(entered) if entered else "",
                    v == entered)
            elif fname == "number":
                entered = death.proof_number if kind == "death" else death.disposal_proof_number
                add("number", NUMBER_LABEL[kind], v, entered, _norm(v) == _norm(entered))
            elif fname == "issuer":
                if kind != "death":
                    continue  # the funeral home is not typed anywhere: nothing to compare
                entered = death.proof_issuer
                a, b = _norm(v), _norm(entered)
                add("issuer", ISSUER_LABEL[kind], v, entered, bool(b) and (a == b or a in b or b in a))
            elif fname == "death_date":
                paper_day = v.date() if isinstance(v, datetime) else v
                add("death_date", "死亡日期", paper_day.isoformat(), entered_death.date().isoformat(),
                    paper_day == entered_death.date())
                if isinstance(v, datetime) and paper_day == entered_death.date() and \
                        (entered_death.hour, entered_death.minute) != (0, 0):
                    add("death_time", "死亡时间", _iso(v), _iso(entered_death),
                        (v.hour, v.minute) == (entered_death.hour, entered_death.minute), src="death_date")
            elif fname in ("cremation_date", "burial_date"):
                expected_disposal = Disposal.CREMATION if fname == "cremation_date" else Disposal.BURIAL
                entered = death.disposal_date.isoformat() if death.disposal_date and \
                    death.disposal is expected_disposal else ""
                add(fname, LABELS[fname], v.isoformat() if isinstance(v, date) else _iso(v), entered,
                    v == death.disposal_date)
                died = ex.get("death_date") or entered_death
                died_day = died.date() if isinstance(died, datetime) else died
                if isinstance(v, date) and v < died_day:
                    out.checks.append(Check(code, "order", "日期顺序",
                                            f"证明上的{LABELS[fname]} {v.isoformat()} 早于死亡日期 {died_day.isoformat()}，请核对证明",
                                            "", False, ex.fields[fname].box, ex.fields[fname].page))
    return out


def _expected(kind: str) -> tuple[str, ...]:
    from houshi_desk.scanning.ocr import FIELDS_BY_KIND

    return FIELDS_BY_KIND.get(kind, ())


def read_materials(pages: dict[str, list[bytes]], *, on_progress=None, on_start=None) -> dict[str, Extracted]:
    """OCR the pages of the materials that matter (others are ignored) in one child process.
    ``on_start(run)`` gets the :class:`~houshi_desk.scanning.ocr.OcrRun` (to cancel it);
    ``on_progress(done, total)`` after each page."""
    from houshi_desk.scanning.ocr import OcrRun

    wanted = [(code, p) for code, plist in pages.items() if code in OCR_MATERIALS for p in plist]
    if not wanted:
        return {}
    run = OcrRun([p for _, p in wanted])
    if on_start is not None:
        on_start(run)
    lines = run.result(on_progress)
    by_code: dict[str, list] = {}
    for (code, _), page_lines in zip(wanted, lines):
        by_code.setdefault(code, []).append(page_lines)
    return {code: extract(pl, OCR_MATERIALS[code]) for code, pl in by_code.items()}


def crosscheck(pages: dict[str, list[bytes]], case: Case, *, on_progress=None, on_start=None) -> CrossCheck:
    """Read and compare; without the OCR extra, a CrossCheck that says it is unavailable."""
    if not any(code in OCR_MATERIALS and plist for code, plist in pages.items()):
        return CrossCheck()
    if not available():
        return CrossCheck(unavailable=UNAVAILABLE)
    return compare(read_materials(pages, on_progress=on_progress, on_start=on_start), case)


def audit_lines(result: CrossCheck) -> dict[str, list[tuple[str, str]]]:
    """material code → [(action, detail)] to record on the case's audit trail: a summary for each
    material read, and each kept value the paper contradicts with the clerk's reason. ID numbers
    appear only masked."""
    out: dict[str, list[tuple[str, str]]] = {}
    for code in dict.fromkeys(c.material for c in result.checks):
        mine = [c for c in result.checks if c.material == code]
        ok = "、".join(c.label for c in mine if c.ok) or "无"
        bad = "、".join(c.label for c in mine if not c.ok) or "无"
        lines = [("crosscheck", f"证明核对（{code}）：一致 {ok}；不一致 {bad}")]
        for c in mine:
            if not c.ok and c.kept_reason:
                lines.append(("crosscheck_keep", f"保留与证明不一致的录入（{code}）：{c.sentence}；理由：{c.kept_reason[:200]}"))
        out[code] = lines
    return out


def record(session, case_number: str, result: CrossCheck, *, actor: str) -> int:
    """Write :func:`audit_lines` on the case; returns how many entries were written."""
    from houshi_desk.audit import record as audit_record

    n = 0
    for lines in audit_lines(result).values():
        for action, detail in lines:
            audit_record(session, actor=actor, action=action, case_number=case_number, detail=detail)
            n += 1
    return n


def crosscheck_case(store, filestore, number: str, *, actor: str, on_progress=None, on_start=None) -> CrossCheck:
    """Read back the stored pages of a saved case's death proof and 火化证 / 墓位使用证, compare
    them with the case, and record the outcome on the case's audit trail. The OCR runs outside any
    database transaction (it takes seconds per page)."""
    from houshi_desk.services.cases import case_from_row, get_case_row

    with store.session() as s:
        row = get_case_row(s, number)
        number = row.number
        case = case_from_row(row)
        pages = {m.code: [filestore.get(f.sha256) for f in sorted(m.files, key=lambda f: f.page_no)
                          if f.mime != "application/pdf"]
                 for m in row.materials if m.code in OCR_MATERIALS}
    result = crosscheck(pages, case, on_progress=on_progress, on_start=on_start)
    if result.checks:
        with store.session(write=True) as s:
            record(s, number, result, actor=actor)
    return result
