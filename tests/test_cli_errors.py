"""The CLI's error path (issue 14 "No tracebacks", finding 9; issue 16 items 17–18): a Chinese sentence
on stderr, the traceback only in the log file, exit 2 for the user's errors, 3 for internal ones,
130 for Ctrl+C; a closed pipe, a closed stdin or no terminal never shows a traceback."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from houshi_desk.services.cases import sample_case_dict

PY = [sys.executable, "-m", "houshi_desk"]


def run(*args: str, stdin=None, input: str | None = None) -> subprocess.CompletedProcess:
    kw = {"input": input} if input is not None else {"stdin": stdin if stdin is not None else subprocess.DEVNULL}
    return subprocess.run([*PY, *args], capture_output=True, text=True, timeout=120, **kw)


def clean_failure(r: subprocess.CompletedProcess, code: int = 2) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr and "Exception" not in r.stderr, r.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.stderr), f"no Chinese sentence: {r.stderr!r}"
    return r.stderr


@pytest.mark.parametrize("content, message", [
    (None, "文件夹"),  # --from a directory
    ("[" * 100_000 + "]" * 100_000, "嵌套太深"),
    ("DEEP17", "嵌套太深"),
    ("FACTS_LIST", "结构不对"),
    ('"张三"', "JSON 对象"),
    ("\x00\x01\x02garbage", "不是有效的 JSON"),
    ("HUGE", "太大"),
    (b"\xff\xfe\xfa", "UTF-8"),
])
def test_bad_case_files_get_a_sentence_and_exit_2(home, logged_in, tmp_path, content, message):
    src = tmp_path / "case.json"
    if content is None:
        src.mkdir()
    elif content == "DEEP17":
        src.write_text('{"deceased": ' + "[" * 17 + "]" * 17 + "}", encoding="utf-8")
    elif content == "FACTS_LIST":
        d = sample_case_dict()
        d["facts"] = [1, 2]
        src.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    elif content == "HUGE":
        d = sample_case_dict()
        d["notes"] = "备注" * 600_000  # > 1 MiB; refused before parsing
        src.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    elif isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content, encoding="utf-8")
    started = time.monotonic()
    err = clean_failure(run("case", "new", "--from", str(src)))
    assert message in err
    assert time.monotonic() - started < 60


def test_nesting_of_the_sample_is_well_inside_the_limit():
    from houshi_desk.commands._input import MAX_NESTING, nesting_depth

    text = json.dumps(sample_case_dict(), ensure_ascii=False)
    assert nesting_depth(text, MAX_NESTING) <= 3
    assert nesting_depth('{"a": "[[[[[[[[[[[[[[[[[[[[[[", "b": [[]]}', MAX_NESTING) == 3, "brackets in strings do not count"


def test_login_with_stdin_closed_or_not_a_terminal(home, logged_in):
    closed = subprocess.run(["bash", "-c", 'exec 0<&-; exec "$@"', "bash", *PY, "login"],
                            capture_output=True, text=True, timeout=120)
    assert "终端" in clean_failure(closed)
    assert "终端" in clean_failure(run("login"))  # stdin is /dev/null: not a terminal
    err = clean_failure(run("login", "clerk01"))  # the password prompt, not only the user name's
    assert "--password-stdin" in err
    assert "密码" in clean_failure(run("login", "clerk01", "--password-stdin", input=""))


def test_key_export_without_a_terminal_hints_at_passphrase_stdin(home, login_as, tmp_path):
    login_as("sup01", "supervisor")
    err = clean_failure(run("key", "export", str(tmp_path / "k.json")))
    assert "--passphrase-stdin" in err
    assert not (tmp_path / "k.json").exists()


def test_report_into_a_missing_folder_creates_no_folders(home, login_as):
    login_as("sup01", "supervisor")
    target = Path("/nonexistent-houshi") / "dir" / "r.pdf"
    err = clean_failure(run("report", "daily", "--pdf", str(target)))
    assert "不存在" in err
    assert not target.parent.parent.exists()


@pytest.mark.parametrize("argv", [["case", "show", "{number}"], ["case", "show", "{number}", "--json"],
                                  ["case", "search", "测试"], ["doctor"], ["--help"], ["case", "--help"]])
def test_a_closed_pipe_ends_quietly(home, logged_in, argv):
    """``houshi-desk case show … | head``: the reader went away; no traceback, no 'Exception ignored'."""
    if "{number}" in argv:
        from datetime import date

        from houshi_desk.config import load_settings
        from houshi_desk.services.cases import case_from_dict, create_case
        from houshi_desk.store.db import open_store

        settings = load_settings()
        store = open_store(settings)
        try:
            number = create_case(store, case_from_dict(sample_case_dict()), settings=settings,
                                 today=date(2026, 1, 21), clerk=logged_in)
        finally:
            store.close()
        argv = [a.format(number=number) for a in argv]
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the command writes anything
    try:
        p = subprocess.run([*PY, *argv], stdout=w, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           text=True, timeout=120)
    finally:
        os.close(w)
    assert p.returncode == 0, p.stderr
    assert p.stderr == "", p.stderr


def test_an_internal_error_is_a_sentence_with_exit_3_and_the_traceback_in_the_log(home):
    (home / "data").write_text("not a folder", encoding="utf-8")  # where the database folder should be
    err = clean_failure(run("whoami"), 3)
    assert "程序内部错误" in err and "houshi-desk.log" in err
    log = (home / "logs" / "houshi-desk.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "FileExistsError" in log


def test_ctrl_c_exits_130_without_a_traceback(home, logged_in):
    """Interrupted while reading the case file from a pipe that never ends."""
    log = home / "logs" / "houshi-desk.log"
    before = log.read_text(encoding="utf-8").count("command case new started") if log.exists() else 0
    p = subprocess.Popen([*PY, "case", "new", "--from", "/dev/stdin"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and log.read_text(encoding="utf-8").count("command case new started") > before:
                break
            time.sleep(0.1)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, (p.returncode, err)
    assert "Traceback" not in err and "已中断" in err


@pytest.mark.parametrize("argv, words", [
    (["case", "new"], "缺少必需的参数：--from"),
    (["case", "shw"], "不可用"),
    (["whoami", "extra"], "不认识的参数：extra"),
    (["sync", "--max-wait", "abc"], "应为数字"),
    (["scan"], "必须给出其中一个"),
])
def test_bad_arguments_are_said_in_chinese(argv, words):
    r = run(*argv)
    err = clean_failure(r)
    assert words in err and "用法" in err
    assert "the following arguments" not in err and "usage:" not in err
