"""A bounded fuzz of the command line (issue 14 "No tracebacks", issue 16 item 17): every command driven
with malformed files and arguments, with stdin closed, not a terminal or full of garbage, and with a
closed pipe for stdout. Whatever comes in: no exception escapes ``main`` (that would be a traceback on
the clerk's screen), the exit code is one of 0/1/2/130 — never 3, an internal error — and a
malformed file or argument is a user error, exit 2, said in Chinese. Each run is time-bounded.

The runs are in-process (``cli.main``), so a few hundred take seconds; the same cases through a real
process (closed fd 0, a pipe with no reader) are in tests/test_cli_errors.py.
"""
from __future__ import annotations

import io
import json
import os
import random
import sys
import time
from datetime import date

import pytest

from houshi_desk.cli import main
from houshi_desk.services.cases import sample_case_dict

SEED = 20260121
PER_RUN_SECONDS = 20
TOTAL_SECONDS = 300


@pytest.fixture
def world(home, login_as, tmp_path):
    """An administrator logged in (every permission, so runs get past the role checks) and one case."""
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import case_from_dict, create_case
    from houshi_desk.store.db import open_store

    login_as("admin01", "admin")
    settings = load_settings()
    store = open_store(settings)
    try:
        number = create_case(store, case_from_dict(sample_case_dict()), settings=settings,
                             today=date(2026, 1, 21), clerk="admin01")
    finally:
        store.close()
    files = tmp_path / "fuzz"
    files.mkdir()
    d = sample_case_dict()
    d["facts"] = [1, 2]
    bad = {
        "missing": files / "missing.json",
        "dir": files,
        "empty": files / "empty.json",
        "garbage": files / "garbage.bin",
        "deep": files / "deep.json",
        "array": files / "array.json",
        "facts_list": files / "facts.json",
        "huge": files / "huge.json",
        "text": files / "text.txt",
    }
    bad["empty"].write_bytes(b"")
    bad["garbage"].write_bytes(random.Random(SEED).randbytes(4096))
    bad["deep"].write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bad["array"].write_text("[1, 2, 3]", encoding="utf-8")
    bad["facts_list"].write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    bad["huge"].write_text('{"notes": "' + "x" * (1024 * 1024 + 10) + '"}', encoding="utf-8")
    bad["text"].write_text("这不是案件文件\n", encoding="utf-8")
    return {"number": number, "files": bad, "out": tmp_path / "out"}


# {F}: a malformed input file; {N}: a case number (real or malformed); {O}: an output path; {A}: an argument.
COMMANDS = [
    ["case", "new", "--from", "{F}"],
    ["case", "show", "{N}"],
    ["case", "show", "{N}", "--json"],
    ["case", "search", "{A}"],
    ["case", "submit", "{N}"],
    ["print", "application", "--case", "{N}", "--no-print", "--pdf", "{O}/a.pdf"],
    ["print", "{A}", "--case", "{N}", "--no-print"],
    ["scan", "--import", "{F}", "--case", "{N}", "--material", "bank_card"],
    ["scan", "--import", "{F}", "--out", "{O}/s.pdf"],
    ["scan", "--export", "--case", "{N}", "--material", "{A}", "--out", "{O}/e.pdf"],
    ["bundle", "import", "{F}"],
    ["bundle", "export", "{O}/b.hdb"],
    ["report", "daily", "--date", "{A}"],
    ["report", "daily", "--pdf", "{O}/r.pdf"],
    ["audit", "show", "--case", "{N}"],
    ["rights", "export", "{N}", "--out", "{O}/x.json", "--reason", "{A}"],
    ["rights", "correct", "{N}", "--field", "{A}", "--value", "{A}", "--reason", "fuzz"],
    ["retention", "run", "--dry-run", "--years", "{A}"],
    ["key", "export", "{O}/k.json"],
    ["key", "import", "{F}", "--passphrase-stdin"],
    ["checklist", "--region", "nm", "--facts", "{F}", "--today", "2026-01-21"],
    ["idcard", "parse", "{F}"],
    ["idcard", "parse", "-"],
    ["user", "add", "{A}", "--role", "clerk", "--password-stdin"],
    ["login", "{A}"],
    ["login"],
    ["user", "passwd"],
    ["whoami"],
    ["sync", "--status"],
    ["hall", "key", "import", "{F}", "--passphrase-stdin"],
    ["hall", "key", "export", "{O}/hall.key"],
    ["hall", "key", "create"],
    ["backup", "scheduled"],
    ["queue", "take", "--url", "{A}"],
    ["queue", "status"],
]

ARGS = ["", " ", "-1", "0", "99999999999999999999", "2026-13-40", "150702-W01-20261340-0001",
        "../../../etc/passwd", "张三" * 600, "A" * 5000, "☃\u202e\u200b", "%s%n{0}", "--", "110105194912310020X"]

STDINS = ["closed", "devnull", "garbage"]


def _stdin(kind: str):
    if kind == "closed":
        return None
    if kind == "devnull":
        return open(os.devnull, encoding="utf-8")
    return io.StringIO("garbage\n\x00\xff\n" * 3)


def _runs(world, rng: random.Random):
    files = list(world["files"].values())
    numbers = [world["number"], "150702-W01-20260121-0999", "nonsense", ""]
    for template in COMMANDS:
        for i in range(6):
            user_error = False
            argv = []
            for part in template:
                if "{F}" in part:
                    f = files[(i + len(argv)) % len(files)]
                    user_error = True
                    part = part.replace("{F}", str(f))
                if "{N}" in part:
                    n = numbers[i % len(numbers)]
                    # audit show --case filters a list: an unknown number is an empty list, not an error
                    user_error = user_error or (n != world["number"] and template[0] != "audit")
                    part = part.replace("{N}", n)
                if "{A}" in part:
                    part = part.replace("{A}", rng.choice(ARGS))
                part = part.replace("{O}", str(world["out"] if i % 3 else world["out"] / "no" / "such"))
                argv.append(part)
            yield argv, STDINS[i % len(STDINS)], i % 4 == 3, user_error


def _broken_stdout():
    r, w = os.pipe()
    os.close(r)
    return os.fdopen(w, "w", encoding="utf-8")


def test_every_command_survives_malformed_input(world, monkeypatch, capsys):
    (world["out"]).mkdir()
    monkeypatch.delenv("HOUSHI_BUNDLE_PASSPHRASE", raising=False)
    rng = random.Random(SEED)
    started = time.monotonic()
    problems = []
    count = 0
    for argv, stdin_kind, broken_pipe, user_error in _runs(world, rng):
        count += 1
        stdin = _stdin(stdin_kind)
        monkeypatch.setattr(sys, "stdin", stdin)
        real_stdout = sys.stdout
        if broken_pipe:
            monkeypatch.setattr(sys, "stdout", _broken_stdout())
        t0 = time.monotonic()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: bad arguments (2) or --help (0)
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001 - this is what the fuzz looks for
            code = f"escaped {type(exc).__name__}: {exc!s:.200}"
        finally:
            if broken_pipe:
                try:
                    sys.stdout.close()
                except OSError:
                    pass
                monkeypatch.setattr(sys, "stdout", real_stdout)
            if stdin is not None:
                stdin.close()
        took = time.monotonic() - t0
        err = capsys.readouterr().err
        label = f"{' '.join(a[:40] for a in argv)} [stdin {stdin_kind}{', broken pipe' if broken_pipe else ''}]"
        if not isinstance(code, int) or code not in (0, 1, 2, 130):
            problems.append(f"{label}: exit {code}; stderr {err[-300:]!r}")
        elif "Traceback" in err:
            problems.append(f"{label}: traceback on stderr")
        elif user_error and code not in (1, 2) and not broken_pipe:
            problems.append(f"{label}: a malformed file or case number was accepted (exit {code})")
        elif code == 2 and not any("\u4e00" <= ch <= "\u9fff" for ch in err):
            problems.append(f"{label}: exit 2 without a Chinese sentence: {err[-200:]!r}")
        if took > PER_RUN_SECONDS:
            problems.append(f"{label}: took {took:.1f} s")
        assert time.monotonic() - started < TOTAL_SECONDS, f"fuzz over its time bound after {count} runs"
    assert count >= 150
    assert not problems, "\n".join(problems)
