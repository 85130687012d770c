"""Many threads using one encrypted store at once (the GUI's worker pool) must not crash or lose writes."""
from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import text

from houshi_desk.services.cases import allocate_case_number


def test_more_threads_than_the_pool_holds_all_succeed(sqlite_store):
    errors, numbers = [], []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            for _ in range(5):
                with sqlite_store.session() as s:
                    n = allocate_case_number(s, "150702", f"T{i % 3}", date(2026, 1, 21))
                    s.execute(text("SELECT count(*) FROM cases")).scalar()
                with lock:
                    numbers.append(n)
        except Exception as exc:  # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert len(numbers) == 80 and len(set(numbers)) == 80


def test_savepoint_release_does_not_commit_the_outer_transaction(sqlite_store):
    """A nested block that succeeds, then a failure in the outer block: nothing may stay."""
    import pytest

    from houshi_desk.store.models import CaseNumberSequenceRow

    with pytest.raises(RuntimeError):
        with sqlite_store.session() as s:
            with s.begin_nested():
                s.add(CaseNumberSequenceRow(prefix="150702-X-20260121", last=1))
            raise RuntimeError("later step fails")
    with sqlite_store.session() as s:
        assert s.get(CaseNumberSequenceRow, "150702-X-20260121") is None
