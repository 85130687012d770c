"""``houshi-desk print`` accepts the Chinese names of the papers the README lists (issue 16 item 19)."""
from __future__ import annotations

from datetime import date

import pytest

from houshi_desk.cli import main

ALIASES = {
    "申请表": "application", "承诺书": "promise", "授权委托书": "proxy", "委托书": "proxy",
    "一次性告知单": "notice", "一次告知单": "notice", "受理回执": "receipt", "受理回执小票": "receipt-roll",
    "办结通知书": "completion", "办结通知": "completion",
}


@pytest.mark.parametrize("given, kind", [*ALIASES.items(), *((k, k) for k in set(ALIASES.values())), ("APPLICATION", "application")])
def test_each_name_means_its_kind(given, kind):
    from houshi_desk.commands.print import kind_of

    assert kind_of(given) == kind


def test_an_unknown_name_lists_every_choice(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["print", "通知", "--case", "150702-W01-20260121-0001"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "不认识的文书“通知”" in err and "申请表" in err and "receipt-roll" in err


def test_print_by_its_chinese_name(home, logged_in, tmp_path, capsys):
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        number = create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date(2026, 1, 21),
                             clerk=logged_in)
    finally:
        store.close()
    out = tmp_path / "app.pdf"
    assert main(["print", "申请表", "--case", number, "--no-print", "--pdf", str(out)]) == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert "申请表" in capsys.readouterr().out
