"""The case records its queue ticket and times (issue 17, migration queue_0001) on both stores:
``create_case`` stores the ticket and when the family was called, ``served_at`` is the acceptance,
``record_finished`` stamps the end once; a case without the queue has none."""
from __future__ import annotations

from datetime import date, datetime

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, settings):
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "pg_store")


def test_the_case_carries_its_ticket_and_times(any_store, settings):
    from houshi_desk.queue.calls import record_finished
    from houshi_desk.services.cases import case_from_dict, case_from_row, create_case, get_case_row, sample_case_dict

    called, served = datetime(2026, 1, 23, 9, 0, 5), datetime(2026, 1, 23, 9, 2)
    number = create_case(any_store, case_from_dict(sample_case_dict(deceased_seq=1)), settings=settings,
                         today=date(2026, 1, 23), clerk="c1", now=served, ticket="A007", called_at=called)
    plain = create_case(any_store, case_from_dict(sample_case_dict(deceased_seq=2)), settings=settings,
                        today=date(2026, 1, 23), clerk="c1", now=served)
    finished = record_finished(any_store, number, datetime(2026, 1, 23, 9, 20))
    assert record_finished(any_store, number, datetime(2026, 1, 23, 10, 0)) == finished  # stamped once
    with any_store.session() as s:
        case = case_from_row(get_case_row(s, number))
        other = case_from_row(get_case_row(s, plain))
    assert (case.ticket, case.called_at, case.served_at, case.finished_at) == ("A007", called, served, finished)
    assert (other.ticket, other.called_at, other.finished_at) == (None, None, None) and other.served_at == served


def test_case_show_json_names_the_ticket_and_times(home, logged_in, capsys):
    """``case show --json`` carries ticket, called_at, served_at, finished_at (null without a queue)."""
    import json

    from houshi_desk.cli import main
    from houshi_desk.config import load_settings
    from houshi_desk.queue.calls import record_finished
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        called, served = datetime(2026, 1, 23, 9, 0, 5), datetime(2026, 1, 23, 9, 2)
        number = create_case(store, case_from_dict(sample_case_dict(deceased_seq=3)), settings=settings,
                             today=date(2026, 1, 23), clerk="clerk01", now=served, ticket="A011", called_at=called)
        plain = create_case(store, case_from_dict(sample_case_dict(deceased_seq=4)), settings=settings,
                            today=date(2026, 1, 23), clerk="clerk01", now=served)
        record_finished(store, number, datetime(2026, 1, 23, 9, 20, 30))
    finally:
        store.close()
    assert main(["case", "show", number, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["ticket"], shown["called_at"], shown["served_at"], shown["finished_at"]) == (
        "A011", "2026-01-23T09:00:05", "2026-01-23T09:02:00", "2026-01-23T09:20:30")
    assert main(["case", "show", plain, "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert other["ticket"] is None and other["called_at"] is None and other["finished_at"] is None
