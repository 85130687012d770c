"""Background ops hand everything they touched back to the GUI thread.

A worker thread that drops the last reference to a Qt object deletes it on the wrong thread; that
crashed the window tests at random on the CI machine (exit 139). The op runner moves the op's
callable, its result and any exception into a hand-off table before it signals, so whatever the
interleaving, the last reference goes on the GUI thread. These tests force the worst interleaving:
the GUI thread delivers the outcome before the worker has returned.
"""
from __future__ import annotations

import gc
import threading
import time

import pytest

from houshi_desk.gui import ops


class Probe:
    def __init__(self, seen: list[str]):
        self.seen = seen

    def __del__(self):
        self.seen.append(threading.current_thread().name)


@pytest.fixture
def slow_worker(monkeypatch):
    """The worker waits after signalling until the GUI thread has handled the outcome."""
    delivered = threading.Event()
    real_emit = ops._emit

    def emit(name, *args):
        real_emit(name, *args)
        if name == "finished" and threading.current_thread() is not threading.main_thread():
            delivered.wait(5)
            time.sleep(0.05)

    monkeypatch.setattr(ops, "_emit", emit)
    return delivered


@pytest.mark.parametrize("fails", [False, True])
@pytest.mark.parametrize("where", ["pool", "writer", "daemon"])
def test_what_an_op_touched_is_released_on_the_gui_thread(qtbot, slow_worker, where, fails):
    seen: list[str] = []
    got = []

    def make_op():
        probe = Probe(seen)
        result = Probe(seen)

        def work():
            assert probe is not None
            if fails:
                raise ValueError(probe)  # the exception and its traceback hold the probe too
            return result
        return work

    op = ops.BackgroundOp(parent=None, op=make_op(), success=lambda r: (got.append(r), slow_worker.set()))
    op.failure(lambda exc: (got.append(exc), slow_worker.set()))
    if where == "writer":
        op.writes()
    elif where == "daemon":
        op.in_daemon_thread()
    op.run()
    del op
    qtbot.waitUntil(lambda: slow_worker.is_set(), timeout=5000)
    got.clear()
    assert ops.wait_idle(5000)
    qtbot.wait(100 if where != "daemon" else 200)
    gc.collect()
    assert seen, "the probes were never released"
    assert set(seen) == {threading.main_thread().name}, seen


def test_progress_and_result_arrive_on_the_gui_thread_in_order(qtbot):
    events = []

    def work(report):
        for i in range(3):
            report(i, 3, f"第{i}页")
        return threading.current_thread().name

    def done(name):
        events.append(("done", name, threading.current_thread() is threading.main_thread()))

    op = ops.BackgroundOp(parent=None, op=work, success=done).with_reporter()
    progress = []
    orig = op._on_progress
    op._on_progress = lambda d, t, text: (progress.append((d, threading.current_thread() is threading.main_thread())), orig(d, t, text))
    op.run()
    qtbot.waitUntil(lambda: bool(events), timeout=5000)
    assert progress == [(0, True), (1, True), (2, True)]
    assert events[0][0] == "done" and events[0][1] != threading.main_thread().name and events[0][2]


def test_an_op_whose_parent_is_gone_reports_nothing(qtbot):
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    called = []
    gate = threading.Event()
    op_id = ops.BackgroundOp(parent=w, op=lambda: gate.wait(5), success=called.append).failure(called.append).run()._id
    w.deleteLater()
    qtbot.wait(50)
    gate.set()
    assert ops.wait_idle(5000)
    qtbot.wait(100)
    assert called == []
    assert op_id not in ops._ops and op_id not in ops._outcomes  # nothing left behind


def test_an_exception_in_an_op_callback_fails_the_test_not_just_a_log_line(qtbot):
    """A bug in a success callback goes to sys.excepthook (as a slot's would), which pytest-qt turns into
    a test failure; before, it was logged and swallowed."""
    import sys

    from houshi_desk.gui.ops import BackgroundOp

    seen = []
    previous = sys.excepthook
    sys.excepthook = lambda *info: seen.append(info[1])
    try:
        def broken(_value):
            raise RuntimeError("callback bug")

        op = BackgroundOp(parent=None, op=lambda: 1, success=broken)
        op.run()
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        sys.excepthook = previous
    assert isinstance(seen[0], RuntimeError) and str(seen[0]) == "callback bug"
