"""GUI benchmarks: start-up until the login window is painted and the database is ready, and
memory over a 50-case session.

    python tests/bench/bench_gui.py [--runs 7] [--cases 50] [--skip-session] [--quick]

Start-up (issue 19): each run is a fresh interpreter. The baseline is a bare PySide6 QMainWindow
until its first paint. houshi-desk runs its real entry (``houshi-desk`` without arguments:
``houshi_desk.cli.main([])``) and reports when the login window has painted, when the database is
ready behind it (``store_ready``: the login button enabled — key from the keyring, the file opened
with the SQLCipher key, the revision rows and the first pages of every table and index read, the
day's case numbers checked, all on the driver alone), and when the first login query has its answer
(SQLAlchemy, the engine and the ORM models loaded in the background right after; a clerk who pressed
Enter before that would wait for it). Goals: ≤ 1.5× bare to the painted login, ≤ 2.5×
bare to database ready. Both run with compiled bytecode, as the frozen build and the .deb ship it
(a private PYTHONPYCACHEPREFIX, filled by a first unmeasured run of each); medians of ``--runs``,
bare and houshi-desk runs interleaved. The machine's load average is printed with the rows.

Session memory: one process completes ``--cases`` whole cases through the new-case dialog (simulated
card reader, interview, materials, all documents rendered and saved as PDF, submitted to the
outbox) and reports the resident set size before, every 10 cases and after.

``--quick`` (the CI check that the bench still runs): one start-up of each and a 2-case session.
Display: $HOUSHI_TEST_DISPLAY (Xvfb) when set, else the offscreen platform. Rows in the common
format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

RSS = r"""
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
"""

# After the first Paint event of a window has been handled (the frame is drawn), the next turn of
# the event loop reports it: the same rule for the bare window and the login.
FIRST_PAINT = r"""
from PySide6.QtCore import QObject, QEvent, QTimer
class FirstPaint(QObject):
    def __init__(self, name, then):
        super().__init__()
        self.name, self.then, self.done = name, then, False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and obj.objectName() == self.name:
            self.done = True
            QTimer.singleShot(0, self.then)
        return False
"""

BARE = RSS + r"""
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
""" + FIRST_PAINT + r"""
app = QApplication(sys.argv[:1])
def painted():
    print("LOGIN", time.perf_counter() - t0, flush=True)
    print("RSS", rss_mb(), flush=True)
    app.quit()
f = FirstPaint("MainWindow", painted)
app.installEventFilter(f)
w = QMainWindow()
w.setObjectName("MainWindow")
w.setCentralWidget(QLabel("身后一件事"))
w.resize(400, 200)
w.show()
QTimer.singleShot(30000, app.quit)
app.exec()
"""

# houshi-desk's own entry, watched from outside: create_app and launch are wrapped only to hook the
# paint filter and the store signals; everything else is the shipped start-up.
APP = r"""
import time, sys
t0 = time.perf_counter()
HEAVY = ("sqlalchemy", "alembic", "reportlab", "httpx", "PIL", "numpy", "keyring", "sqlcipher3")
import houshi_desk.gui.app as A
def stamp(what):
    print(what, time.perf_counter() - t0, flush=True)
_create, _launch = A.create_app, A.launch
def create_app(argv=None):
    app = _create(argv)
    """ + "\n    ".join(FIRST_PAINT.strip().splitlines()) + r"""
    def painted():
        stamp("LOGIN")
        print("HEAVY", ",".join(m for m in HEAVY if m in sys.modules) or "-", flush=True)
    app._bench_filter = FirstPaint("LoginDialog", painted)
    app.installEventFilter(app._bench_filter)
    return app
def launch(ctx, *, window_built=None):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from houshi_desk.gui.ops import BackgroundOp
    def built(window):
        stamp("WINDOW")
        window.close_confirm = lambda pending: True
        if window_built is not None:
            window_built(window)
    def ready(store):
        stamp("DB")
        def count():
            from houshi_desk import users
            with store.session() as s:
                return users.count_users(s)
        BackgroundOp(parent=ctx, op=count, success=lambda n: (stamp("QUERY"),
                     QTimer.singleShot(100, QApplication.quit))).run()
    ctx.store_ready.connect(ready)
    ctx.store_failed.connect(lambda exc: (print("DBFAIL", exc, flush=True), QApplication.quit()))
    QTimer.singleShot(60000, QApplication.quit)
    return _launch(ctx, window_built=built)
A.create_app, A.launch = create_app, launch
from houshi_desk.cli import main
sys.exit(main([]))
"""


def env_for(home: Path, pycache: Path | None = None) -> dict:
    env = {**os.environ, "HOUSHI_DESK_HOME": str(home), "HOUSHI_DESK_SYSTEM_CONFIG": str(home / "sys.toml"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(home / "xdg"), "PYTHONPATH": str(ROOT)}
    env.pop("HOUSHI_DESK_DATABASE_URL", None)
    if pycache is not None:  # compiled bytecode, as shipped (the test environment may forbid writing it)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if os.environ.get("HOUSHI_TEST_DISPLAY"):
        env["DISPLAY"] = os.environ["HOUSHI_TEST_DISPLAY"]
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_once(code: str, env: dict) -> dict:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    wall = time.perf_counter() - t
    out = {"wall": wall}
    for line in p.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in ("LOGIN", "WINDOW", "DB", "QUERY", "RSS"):
            out[parts[0].lower()] = float(parts[1])
        elif parts and parts[0] == "HEAVY":
            out["heavy"] = parts[1] if len(parts) > 1 else "-"
        elif parts and parts[0] == "DBFAIL":
            raise RuntimeError(f"the database did not open:\n{p.stdout[-1500:]}\n{p.stderr[-1500:]}")
    if "login" not in out:
        raise RuntimeError(f"no first paint from the child (rc={p.returncode}):\n{p.stdout[-1500:]}\n{p.stderr[-1500:]}")
    return out


def bench_startup(runs: int) -> dict:
    bare, login, window, db, query, rss, heavy = [], [], [], [], [], [], set()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = env_for(home, Path(tmp) / "pycache")
        run_once(APP, env)  # creates the key and the database, compiles the bytecode: not measured
        run_once(BARE, env)
        for _ in range(runs):
            r = run_once(BARE, env)
            bare.append(r["login"])
            rss.append(r.get("rss", float("nan")))
            r = run_once(APP, env)
            login.append(r["login"])
            window.append(r.get("window", float("nan")))
            db.append(r.get("db", float("nan")))
            query.append(r.get("query", float("nan")))
            heavy.add(r.get("heavy", "?"))
    load = os.getloadavg()
    b, a, d = statistics.median(bare), statistics.median(login), statistics.median(db)
    w, q = statistics.median(window), statistics.median(query)
    print(f"  start-up, {runs} runs each, {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before / "
          f"{load[0]:.1f} after; bare window painted {', '.join(f'{x:.3f}' for x in bare)} s; login painted "
          f"{', '.join(f'{x:.3f}' for x in login)} s; database ready {', '.join(f'{x:.3f}' for x in db)} s; "
          f"heavy modules loaded at the login's first paint: {' / '.join(sorted(heavy))}")
    what = "bare PySide6 window painted"
    row(f"start → login painted and database ready (median of {runs}, {os.cpu_count()} CPUs, load {load[0]:.1f})",
        b, d, unit="s", baseline_what=what, goal="≤ 2.5× bare", met=d / b <= 2.5)
    row("start → login window painted", b, a, unit="s", baseline_what=what, goal="≤ 1.5× bare", met=a / b <= 1.5)
    row("start → main window built behind the login", b, w, unit="s", baseline_what=what)
    row("start → first login query answered (ORM models loaded)", b, q, unit="s", baseline_what=what)
    return {"bare_window_s": round(b, 3), "login_painted_s": round(a, 3), "ratio": round(a / b, 2),
            "database_ready_s": round(d, 3), "db_ratio": round(d / b, 2), "main_window_s": round(w, 3),
            "first_query_s": round(q, 3), "bare_rss_mb": round(statistics.median(rss), 1), "runs": runs,
            "cpus": os.cpu_count(), "load": round(load[0], 2), "heavy_at_login": sorted(heavy)}


SESSION = r"""
import os, sys, time, json, resource
sys.path.insert(0, os.environ["PYTHONPATH"])
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from houshi_desk.gui.app import create_app, start
from houshi_desk.config import load_settings
from houshi_desk.gui.context import AppContext
from houshi_desk.gui.bridges import CardBridge
from houshi_desk.idcard import CardWatcher, SimulatedReader
from houshi_desk.store.db import open_store
from houshi_desk import users

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
every = max(1, int(sys.argv[1]) // 5)
app = create_app([])
settings = load_settings()
store = open_store(settings)
with store.session() as s:
    users.add_user(s, username="bench", password="bench-pass-1", role="clerk", actor="bench")
reader = SimulatedReader()
import dataclasses
from houshi_desk.idcard.persons import load_persons
from houshi_desk.services.cases import synthetic_id_number
base = load_persons()["deceased"]
def deceased(i):  # one deceased has one case: each case another synthetic deceased, same birth date
    idn = base.document.id_number
    other = synthetic_id_number(i, birth=idn[6:14], area=idn[:6], female=int(idn[16]) % 2 == 0)
    return dataclasses.replace(base, document=dataclasses.replace(base.document, id_number=other))
ctx = AppContext(settings)
ctx.card = CardBridge(CardWatcher(reader, wait_timeout=0.2))
ctx.open_store(store)
ctx.set_user(users.login(store, settings, "bench", "bench-pass-1"))
window = start(ctx, login=False)
window.close_confirm = lambda n: True
def spin(sec, until=None):
    end = time.time() + sec
    while time.time() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if until is not None and until():
            return True
    return until is None
spin(1)
samples = [(0, rss_mb())]
n = int(sys.argv[1])
t0 = time.perf_counter()
for i in range(1, n + 1):
    dlg = window.new_case()
    reader.insert("applicant"); spin(5, lambda: dlg.applicant.person.name.text() != "")
    dlg.applicant.person.relationship.setCurrentIndex(2)
    dlg.go_next()
    reader.insert(deceased(i)); spin(5, lambda: dlg.deceased.person.name.text() != "")
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30"); dlg.death.proof_number.setText(f"Z{i:06d}")
    dlg.go_next(); dlg.go_next(); dlg.go_next()
    done = []
    dlg.case_created.connect(done.append)
    dlg.go_next()
    if not spin(60, lambda: bool(done)):
        raise SystemExit(f"case {i} did not finish: {dlg.form.message.text()}")
    reader.remove(); spin(0.3)
    if i % every == 0 or i == n:
        samples.append((i, rss_mb()))
elapsed = time.perf_counter() - t0
print("SESSION", json.dumps({"samples": samples, "seconds": elapsed}), flush=True)
ctx.close()
"""


def bench_session(cases: int, bare_rss: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        p = subprocess.run([sys.executable, "-c", SESSION, str(cases)], capture_output=True, text=True,
                           env=env_for(home), timeout=3600)
        line = next((x for x in p.stdout.splitlines() if x.startswith("SESSION ")), None)
        if line is None:
            raise RuntimeError(f"session failed (rc={p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
        data = json.loads(line[len("SESSION "):])
    samples = data["samples"]
    start, end = samples[0][1], samples[-1][1]
    first_n, first_mb = samples[1] if len(samples) > 2 else samples[0]  # growth after the first block of cases
    per_case = (end - first_mb) / max(1, cases - first_n)
    print("  samples (cases, MB):", ", ".join(f"({n}, {mb:.0f})" for n, mb in samples))
    what = "bare PySide6 window"
    # RSS read right after each case, before the window's next quiet tick hands memory back and on a
    # fresh database (the first start also runs Alembic): the busy-moment figure. The settled figure,
    # on an installed database, with the goal, is bench_memory.py's.
    row("window memory after start-up and login (fresh database, read at once)", bare_rss, start, unit="MB",
        baseline_what=what)
    row(f"window memory right after the {cases}th case (before the idle release; goal: bench_memory)", bare_rss,
        end, unit="MB", baseline_what=what)
    row(f"memory growth per case after the first {first_n} (read at once)", None, per_case * 1024, unit="KB")
    row("one whole case in the window (all documents rendered)", None, data["seconds"] / cases, unit="s")
    return {"rss_start_mb": round(start, 1), "rss_end_mb": round(end, 1),
            "kb_per_case": round(per_case * 1024), "cases": cases,
            "seconds_per_case": round(data["seconds"] / cases, 2)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cases", type=int, default=50)
    ap.add_argument("--skip-session", action="store_true")
    ap.add_argument("--quick", action="store_true", help="one start-up each and a 2-case session")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.cases = 1, 2
    results = {"startup": bench_startup(args.runs)}
    if not args.skip_session:
        results["session"] = bench_session(args.cases, results["startup"]["bare_rss_mb"])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
