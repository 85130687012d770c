"""Near relatives' export and correction; retention dry run and real run."""
from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime

import pytest
from sqlalchemy import select

from houshi_desk import audit
from houshi_desk.rights import RightsError, correct, export_case, write_export
from houshi_desk.store.models import CaseMaterialRow, CaseRow, MaterialFileRow, PartyRow, PrintLogRow

from dataset import D, build

A = "150702-W01-20260122-0001"
F = "150702-W01-20251230-0001"  # closed 2026-01-05
G = "150702-W01-20251230-0002"  # still open


@pytest.fixture
def dataset(store):
    with store.session() as s:
        build(s)
    return store


def _party(s, number, role="deceased") -> PartyRow:
    row = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one()
    return row.party(role)


# ------------------------------------------------------------------ export


def test_export_has_everything_and_is_audited(dataset, tmp_path):
    with dataset.session() as s:
        audit.record(s, actor="clerk1", action="view", case_number=A, detail="窗口查询")
    with dataset.session() as s:
        doc = export_case(s, A, actor="sup1", reason="逝者之子依个保法第四十九条申请查阅")
        out = write_export(tmp_path / "export" / "a.json", doc)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["case"]["number"] == A
    ids = {p["role"]: p["id_number"] for p in data["parties"]}
    assert ids == {"deceased": "11010519491231002X", "applicant": "440524188001010014"}  # the family's copy
    assert {m["code"] for m in data["matters"]} == {"hukou_cancel", "driving_licence_cancel", "medical_insurance_cancel"}
    assert [p["kind"] for p in data["prints"]] == ["receipt"]
    assert [e["action"] for e in data["audit"]] == ["view"]
    assert {p["state"] for p in data["platform"]} == {"acked", "queued"}
    assert "王小某" in out.read_text(encoding="utf-8")  # readable Chinese, not \u escapes
    with dataset.session() as s:
        last = audit.entries(s, case_number=A)[-1]
        assert last.action == "rights_export" and "第四十九条" in last.detail and last.actor == "sup1"
        assert audit.verify(s).ok


def test_export_needs_a_reason_and_a_real_case(dataset):
    from houshi_desk.services.cases import CaseNotFound

    with dataset.session() as s:
        with pytest.raises(RightsError) as exc:
            export_case(s, A, actor="sup1", reason=" ")
        assert "理由" in exc.value.message
        with pytest.raises(CaseNotFound):
            export_case(s, "150702-W01-20260122-0999", actor="sup1", reason="申请查阅")


def test_export_to_unwritable_place(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RightsError) as exc:
        write_export(blocker / "a.json", {"x": 1})
    assert "无法写入" in exc.value.message


# ------------------------------------------------------------------ correction


def test_correct_address_audited_masked(dataset):
    with dataset.session() as s:
        old, new = correct(s, G, "party.deceased.address", "呼伦贝尔市海拉尔区新路88号3单元", actor="sup1",
                           reason="户籍地址登记有误，配偶提供户口本")
    assert old == "呼伦贝尔市海拉尔区某路1号"
    with dataset.session() as s:
        assert _party(s, G).address == "呼伦贝尔市海拉尔区新路88号3单元"
        row = s.execute(select(CaseRow).where(CaseRow.number == G)).scalar_one()
        assert row.version == 2
        e = audit.entries(s, case_number=G)[-1]
    assert e.action == "correct" and "party.deceased.address" in e.detail and "户口本" in e.detail
    assert "新路88号3单元" not in e.detail and "某路1号" not in e.detail


def test_correct_id_number(dataset):
    with dataset.session() as s:
        with pytest.raises(RightsError) as exc:
            correct(s, G, "party.applicant.id_number", "440524188001010015", actor="sup1", reason="证号录错")
        assert "无效" in exc.value.message
    with dataset.session() as s:
        assert _party(s, G, "applicant").id_number == "440524188001010014"
        correct(s, G, "party.applicant.id_number", "360426199101010071", actor="sup1", reason="证号录错")
    with dataset.session() as s:
        p = _party(s, G, "applicant")
        assert p.id_number == "360426199101010071" and p.identity["id_number"] == "360426199101010071"
        detail = audit.entries(s, case_number=G)[-1].detail
    assert "360426199101010071" not in detail and "440524188001010014" not in detail
    assert "360426********0071" in detail


def test_correct_submitted_case_queues_a_new_version(dataset):
    from houshi_desk.store.models_sync import SyncOutboxRow

    with dataset.session() as s:
        before = s.query(SyncOutboxRow).filter_by(case_number=A).count()
        correct(s, A, "death.place", "呼伦贝尔市人民医院", actor="sup1", reason="死亡地点登记有误")
    with dataset.session() as s:
        items = s.query(SyncOutboxRow).filter_by(case_number=A).all()
        assert len(items) > before and max(i.case_version for i in items) == 2
        assert "已重新推送平台" in audit.entries(s, case_number=A)[-1].detail


@pytest.mark.parametrize("field, value, expect", [
    ("party.deceased.photo_wlt", "x", "不能更正"),
    ("case.status", "closed", "不能更正"),
    ("party.proxy.name", "某某", "没有受托人"),
    ("party.deceased.name", "", "不能更正为空"),
    ("party.deceased.name", "王某", "相同"),
])
def test_bad_corrections(dataset, field, value, expect):
    with dataset.session() as s:
        with pytest.raises(RightsError) as exc:
            correct(s, G, field, value, actor="sup1", reason="测试")
    assert expect in exc.value.message


# ------------------------------------------------------------------ retention


def _with_files(store, settings, tmp_path):
    """Give case F two scanned pages (one shared with open case G) and a saved PDF."""
    from houshi_desk.scanning.filestore import FileStore

    fs = FileStore.for_settings(settings)
    own, shared = fs.put(b"page of F only"), fs.put(b"page also on G")
    pdf = tmp_path / "F-receipt.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    now = datetime(2026, 1, 2, 9, 0)
    with store.session() as s:
        for number, shas in ((F, [own, shared]), (G, [shared])):
            row = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one()
            m = CaseMaterialRow(code="death_proof", state="scanned", note="扫描件", updated_at=now)
            m.files = [MaterialFileRow(page_no=i + 1, sha256=h, mime="image/png", size=10, created_at=now)
                       for i, h in enumerate(shas)]
            row.materials.append(m)
            if number == F:
                s.add(PrintLogRow(case_id=row.id, kind="completion", at=now, user="clerk1", pdf_path=str(pdf)))
    return fs, own, shared, pdf


def test_retention_dry_run_then_real_run(dataset, settings, tmp_path):
    from houshi_desk.reports import daily_figures
    from houshi_desk.retention import run

    fs, own, shared, pdf = _with_files(dataset, settings, tmp_path)
    today = date(2031, 1, 6)  # F closed 2026-01-05: just over 5 years

    dry = run(dataset, today=today, years=5, actor="admin1", dry_run=True, filestore=fs)
    assert [c.case_number for c in dry.cases] == [F]
    c = dry.cases[0]
    assert (c.pages, c.documents, c.deceased) == (2, 1, "110105********002X")
    with dataset.session() as s:
        assert _party(s, F).name == "王某"
    assert fs.exists(own) and pdf.exists()
    assert run(dataset, today=date(2031, 1, 5), years=5, actor="admin1", dry_run=True).count == 0

    with dataset.session() as s:
        before = daily_figures(s, date(2025, 12, 30))
    real = run(dataset, today=today, years=5, actor="admin1", dry_run=False, filestore=fs)
    assert real.count == 1 and real.files_deleted == 1 and real.documents_deleted == 1
    assert not fs.exists(own) and fs.exists(shared)  # G still needs the shared page
    assert not pdf.exists()
    with dataset.session() as s:
        row = s.execute(select(CaseRow).where(CaseRow.number == F)).scalar_one()
        assert row.anonymised and row.status == "closed" and row.application_date == date(2025, 12, 30)
        for p in row.parties:
            assert p.name == "（已删除）" and p.id_number == "" and p.identity == {} and p.bank_account == ""
            assert p.phone == "" and p.address == ""
        assert [m.code for m in row.matters] == ["hukou_cancel"]  # kept for the counts
        assert all(not m.files for m in row.materials)
        assert s.query(PrintLogRow).filter_by(case_id=row.id).one().pdf_path == ""
        assert _party(s, G).name == "王某"  # open case untouched
        after = daily_figures(s, date(2025, 12, 30))
        entries = [e for e in audit.entries(s) if e.action == "retention"]
        assert audit.verify(s).ok
    assert (after.total_cases, after.by_status, after.by_matter) == (before.total_cases, before.by_status, before.by_matter)
    assert any(e.case_number == F for e in entries)
    assert all("11010519491231002X" not in e.detail for e in entries)
    again = run(dataset, today=today, years=5, actor="admin1", dry_run=False, filestore=fs)
    assert again.count == 0
    with dataset.session() as s:
        with pytest.raises(RightsError) as exc:
            correct(s, F, "party.deceased.address", "某地", actor="sup1", reason="测试")
    assert "已按保存期限删除" in exc.value.message


def test_retention_years_must_be_positive(store):
    from houshi_desk.retention.policy import RetentionError
    from houshi_desk.retention import run

    with pytest.raises(RetentionError) as exc:
        run(store, today=D, years=0, actor="admin1", dry_run=True)
    assert "至少为 1 年" in exc.value.message


def test_retention_removes_the_familys_words_in_evaluations(dataset, settings, tmp_path):
    """好差评 free text and the rectification note about it may name people: retention blanks them and
    keeps the level, reasons and clerk (the report's counts); an open case's evaluation is untouched."""
    from houshi_desk.retention import run
    from houshi_desk.services.evaluations import rectify, record_evaluation
    from houshi_desk.store.models import EvaluationRow

    fs, *_ = _with_files(dataset, settings, tmp_path)
    bad = record_evaluation(dataset, settings, case_number=F, level=1, channel="window", stage="closed",
                            reasons=[], text="王某的女儿说窗口让她跑了三趟", at=datetime(2026, 1, 5, 10, 0))
    rectify(dataset, bad, by="sup1", note="已电话联系王某家属致歉", at=datetime(2026, 1, 6, 9, 0))
    kept = record_evaluation(dataset, settings, case_number=G, level=2, channel="window",
                             text="等了很久", at=datetime(2026, 1, 5, 11, 0))
    run(dataset, today=date(2031, 1, 6), years=5, actor="admin1", dry_run=False, filestore=fs)
    with dataset.session() as s:
        e = s.get(EvaluationRow, bad)
        assert e.text == "（已删除）" and e.rectify_note == "（已删除）"
        assert (e.level, e.channel, e.stage, e.rectified_by) == (1, "window", "closed", "sup1")
        assert s.get(EvaluationRow, kept).text == "等了很久"
