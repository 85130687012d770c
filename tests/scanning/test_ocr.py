"""OCR cross-check of the death proof and the 火化证 (houshi_desk.scanning.ocr,
houshi_desk.services.crosscheck) on generated certificates with known contents (tests/scanning/
certificates.py: printed form, handwriting-style values, red seal, skew, JPEG). The real rapidocr
engine runs in its child process with one thread; 7 pages are read in this file (4 in the shared
fixture, 2 in the cancel test, 1 by the CLI), ~2.5–15 s each on this machine depending on load."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from houshi_desk.domain.case import Case, DeathFacts, DeathKind, Party, PartyRole, Relationship
from houshi_desk.domain.identity import CardType, IdentityDocument
from houshi_desk.scanning.errors import ScanCancelled
from houshi_desk.services.crosscheck import audit_lines, compare, read_materials

from .certificates import cremation_cert, death_proof, synthetic_person

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("onnxruntime") is None,
    reason="the [ocr] extra (rapidocr, onnxruntime) is not installed: pip install -e '.[ocr]'",
)

PEOPLE = [synthetic_person(11), synthetic_person(12)]


def case_for(p, **death) -> Case:
    """The case as the clerk entered it (defaults: exactly what the paper says)."""
    ident = IdentityDocument(CardType.RESIDENT, p.name, p.id_number)
    facts = dict(kind=DeathKind.NORMAL, died_at=p.died_at, proof_number=p.proof_number, proof_issuer=p.issuer,
                 disposal_proof_number=p.cremation_number, disposal_date=p.cremation_date)
    facts.update(death)
    applicant = Party(PartyRole.APPLICANT, IdentityDocument(CardType.RESIDENT, "王测试", "150702198001011236"),
                      relationship=Relationship.CHILD if hasattr(Relationship, "CHILD") else None)
    return Case(region="nm", deceased=Party(PartyRole.DECEASED, ident), applicant=applicant, death=DeathFacts(**facts))


@pytest.fixture(scope="module")
def read():
    """One OCR run over 4 pages: each person's death proof (one clean, one degraded) and 火化证."""
    pages = {}
    for i, p in enumerate(PEOPLE):
        pages[f"{i}"] = {"death_cert_medical": [death_proof(p, seed=i, degraded=i == 1)],
                         "cremation_cert": [cremation_cert(p, seed=10 + i, degraded=i == 0)]}
    progress = []
    t = time.perf_counter()
    out = {}  # read_materials keys by material code: each person's pair is one run
    for k, d in pages.items():
        out[k] = read_materials(d, on_progress=lambda done, total: progress.append((done, total)))
    return out, progress, (time.perf_counter() - t) / 4


def test_the_fields_read_match_the_certificates(read):
    out, progress, per_page = read
    assert progress == [(1, 2), (2, 2), (1, 2), (2, 2)]
    for i, p in enumerate(PEOPLE):
        death, crem = out[str(i)]["death_cert_medical"], out[str(i)]["cremation_cert"]
        assert death.get("name") == p.name
        assert death.get("id_number") == p.id_number
        assert death.get("death_date") == p.died_at
        assert death.get("number") == p.proof_number
        assert death.get("issuer") == p.issuer
        assert crem.get("name") == p.name and crem.get("id_number") == p.id_number
        assert crem.get("death_date") == p.died_at.date()
        assert crem.get("cremation_date") == p.cremation_date
        assert crem.get("number") == p.cremation_number
        assert crem.get("issuer") == p.funeral_home
        box = death.fields["death_date"].box
        assert 0 <= box[0] < box[2] <= 1654 and 0 <= box[1] < box[3] <= 2400  # the region on the page
    print(f"OCR: {per_page:.1f} s per page")


def test_everything_entered_right_gives_quiet_ticks(read):
    p = PEOPLE[0]
    result = compare(read[0]["0"], case_for(p))
    assert result.mismatches == [], [c.sentence for c in result.mismatches]
    labels = {c.label for c in result.matches}
    assert {"逝者姓名", "逝者公民身份号码", "死亡日期", "死亡时间", "死亡证明编号", "死亡证明签发单位",
            "火化日期", "火化证编号"} <= labels


def test_a_wrong_death_date_typed_by_the_clerk_is_flagged(read):
    p = PEOPLE[1]
    wrong = p.died_at.replace(day=2 if p.died_at.day != 2 else 3)
    result = compare(read[0]["1"], case_for(p, died_at=wrong))
    sentences = [c.sentence for c in result.mismatches]
    expected = f"证明上的死亡日期为 {p.died_at.date().isoformat()}，录入为 {wrong.date().isoformat()}"
    assert expected in sentences  # from the death proof and from the 火化证 (both print it)
    bad = next(c for c in result.mismatches if c.material == "death_cert_medical")
    assert bad.box is not None and bad.page == 1
    assert {c.field for c in result.mismatches} == {"death_date"}


def test_a_wrong_id_number_and_certificate_number_are_flagged_without_the_full_number(read):
    from houshi_desk.domain.identity import mask_id_number

    p = PEOPLE[0]
    other = synthetic_person(99).id_number
    c = case_for(p, proof_number=p.proof_number[:-1] + "9" if p.proof_number[-1] != "9" else p.proof_number[:-1] + "8")
    c.deceased.identity = replace(c.deceased.identity, id_number=other)
    result = compare(read[0]["0"], c)
    fields = {x.field for x in result.mismatches}
    assert fields == {"id_number", "number"}
    lines = [d for v in audit_lines(result).values() for _, d in v]
    text = " ".join([x.sentence for x in result.checks] + lines)
    assert p.id_number not in text and other not in text and mask_id_number(p.id_number) in text


def test_a_kept_contradicted_value_is_audited_with_the_reason(read, sqlite_store):
    from sqlalchemy import select

    from houshi_desk.services.crosscheck import record
    from houshi_desk.store.models_users import AuditEntryRow

    p = PEOPLE[0]
    result = compare(read[0]["0"], case_for(p, disposal_date=date(2026, 12, 30)))
    (bad,) = [c for c in result.mismatches if c.field == "cremation_date"]
    bad.kept_reason = "殡仪馆出具时写错，家属已去更正"
    with sqlite_store.session() as s:
        assert record(s, "150702-W01-20260123-0001", result, actor="clerk01") == 3
    with sqlite_store.session() as s:
        rows = [(e.action, e.detail) for e in s.execute(select(AuditEntryRow)).scalars()]
    kept = [d for a, d in rows if a == "crosscheck_keep"]
    assert len(kept) == 1 and "火化日期" in kept[0] and "家属已去更正" in kept[0] and "2026-12-30" in kept[0]
    assert sum(a == "crosscheck" for a, _ in rows) == 2


def test_a_cremation_date_before_the_death_date_is_flagged():
    from houshi_desk.scanning.ocr import Extracted, Found

    p = PEOPLE[0]
    ex = Extracted("cremation", {"death_date": Found(date(2026, 11, 20), "", (0, 0, 1, 1)),
                                 "cremation_date": Found(date(2026, 11, 18), "", (0, 10, 1, 11))})
    result = compare({"cremation_cert": ex}, case_for(p, died_at=datetime(2026, 11, 20, 8, 0),
                                                      disposal_date=date(2026, 11, 18)))
    assert any("早于死亡日期 2026-11-20" in c.sentence for c in result.mismatches)


def test_the_ocr_child_is_ended_when_cancelled_mid_run():
    from houshi_desk.scanning.ocr import OcrRun

    p = PEOPLE[0]
    run = OcrRun([death_proof(p, seed=5), cremation_cert(p, seed=6)])
    caught = []
    t = threading.Thread(target=lambda: caught.append(_result(run)))
    t.start()
    time.sleep(1.0)  # the child is loading its models or reading the first page
    assert run.alive()
    started = time.perf_counter()
    run.cancel()
    t.join(10)
    assert not t.is_alive() and isinstance(caught[0], ScanCancelled)
    assert not run.alive() and time.perf_counter() - started < 3
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(run.pid, 0)


def _result(run):
    try:
        return run.result()
    except Exception as exc:  # noqa: BLE001
        return exc


def test_without_the_ocr_extra_the_crosscheck_says_it_is_unavailable(tmp_path):
    """A real interpreter in which rapidocr cannot be imported (a meta-path finder hides it)."""
    script = f"""
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('rapidocr', 'onnxruntime'):
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Hide())
import importlib.util
def find_spec(name, package=None, _orig=importlib.util.find_spec):
    return None if name.split('.')[0] in ('rapidocr', 'onnxruntime') else _orig(name, package)
importlib.util.find_spec = find_spec
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from tests.scanning.test_ocr import case_for, PEOPLE
from tests.scanning.certificates import death_proof
from houshi_desk.services.crosscheck import crosscheck
r = crosscheck({{'death_cert_medical': [death_proof(PEOPLE[0])]}}, case_for(PEOPLE[0]))
print(r.unavailable); print(len(r.checks))
r = crosscheck({{'bank_card': [b'x']}}, case_for(PEOPLE[0]))
print(repr(r.unavailable))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "未安装文字识别组件" in lines[0] and "人工核对" in lines[0] and lines[1] == "0"
    assert lines[2] == "''"  # nothing to read: nothing said


@pytest.mark.parametrize("text,expected", [
    ("2026年2月2日21时45分", datetime(2026, 2, 2, 21, 45)),
    ("2026年2月2日21時45分", datetime(2026, 2, 2, 21, 45)),  # the recogniser sometimes writes 時 (bench_ocr)
    ("2026 年 11 月 20 日", date(2026, 11, 20)),
    ("2026-11-20 08:30", datetime(2026, 11, 20, 8, 30)),
    ("2026年2月30日", None),
])
def test_dates_as_the_recogniser_writes_them(text, expected):
    from houshi_desk.scanning.ocr import parse_date

    assert parse_date(text) == expected


def test_cli_crosscheck_of_a_saved_case(home, logged_in, sqlite_store, settings, tmp_path, capsys):
    """`houshi-desk scan --crosscheck --case NO` on a saved case whose 死亡证明 says another death
    date: exit 1, the sentence, and the outcome on the case's audit trail (one page read)."""
    from sqlalchemy import select

    from houshi_desk.cli import main
    from houshi_desk.scanning.attach import attach_pages
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.store.models_users import AuditEntryRow

    from .certificates import Person

    data = sample_case_dict()
    number = create_case(sqlite_store, case_from_dict(data), settings=settings, today=date(2026, 1, 23),
                         clerk="clerk01")
    d = data["deceased"]
    paper = Person(d["name"], d["id_number"], datetime(2026, 1, 21, 8, 30), data["death"].get("proof_number", ""),
                   "呼伦贝尔市人民医院", date(2026, 1, 22), "HH2026000001", "呼伦贝尔市殡仪馆")
    with sqlite_store.session() as s:
        attach_pages(s, FileStore.for_settings(settings), number, "death_cert_medical",
                     [death_proof(paper, seed=7)], "import")
    sqlite_store.close()  # the command opens its own
    assert main(["scan", "--crosscheck", "--case", number]) == 1
    out = capsys.readouterr()
    assert "✗ 证明上的死亡日期为 2026-01-21，录入为 2026-01-20" in out.out and "✓ 逝者姓名与证明一致" in out.out
    assert "已识别第 1/1 页" in out.err and d["id_number"] not in out.out + out.err
    from houshi_desk.store.db import open_store

    store = open_store()
    with store.session() as s:
        rows = [(e.action, e.detail) for e in s.execute(select(AuditEntryRow).where(
            AuditEntryRow.case_number == number, AuditEntryRow.action == "crosscheck")).scalars()]
    store.close()
    assert len(rows) == 1 and "不一致 死亡日期" in rows[0][1]
