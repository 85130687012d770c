"""``houshi-desk case new`` on a PC where no sync runs: before it hands out the day's first number it
asks the platform (once a day, short timeout) for this terminal's highest number, so a fresh or
restored database does not start the day at 0001 again — which the platform would refuse as
``case_number_taken``. Offline it says on stderr that it could not ask and which number it uses;
stdout stays the case number alone. Reference platform over HTTP, real encrypted stores, the CLI in
this process as a logged-in clerk."""
from __future__ import annotations

import json

from houshi_desk.services import cases as svc
from houshi_desk.services.case_numbers import checked_today
from tests.sync.test_case_number_recovery import PREFIX, TODAY, _audit_details, _case, _new_pc, _send_all


def _case_file(tmp_path, seq: int):
    path = tmp_path / f"case-{seq}.json"
    path.write_text(json.dumps(svc.sample_case_dict(deceased_seq=seq), ensure_ascii=False), encoding="utf-8")
    return path


def _case_new(cli, path):
    return cli("case", "new", "--from", str(path), "--today", TODAY.isoformat())


def _cli(monkeypatch, capsys):
    """``houshi-desk ARGV`` in this process: (exit code, stdout, stderr)."""
    import io

    from houshi_desk.cli import main

    def run(*argv: str):
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_case_new_on_a_fresh_pc_continues_after_the_platforms_numbers(terminal, monkeypatch, tmp_path, capsys):
    from tests.conftest import log_in

    sent = [_case(terminal.store, terminal.settings, i) for i in range(3)]
    _send_all(terminal)
    settings, store = _new_pc(terminal, monkeypatch, tmp_path, "cli-pc")  # no sync runs on it
    store.close()
    log_in("clerk01", settings=settings)
    cli = _cli(monkeypatch, capsys)

    code, out, err = _case_new(cli, _case_file(tmp_path, 80))
    assert code == 0, err
    assert out == f"{PREFIX}-0004\n"  # not 0001: the platform holds 0001-0003 of this terminal
    assert sent[-1] in err and f"{PREFIX}-0004" in err  # the clerk is told why the number skips
    assert len(_audit_details_of(settings)) == 1

    # asked once a day: offline now, the next case is numbered on without asking (and without a word)
    settings.set("platform.url", "http://127.0.0.1:9")
    code, out, err = _case_new(cli, _case_file(tmp_path, 81))
    assert (code, out, err) == (0, f"{PREFIX}-0005\n", "")


def test_case_new_offline_says_it_could_not_ask_and_asks_again_next_time(terminal, monkeypatch, tmp_path, capsys):
    from tests.conftest import log_in

    for i in range(2):
        _case(terminal.store, terminal.settings, i)
    _send_all(terminal)
    settings, store = _new_pc(terminal, monkeypatch, tmp_path, "offline-cli-pc")
    store.close()
    settings.set("platform.url", "http://127.0.0.1:9")  # nothing listens there
    log_in("clerk01", settings=settings)
    cli = _cli(monkeypatch, capsys)

    code, out, err = _case_new(cli, _case_file(tmp_path, 82))
    assert code == 0 and out == f"{PREFIX}-0001\n"  # nothing blocks the clerk
    assert "未能向平台核对今天的受理编号" in err and f"{PREFIX}-0001" in err

    settings.set("platform.url", terminal.ref.url)  # back online: not checked yet today, so it asks
    code, out, err = _case_new(cli, _case_file(tmp_path, 83))
    assert code == 0 and out == f"{PREFIX}-0003\n", err  # continues after the platform's 0002
    assert "由 1 提高到 2" in _audit_details_of(settings)[0]
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        assert checked_today(store, PREFIX)
    finally:
        store.close()


def test_case_new_without_a_platform_asks_nothing(logged_in, tmp_path, monkeypatch, capsys):
    cli = _cli(monkeypatch, capsys)
    code, out, err = _case_new(cli, _case_file(tmp_path, 84))
    assert (code, out, err) == (0, f"{PREFIX}-0001\n", "")  # sync not configured: as before, no word


def _audit_details_of(settings) -> list[str]:
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        return _audit_details(store)
    finally:
        store.close()
