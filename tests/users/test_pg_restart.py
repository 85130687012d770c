"""The hall's PostgreSQL restarted mid-day: the next operation works, nothing is lost; while it is
down, commands fail with a clear message and change nothing."""
from __future__ import annotations

import pytest

from houshi_desk import audit, users
from houshi_desk.store.db import open_store

from users_accounts_data import PASSWORDS


@pytest.fixture
def hall_store(private_pg, settings, monkeypatch):
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", private_pg.url)
    store = open_store(settings)
    with store.session() as s:
        users.add_user(s, username="sup1", password=PASSWORDS["sup1"], role="supervisor", actor="bootstrap")
        for i in range(5):
            audit.record(s, actor="clerk1", action="view", detail=f"上午 {i}")
    yield store
    store.close()


def test_next_operation_after_restart_works_and_nothing_is_lost(private_pg, hall_store, settings):
    users.login(hall_store, settings, "sup1", PASSWORDS["sup1"])
    private_pg.restart()
    # the same long-lived store (as in the running window): pool_pre_ping replaces the dead connection
    assert users.current_user(settings, store=hall_store).username == "sup1"
    with hall_store.session() as s:
        audit.record(s, actor="clerk1", action="view", detail="下午")
    with hall_store.session() as s:
        r = audit.verify(s)
    assert r.ok and r.count == 8  # user_add + 5 + login + 1


def test_commands_while_the_server_is_down_say_so_clearly(private_pg, hall_store, settings, cli, cli_login):
    cli_login("sup1")
    private_pg.stop()
    try:
        code, out, err = cli("audit", "verify")
        assert code == 2 and "无法连接大厅数据库" in err and "稍后重试" in err
    finally:
        private_pg.start()
    code, out, err = cli("audit", "verify")
    assert code == 0 and "审计链完整" in out


def test_connection_lost_mid_command(private_pg, hall_store, settings, monkeypatch, cli, cli_login):
    """The server goes away between opening the store and the work: a clear message, no traceback."""
    cli_login("sup1")
    import houshi_desk.reports as reports

    real = reports.figures

    def stop_then_count(*a, **kw):
        private_pg.stop()
        return real(*a, **kw)

    monkeypatch.setattr(reports, "figures", stop_then_count)
    try:
        code, out, err = cli("report", "daily", "--date", "2026-01-22")
    finally:
        private_pg.start()
    assert code == 2 and "连接中断" in err and "未保存任何改动" in err
    with hall_store.session() as s:
        assert audit.verify(s).ok
