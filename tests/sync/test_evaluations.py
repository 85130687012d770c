"""好差评 to the platform (issue 17): an evaluation is queued with itself (outbox kind
``evaluation``), reaches ``POST /api/v1/evaluations`` exactly once although the real ``houshi-desk
sync`` is killed with SIGKILL after the platform answered and before the terminal noted it, and a
差评 is the supervisor's task with its working-day deadline."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from houshi_desk.platform_ref.evaluations import stored
from tests.sync.conftest import drain, outbox_rows


def _sender(pause: float) -> subprocess.Popen:
    env = dict(os.environ, HOUSHI_SYNC_TEST_PAUSE_AFTER_REPLY=str(pause))
    return subprocess.Popen([sys.executable, "-m", "houshi_desk", "sync", "--once", "--start-delay", "0",
                             "--max-wait", "30"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_after_platform_took_it(terminal, count: int) -> None:
    """Start ``houshi-desk sync``, wait until the platform holds ``count`` evaluations (the sender is
    now pausing before it records the ack), kill it with SIGKILL, then run it again to the end."""
    proc = _sender(5.0)
    deadline = time.monotonic() + 60
    while len(stored(terminal.ref.platform)) < count:
        assert proc.poll() is None, proc.stderr.read().decode(errors="replace")
        assert time.monotonic() < deadline, "the evaluation never reached the platform"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    evals = [r for r in outbox_rows(terminal.store) if r.kind == "evaluation"]
    assert any(r.state != "acked" for r in evals)  # killed before it noted the platform's answer
    proc = _sender(0)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 0, err.decode(errors="replace")


def test_a_bad_evaluation_reaches_the_platform_once_through_a_killed_sync_and_is_a_task(terminal):
    from houshi_desk.services.evaluations import open_rectifications, record_evaluation, rectify_due

    terminal.settings.set("sync.interval_seconds", 3600)
    number = terminal.new_case(submit=True)
    drain(terminal.uploader())  # the case itself is at the platform
    at = datetime(2026, 1, 23, 10, 30)
    eid = record_evaluation(terminal.store, terminal.settings, case_number=number, level=2, channel="window",
                            reasons=["waiting", "bogus"], text="等了很久", at=at)
    kill_after_platform_took_it(terminal, 1)

    evals = stored(terminal.ref.platform)
    assert len(evals) == 1
    body = evals[0]["body"]
    assert body["case_id"] == number and body["level"] == 2 and body["level_label"] == "不满意"
    assert body["channel"] == "窗口" and body["reasons"] == ["等候或办理时间过长"] and body["text"] == "等了很久"
    assert body["clerk"] == "测试员" and body["at"] == "2026-01-23T10:30:00" and body["matter_codes"]
    c = terminal.ref.dump()["counters"]
    assert c.get("evaluations") == 1 and c.get("idempotent_replays", 0) >= 1 and c.get("natural_duplicates", 0) == 0
    assert {r.state for r in outbox_rows(terminal.store) if r.kind == "evaluation"} == {"acked"}

    with terminal.store.session() as s:
        tasks = open_rectifications(s)
    assert [(t.id, t.case_number, t.level) for t in tasks] == [(eid, number, 2)]
    # 10 working days (the default) after Friday 2026-01-23: two weeks on, Friday 2026-02-06
    assert tasks[0].due == rectify_due(terminal.settings, date(2026, 1, 23)) == date(2026, 2, 6)


def test_good_evaluations_are_no_task_and_rectified_ones_leave_the_list(terminal):
    from houshi_desk.services.evaluations import (EvaluationError, counts_by_clerk, open_rectifications,
                                                  record_evaluation, rectify)

    number = terminal.new_case(submit=True)
    record_evaluation(terminal.store, terminal.settings, case_number=number, level=5, channel="evaluator",
                      reasons=["waiting"])
    bad = record_evaluation(terminal.store, terminal.settings, case_number=number, level=1, channel="slip",
                            stage="closed", reasons=["attitude"])
    with terminal.store.session() as s:
        assert [t.id for t in open_rectifications(s)] == [bad]
        counts = counts_by_clerk(s, datetime(2000, 1, 1), datetime(2100, 1, 1))
    assert counts == {"测试员": {5: 1, 1: 1}}
    try:
        rectify(terminal.store, bad, by="sup01", note="  ")
    except EvaluationError as exc:
        assert "整改情况" in exc.message
    else:
        raise AssertionError("an empty rectification note was taken")
    rectify(terminal.store, bad, by="sup01", note="已约谈经办人并向群众致歉")
    with terminal.store.session() as s:
        assert open_rectifications(s) == []
    drain(terminal.uploader())
    evals = stored(terminal.ref.platform)
    assert sorted((e["body"]["level"], e["body"]["channel"]) for e in evals) == [(1, "窗口"), (5, "评价器")]
    assert [e["body"]["reasons"] for e in evals if e["level"] == 5] == [[]]  # no reasons for a good level


# ---------------------------------------------------------------- a vendor evaluator (评价器)


@pytest.fixture
def evaluator():
    """A reference evaluator device in a thread on loopback, speaking the adapter's protocol
    (houshi_desk/services/evaluations.py): the "family" rates with ``rate(level, reasons, text)``."""
    import threading

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    requests: dict[str, dict] = {}

    async def ask(request: Request):
        data = await request.json()
        requests[data["request_id"]] = {"state": "pending", "case_id": data["case_id"], "matters": data["matters"]}
        return JSONResponse({"request_id": data["request_id"]}, status_code=201)

    async def result(request: Request):
        r = requests.get(request.path_params["rid"])
        return JSONResponse(r or {"state": "expired"}, status_code=200 if r else 404)

    app = Starlette(routes=[Route("/evaluations", ask, methods=["POST"]),
                            Route("/evaluations/{rid}", result, methods=["GET"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]

    def rate(level, reasons=(), text=""):
        for r in requests.values():
            if r["state"] == "pending":
                r.update(state="done", level=level, reasons=list(reasons), text=text)

    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", requests=requests, rate=rate)
    server.should_exit = True
    thread.join(5)


def test_a_rating_on_the_vendor_evaluator_is_recorded_and_sent(terminal, evaluator):
    from houshi_desk.services.evaluations import EvaluatorUnavailable, evaluate_on_device, open_rectifications

    number = terminal.new_case(submit=True)
    terminal.settings.set("evaluation.evaluator_url", evaluator.url)
    polls = []

    def family_rates_on_the_second_poll(_s):
        polls.append(1)
        if len(polls) == 2:
            evaluator.rate(2, ["materials"], "材料要了两遍")

    eid = evaluate_on_device(terminal.store, terminal.settings, number, stage="closed", sleep=family_rates_on_the_second_poll)
    assert eid is not None and len(polls) == 2
    (req,) = evaluator.requests.values()
    assert req["case_id"] == number and req["matters"]
    with terminal.store.session() as s:
        assert [(t.id, t.level, t.reasons) for t in open_rectifications(s)] == [(eid, 2, ["materials"])]
    drain(terminal.uploader())
    (ev,) = stored(terminal.ref.platform)
    assert (ev["body"]["channel"], ev["body"]["stage"], ev["body"]["reasons"]) == ("评价器", "closed", ["要求的材料过多或重复提交"])
    # nobody rates: None after the wait; a device that is off: EvaluatorUnavailable (the window prints a slip)
    assert evaluate_on_device(terminal.store, terminal.settings, number, wait_seconds=0, sleep=lambda _s: None) is None
    terminal.settings.set("evaluation.evaluator_url", "http://127.0.0.1:9")
    with pytest.raises(EvaluatorUnavailable):
        evaluate_on_device(terminal.store, terminal.settings, number)
