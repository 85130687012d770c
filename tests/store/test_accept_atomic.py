"""A case accepted at the window is one transaction (issue 13): the process is killed with SIGKILL at
random moments while it accepts cases with scanned pages, again and again; afterwards every case in the
database is whole — submitted, its pages attached and readable, its audit entries and outbox items
there — and no half case exists. Pages are processed and stored before the transaction, so a kill there
leaves only unreferenced files."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from houshi_desk.domain.case import CaseStatus
from houshi_desk.store.models import CaseMaterialRow, CaseRow, MaterialFileRow

WORKER = Path(__file__).with_name("accept_worker.py")


def _run_and_kill(delay: float, start: int) -> list[str]:
    p = subprocess.Popen([sys.executable, str(WORKER), str(start)], stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    out, _ = p.communicate(timeout=30)
    return out.split()


def test_killed_at_any_moment_leaves_no_case_or_the_whole_case(settings):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import open_store
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.store.models_users import AuditEntryRow as AuditRow

    open_store(settings).close()  # create and migrate once, so the kills land in accepting
    rng = random.Random(20261130)
    committed: list[str] = []
    for round_ in range(8):
        committed += _run_and_kill(rng.uniform(1.2, 4.5), start=round_ * 50)
    store = open_store(settings)
    fs = FileStore.for_settings(settings)
    try:
        with store.session() as s:
            numbers = [n for (n,) in s.execute(select(CaseRow.number))]
            assert numbers, "no case was accepted before the kills: the delays are too short"
            assert set(committed) <= set(numbers)  # every number printed is there
            for number in numbers:
                row = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one()
                assert row.status == CaseStatus.SUBMITTED.value, f"{number} is half done: {row.status}"
                files = s.execute(select(MaterialFileRow).join(CaseMaterialRow)
                                  .where(CaseMaterialRow.case_id == row.id)).scalars().all()
                assert len(files) == 3, f"{number} has {len(files)} of its 3 pages"
                for f in files:
                    assert len(fs.get(f.sha256)) == f.size  # decrypts and verifies against its hash
                assert s.execute(select(func.count()).select_from(SyncOutboxRow)
                                 .where(SyncOutboxRow.case_number == number)).scalar_one() > 0
                details = [a.detail for a in s.execute(select(AuditRow).where(AuditRow.case_number == number)).scalars()]
                assert "质量检查通过" in details
        print(f"{len(numbers)} cases accepted across 8 kills, every one whole")
    finally:
        store.close()
