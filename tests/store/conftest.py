"""Fixtures of the store tests: a supervisor logged in at this terminal through the CLI."""
from __future__ import annotations

import io

import pytest

SUPERVISOR_PASSWORD = "Chief#2026pass"


@pytest.fixture
def light_argon2(monkeypatch):
    """Same argon2id code path with smaller costs (the shipped cost is in tests/bench)."""
    from argon2 import PasswordHasher

    from houshi_desk.users import passwords

    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: light)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def cli(monkeypatch, capsys):
    """``houshi-desk ARGV`` in this process: (exit code, stdout, stderr)."""
    from houshi_desk.cli import main

    def run(*argv: str, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def supervisor(settings, light_argon2):
    """A supervisor ``chief`` added (the first user) and logged in at this terminal."""
    from houshi_desk.store.db import open_store
    from houshi_desk.users import add_user
    from houshi_desk.users.sessions import login

    store = open_store(settings)
    try:
        with store.session() as s:
            add_user(s, username="chief", password=SUPERVISOR_PASSWORD, role="supervisor", actor="bootstrap",
                     display_name="主管甲")
        login(store, settings, "chief", SUPERVISOR_PASSWORD)
    finally:
        store.close()
    return "chief"


@pytest.fixture
def new_case():
    """``new_case(store, settings)``: a new case for a different (synthetic) deceased each call —
    a second open case for the same deceased is refused as a duplicate."""
    import itertools
    from datetime import date

    from stdnum.cn import ric

    from houshi_desk.services import cases as svc

    counter = itertools.count()

    def make(store, settings, today: date = date(2026, 1, 21)) -> str:
        i = next(counter)
        data = svc.sample_case_dict()
        body = f"11010519491231{2 + 2 * i:03d}"  # born 1949-12-31, even sequence: a woman, as in the sample
        data["deceased"]["id_number"] = body + ric.calc_check_digit(body + "0")
        data["deceased"]["name"] = "测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10]
        return svc.create_case(store, svc.case_from_dict(data), settings=settings, today=today, clerk="clerk1")
    return make
