"""Window memory over a session of cases (issue 19: ≤ 200 MB after 50 cases, flat per case).

    python tests/bench/bench_memory.py [--cases 50] [--quick] [--json FILE]

One process runs the real window (``start()``, the simulated card reader) on an existing encrypted
database — made by a first process, as on every start after the installation; the very first start
also runs the Alembic migrations, which load Alembic, Mako and Pygments (~17 MB) once — and takes
``--cases`` whole cases: the new-case dialog (card read, interview, materials, review), saved and
submitted, every document rendered and kept as PDF; then the case window is opened on the materials
tab (page thumbnails) and closed. The resident set size (VmRSS) is read at the start and every
fifth of the way, each time after the window's collector has handed memory back once the case's
background work finished (houshi_desk/gui/gc_tuning.py), as it does at a counter between families.
Live top-level windows are counted too (they must return to one: the main window), and on glibc
the bytes malloc has handed out and not got back (``mallinfo2``), all threads: when RSS grows but
these do not, nothing is kept — the heap is touching more of its pages (fragmentation), which ends
at the heap's size; when these grow, something keeps memory (what issue 19 found that way: the ID
photos in QPixmapCache, Qt's style-sheet cache of combo-box popups, SQLite's page caches — see
houshi_desk/gui/gc_tuning.py ``drop_window_caches`` and ``_on_sqlite_connect`` in houshi_desk/store/db.py).

Baseline: a bare PySide6 QMainWindow's RSS in a subprocess of the same run. ``--quick`` (the CI check
that the bench still runs, tests/bench/test_bench_quick.py): 5 cases. Rows in the common format of
tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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

def malloc_in_use_mb():  # glibc: bytes handed out by malloc (all arenas) and not freed; None elsewhere
    import ctypes
    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        m = libc.mallinfo2()
    except (OSError, AttributeError):
        return None
    return (m.uordblks + m.hblkhd) / 1024 / 1024
"""

BARE = RSS + r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setCentralWidget(QLabel("身后一件事"))
w.resize(400, 200)
w.show()
def shown():
    print("RSS", rss_mb(), flush=True)
    app.quit()
QTimer.singleShot(200, shown)
app.exec()
"""

PREPARE = r"""
from houshi_desk.config import load_settings
from houshi_desk.store.db import open_store
from houshi_desk import users
store = open_store(load_settings())
with store.session() as s:
    users.add_user(s, username="bench", password="bench-pass-1", role="clerk", actor="bench")
store.close()
print("PREPARED", flush=True)
"""

SESSION = RSS + r"""
import dataclasses, json, sys, time
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from houshi_desk.gui.app import create_app, start
from houshi_desk.config import load_settings
from houshi_desk.gui.context import AppContext
from houshi_desk.gui.bridges import CardBridge
from houshi_desk.gui import gc_tuning
from houshi_desk.idcard import CardWatcher, SimulatedReader
from houshi_desk.idcard.persons import load_persons
from houshi_desk.services.cases import synthetic_id_number
from houshi_desk.store.db import open_store
from houshi_desk import users

n = int(sys.argv[1])
every = max(1, n // 5)
app = create_app([])
settings = load_settings()
store = open_store(settings)
reader = SimulatedReader()
base = load_persons()["deceased"]

def deceased(i):  # one deceased has one case: each case another synthetic deceased
    idn = base.document.id_number
    other = synthetic_id_number(i, birth=idn[6:14], area=idn[:6], female=int(idn[16]) % 2 == 0)
    return dataclasses.replace(base, document=dataclasses.replace(base.document, id_number=other))

ctx = AppContext(settings)
ctx.card = CardBridge(CardWatcher(reader, wait_timeout=0.2))
ctx.open_store(store)
ctx.set_user(users.login(store, settings, "bench", "bench-pass-1"))
window = start(ctx, login=False)
window.close_confirm = lambda pending: True

def spin(sec, until=None):
    end = time.time() + sec
    while time.time() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if until is not None and until():
            return True
    return until is None

def settled_rss():
    # the case's background work is done and the collector has handed memory back (or 5 s passed)
    seen = getattr(gc_tuning, "releases", None)  # None: a build before issue 19's memory work
    if seen is None:
        spin(1.5)
    else:
        spin(5, lambda: gc_tuning.releases > seen)
    return rss_mb()

spin(1)
samples = [(0, settled_rss(), len(QApplication.topLevelWidgets()), malloc_in_use_mb())]
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
    if not spin(120, lambda: bool(done)):
        raise SystemExit(f"case {i} did not finish: {dlg.form.message.text()}")
    del dlg
    reader.remove(); spin(0.3)
    view = window.open_case(done[0])
    if not spin(30, lambda: view.snapshot is not None):
        raise SystemExit(f"case window {done[0]} did not load: {view.header.text()}")
    view.tabs.setCurrentIndex(2); spin(0.5)  # the materials and their page thumbnails
    view.done_button.click()
    del view
    spin(0.3)
    if i % every == 0 or i == n:
        samples.append((i, settled_rss(), len(QApplication.topLevelWidgets()), malloc_in_use_mb()))
elapsed = time.perf_counter() - t0
import collections
left = collections.Counter(f"{type(w).__name__}({w.objectName()})" for w in QApplication.topLevelWidgets())
print("  top-level windows at the end:", dict(left), "frozen objects:", __import__("gc").get_freeze_count(), flush=True)
print("SESSION", json.dumps({"samples": samples, "seconds": elapsed}), flush=True)
ctx.close()
"""


def env_for(home: Path) -> dict:
    env = {**os.environ, "HOUSHI_DESK_HOME": str(home), "HOUSHI_DESK_SYSTEM_CONFIG": str(home / "sys.toml"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(home / "xdg"), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HOUSHI_DESK_DATABASE_URL", None)
    return env


def run(code: str, env: dict, *args: str, timeout: int) -> str:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                       timeout=timeout, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"child failed (rc={p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def bare_rss(env: dict) -> float:
    out = run(BARE, env, timeout=60)
    return next(float(x.split()[1]) for x in out.splitlines() if x.startswith("RSS "))


def session(cases: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = env_for(home)
        base = bare_rss(env)
        run(PREPARE, env, timeout=300)
        out = run(SESSION, env, str(cases), timeout=120 + 60 * cases)
    for x in out.splitlines():
        if x.startswith("  "):
            print(x, flush=True)
    line = next(x for x in out.splitlines() if x.startswith("SESSION "))
    data = json.loads(line[len("SESSION "):])
    return {"bare_mb": base, **data}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=50)
    ap.add_argument("--quick", action="store_true", help="5 cases")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    if args.quick:
        args.cases = 5
    r = session(args.cases)
    samples, base = r["samples"], r["bare_mb"]
    print("  samples (cases, MB, top-level windows, MB malloc in use):",
          ", ".join(f"({n}, {mb:.0f}, {w}, {heap if heap is None else round(heap, 1)})" for n, mb, w, heap in samples),
          flush=True)
    start_mb, (n_end, end_mb, end_windows, end_heap) = samples[0][1], samples[-1]
    first_n, first_mb, _, first_heap = samples[1] if len(samples) > 2 else samples[0]  # growth after the first block
    per_case_kb = (end_mb - first_mb) * 1024 / max(1, n_end - first_n)
    what = "bare PySide6 window"
    row("window memory after start-up and login (existing database)", base, start_mb, unit="MB", baseline_what=what)
    row(f"window memory after {n_end} cases (each entered, printed, viewed and closed)", base, end_mb, unit="MB",
        baseline_what=what, goal="≤ 200 MB", met=end_mb <= 200)
    row(f"memory growth per case, cases {first_n}–{n_end}", None, per_case_kb, unit="KB",
        goal="flat (≤ 50 KB per case)", met=per_case_kb <= 50)
    if end_heap is not None and first_heap is not None:  # a leak shows here; a heap growing its resident pages does not
        row(f"C heap in use (malloc, all threads) growth per case, cases {first_n}–{n_end}", None,
            (end_heap - first_heap) * 1024 / max(1, n_end - first_n), unit="KB")
    row(f"top-level windows left after {n_end} cases", None, f"{end_windows}", goal="1 (the main window)",
        met=end_windows == 1)
    row("one whole case in the window (entered, printed, viewed)", None, r["seconds"] / max(1, n_end), unit="s")
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
