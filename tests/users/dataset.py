"""A small hand-built set of cases, matters, print log and outbox rows whose report figures are
worked out by hand in test_reports.py (not by the code under test)."""
from __future__ import annotations

from datetime import date, datetime, time

from houshi_desk.store.models import CaseMatterRow, CaseRow, PartyRow, PrintLogRow

D = date(2026, 1, 22)  # a Thursday


def case_row(number: str, *, day: date, clerk: str, status: str, office: str = "大厅A", region_code: str = "150702",
             matters=(), updated_at: datetime | None = None, closed_at: datetime | None = None) -> CaseRow:
    at = datetime.combine(day, time(9, 30))
    row = CaseRow(number=number, region="nm", region_code=region_code, terminal_id=number.split("-")[1],
                  office=office, status=status, clerk=clerk, created_at=at, updated_at=updated_at or at,
                  application_date=day, closed_at=closed_at, facts={}, death={"kind": "normal"}, death_kind="normal")
    row.parties = [
        PartyRow(role="deceased", name="王某", id_number="11010519491231002X", phone="", address="呼伦贝尔市海拉尔区某路1号",
                 identity={"name": "王某"}),
        PartyRow(role="applicant", name="王小某", id_number="440524188001010014", phone="13800000000", relation="child",
                 bank_account="6222020200112233445", bank_name="某银行", identity={"name": "王小某"}),
    ]
    for code, chosen, mstatus, due in matters:
        row.matters.append(CaseMatterRow(code=code, department="", applicable=True, mandatory=False, chosen=chosen,
                                         status=mstatus, due_date=due, updated_at=at))
    return row


def outbox_row(number: str, seq: int, state: str, *, error: str = ""):
    from houshi_desk.store.models_sync import SyncOutboxRow

    at = datetime.combine(D, time(10, seq))
    return SyncOutboxRow(case_number=number, case_version=1, seq=seq, group_order=seq, kind="create_case",
                         state=state, idempotency_key=f"{number}:{seq}", payload={}, payload_sha256="0" * 64,
                         last_error=error, created_at=at, updated_at=at, remote_offset=0, upload_generation=0,
                         bytes_sent=0, attempts=1, origin="local")


def build(session) -> dict[str, CaseRow]:
    rows = {
        "A": case_row("150702-W01-20260122-0001", day=D, clerk="clerk1", status="submitted", matters=[
            ("hukou_cancel", True, "submitted", date(2026, 1, 23)),
            ("driving_licence_cancel", True, "done", date(2026, 1, 23)),
            ("medical_insurance_cancel", False, "not_chosen", None)]),
        "B": case_row("150702-W01-20260122-0002", day=D, clerk="clerk1", status="draft", matters=[
            ("hukou_cancel", True, "pending", D)]),
        "C": case_row("150702-W01-20260122-0003", day=D, clerk="clerk2", status="cancelled",
                      updated_at=datetime.combine(D, time(15, 0)), matters=[
                          ("hukou_cancel", True, "pending", date(2026, 1, 23))]),
        "D": case_row("150703-W02-20260122-0001", day=D, clerk="clerk2", status="submitted", office="大厅B",
                      region_code="150703", matters=[("housing_fund_withdraw", True, "accepted", date(2026, 1, 27))]),
        "E": case_row("150702-W01-20260116-0001", day=date(2026, 1, 16), clerk="clerk1", status="submitted", matters=[
            ("hukou_cancel", True, "submitted", date(2026, 1, 19)),
            ("driving_licence_cancel", True, "returned", date(2026, 1, 16))]),
        "F": case_row("150702-W01-20251230-0001", day=date(2025, 12, 30), clerk="clerk1", status="closed",
                      closed_at=datetime(2026, 1, 5, 9, 0), matters=[("hukou_cancel", True, "done", date(2025, 12, 31))]),
        "G": case_row("150702-W01-20251230-0002", day=date(2025, 12, 30), clerk="clerk2", status="submitted", matters=[
            ("survivor_benefit", True, "in_progress", date(2025, 12, 31))]),
    }
    session.add_all(rows.values())
    session.flush()
    session.add_all([
        outbox_row(rows["A"].number, 1, "acked"), outbox_row(rows["A"].number, 2, "queued"),
        outbox_row(rows["D"].number, 1, "needs_attention", error="平台拒收：材料格式错误"),
        outbox_row(rows["E"].number, 1, "acked"),
        PrintLogRow(case_id=rows["A"].id, kind="receipt", at=datetime.combine(D, time(10, 0)), user="clerk1",
                    reprint=True, status="printed"),
        PrintLogRow(case_id=rows["B"].id, kind="application", at=datetime.combine(D, time(11, 0)), user="clerk1",
                    reprint=False, status="failed", error="打印机缺纸"),
        PrintLogRow(case_id=rows["E"].id, kind="receipt", at=datetime(2026, 1, 21, 9, 0), user="clerk1",
                    reprint=True, status="printed"),
    ])
    session.flush()
    return rows
