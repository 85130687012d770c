"""Every list of cases is kept to the account's office, as one case is (``users.scope``): the case
list and search (window and ``houshi-desk case search``), the outbox list with its alerts, and the
差评整改 list — and a retry or a rectification of another office's case is refused. An account with
no office (province-level / hall-wide) still sees everything. ``case show`` on the command line
refuses another region's case as the window does. Real store on both back ends, real accounts,
cases made by ``create_case``."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import update

from houshi_desk.services import cases as svc
from houshi_desk.services import search

EAST, WEST = "东山办理点", "西河办理点"
DAY = date(2026, 1, 21)


def _user(store, username: str, role: str, office: str):
    from houshi_desk.users import add_user

    with store.session(write=True) as s:
        return add_user(s, username=username, password="Office#2026-pass", role=role, actor="bootstrap",
                        office=office)


def _case(store, settings, office: str, seq: int, name: str) -> str:
    settings.set("office.name", office)  # the case takes the office of the terminal that accepts it
    data = svc.sample_case_dict(deceased_seq=seq)
    data["deceased"]["name"] = name
    return svc.create_case(store, svc.case_from_dict(data), settings=settings, today=DAY, clerk="clerk1",
                           submit=True)


@pytest.fixture
def hall(store, settings):
    """Two offices' cases in one database (East's first, West's newest), and their accounts."""
    numbers = {
        EAST: [_case(store, settings, EAST, 61, "王东一"), _case(store, settings, EAST, 62, "王东二")],
        WEST: [_case(store, settings, WEST, 63, "王西一"), _case(store, settings, WEST, 64, "王西二")],
    }
    people = {
        "east": _user(store, "east1", "clerk", EAST),
        "west": _user(store, "west1", "clerk", WEST),
        "west_boss": _user(store, "westboss", "supervisor", WEST),
        "province": _user(store, "prov1", "supervisor", ""),
    }
    return numbers, people


def test_case_search_and_day_list_show_only_the_office(store, settings, hall):
    numbers, people = hall
    east, west, province = people["east"], people["west"], people["province"]
    every = sorted(numbers[EAST] + numbers[WEST])
    west_id = next(p.id_number for p in _row(store, numbers[WEST][0]).parties if p.role == "deceased")
    queries = ["王", "王西", west_id, west_id[-4:], numbers[WEST][0], numbers[WEST][0].rsplit("-", 1)[0], "150702-"]
    for q in queries:
        seen = {c.number for c in search.find_cases(store, east, q)}
        assert seen <= set(numbers[EAST]), (q, seen)  # never a case of the other office
    assert sorted(c.number for c in search.find_cases(store, east, "王")) == sorted(numbers[EAST])
    assert sorted(c.number for c in search.find_cases(store, west, "王")) == sorted(numbers[WEST])
    assert sorted(c.number for c in search.find_cases(store, province, "王")) == every  # no office: all
    assert [c.number for c in search.find_cases(store, west, west_id)] == [numbers[WEST][0]]

    # the office is a condition of the limited query: the newest case is West's, yet East's one row is East's
    assert [c.number for c in search.find_cases(store, east, "王", limit=1)] == [numbers[EAST][1]]
    assert [c.number for c in search.find_cases(store, province, "王", limit=1)] == [numbers[WEST][1]]

    # the window's list: the day's cases and a search, through the same service
    found, _names = search.case_list(store, east, day=DAY)
    assert sorted(c.number for c in found) == sorted(numbers[EAST])
    assert sorted(c.number for c in search.case_list(store, province, day=DAY)[0]) == every
    assert {c.number for c in search.case_list(store, east, text="王西")[0]} == set()


def _row(store, number):
    with store.session() as s:
        row = svc.get_case_row(s, number)
        s.expunge(row)
        return row


def test_the_walk_over_the_newest_cases_keeps_to_the_office(store, settings, hall, monkeypatch):
    """With more matching index entries than CANDIDATES the search walks the newest cases (surname
    index, or the cases by id for a case-number prefix): the office is checked on that walk too."""
    numbers, people = hall
    monkeypatch.setattr(search, "CANDIDATES", 1)
    for q in ("王", "王东", "150702-"):
        assert sorted(c.number for c in search.find_cases(store, people["east"], q)) == sorted(numbers[EAST]), q
    for q in ("王", "150702-"):
        assert [c.number for c in search.find_cases(store, people["east"], q, limit=1)] == [numbers[EAST][1]], q
        assert [c.number for c in search.find_cases(store, people["west"], q, limit=1)] == [numbers[WEST][1]], q
        assert len(search.find_cases(store, people["province"], q)) == 4, q
    assert search.find_cases(store, people["west"], "王东") == []


def test_outbox_list_retry_and_alerts_keep_to_the_office(store, settings, hall):
    from houshi_desk.services import outbox
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.users.errors import PermissionDenied

    numbers, people = hall
    west_number = numbers[WEST][1]
    with store.session(write=True) as s:  # the platform refused one of West's items
        s.execute(update(SyncOutboxRow).where(SyncOutboxRow.case_number == west_number)
                  .values(state="needs_attention", last_error="平台拒收"))
    items, summary = outbox.outbox_list(store, people["east"], include_finished=True)
    assert {i["case"] for i in items} == set(numbers[EAST])
    assert not any(west_number in a for a in summary.alerts)
    assert summary.pending_cases == 4  # the counts are the whole queue's, as the status bar shows them
    items, summary = outbox.outbox_list(store, people["west"], include_finished=False)
    assert {i["case"] for i in items} == set(numbers[WEST])
    assert any(west_number in a for a in summary.alerts)
    items, summary = outbox.outbox_list(store, people["province"], include_finished=True)
    assert {i["case"] for i in items} == set(numbers[EAST] + numbers[WEST])
    assert any(west_number in a for a in summary.alerts)

    def state(item_id):
        return next(i["state"] for i in outbox.load_items(store, include_finished=True) if i["id"] == item_id)

    west_item = next(i["id"] for i in outbox.load_items(store, include_finished=True) if i["case"] == west_number)
    with pytest.raises(PermissionDenied, match="其他办理点"):
        outbox.retry(store, people["east"], west_item)
    assert state(west_item) == "needs_attention"  # nothing retried
    outbox.retry(store, people["west"], west_item)
    assert state(west_item) == "queued"


def test_rectification_list_keeps_to_the_supervisors_office(store, settings, hall):
    from houshi_desk.services.evaluations import record_evaluation, rectification_list, rectify_as
    from houshi_desk.users.errors import PermissionDenied

    numbers, people = hall
    at = datetime(2026, 1, 21, 11, 0)
    bad_east = record_evaluation(store, settings, case_number=numbers[EAST][0], level=1, channel="window",
                                 reasons=["waiting"], at=at)
    record_evaluation(store, settings, case_number=numbers[WEST][0], level=2, channel="window", at=at)
    assert [r.case_number for r in rectification_list(store, people["west_boss"])[0]] == [numbers[WEST][0]]
    assert sorted(r.case_number for r in rectification_list(store, people["province"])[0]) == sorted(
        [numbers[EAST][0], numbers[WEST][0]])
    with pytest.raises(PermissionDenied, match="其他办理点"):
        rectify_as(store, people["west_boss"], bad_east, note="已约谈")
    assert len(rectification_list(store, people["province"])[0]) == 2  # still open
    rectify_as(store, people["province"], bad_east, note="已约谈")
    assert [r.case_number for r in rectification_list(store, people["province"])[0]] == [numbers[WEST][0]]


def test_case_view_and_case_show_refuse_another_region_alike(store, settings, hall):
    from houshi_desk.services.case_view import case_snapshot, show_case

    numbers, people = hall
    number = numbers[EAST][0]  # an nm case
    assert show_case(store, people["east"], number, detail="命令行查看", settings=settings).number == number
    settings.set("office.region", "nx")
    for look in (lambda: case_snapshot(store, people["province"], number, settings=settings),
                 lambda: show_case(store, people["province"], number, detail="命令行查看", settings=settings)):
        with pytest.raises(svc.CaseError, match="不能打开") as refused:
            look()
        assert "nm" in str(refused.value) and "nx" in str(refused.value)


# ---------------------------------------------------------------- the command line


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_hall(request, home, monkeypatch):
    """The database the CLI opens (the encrypted file, or PostgreSQL through HOUSHI_DESK_DATABASE_URL)
    with both offices' cases; the accounts are made and logged in by ``log_in``."""
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    if request.param == "postgresql":
        monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", request.getfixturevalue("pg_url"))
    settings = load_settings()
    store = open_store(settings)
    try:
        numbers = {EAST: [_case(store, settings, EAST, 71, "王东一")],
                   WEST: [_case(store, settings, WEST, 72, "王西一"), _case(store, settings, WEST, 73, "李西二")]}
    finally:
        store.close()
    return numbers


@pytest.fixture
def cli(monkeypatch, capsys):
    from tests.users.conftest import run_cli

    def run(*argv: str):
        return run_cli(monkeypatch, capsys, *argv)
    return run


def test_cli_case_search_lists_only_the_office(cli_hall, cli):
    from tests.conftest import log_in

    numbers = cli_hall
    log_in("east1", "clerk", office=EAST)
    code, out, err = cli("case", "search", "王", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert [c["number"] for c in found] == numbers[EAST]
    assert set(found[0]) == {"number", "status", "application_date", "deceased_name", "deceased_id"}  # keys kept
    for q in (numbers[WEST][0], "李西", "150702-"):
        code, out, err = cli("case", "search", q)
        assert code == 0 and not any(n in out for n in numbers[WEST]), (q, out)
    assert cli("case", "search", numbers[WEST][0])[1] == "没有找到符合条件的案件。\n"
    code, out, err = cli("case", "show", numbers[WEST][0])
    assert code == 2 and "其他办理点" in err and "王西一" not in out + err

    log_in("west1", "clerk", office=WEST)
    code, out, err = cli("case", "search", "150702-")
    assert code == 0 and sorted(line.split()[0] for line in out.splitlines()) == sorted(numbers[WEST])

    log_in("prov1", "supervisor", office="")  # province-level: every office's cases
    code, out, err = cli("case", "search", "150702-", "--json")
    assert code == 0 and sorted(c["number"] for c in json.loads(out)) == sorted(numbers[EAST] + numbers[WEST])


def test_cli_case_show_refuses_another_region_as_the_window(cli_hall, cli):
    from houshi_desk.config import load_settings
    from tests.conftest import log_in

    numbers = cli_hall
    log_in("prov1", "supervisor", office="")
    assert cli("case", "show", numbers[EAST][0], "--json")[0] == 0
    load_settings().set("office.region", "nx")  # this terminal now serves Ningxia
    code, out, err = cli("case", "show", numbers[EAST][0], "--json")
    assert code == 2 and out == ""
    assert "不能打开" in err and "nm" in err and "nx" in err and "office.region" in err
