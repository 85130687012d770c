"""Benchmark: render time of each document, cold and warm, and its size (target ≤ 150 ms warm for
the 申请表).

Run: ``python tests/bench/bench_documents.py``. Baseline, measured in the same run: a bare one-page
reportlab document (one Helvetica paragraph), so numbers from different machines compare as ratios.
"Cold" is the first render in a fresh process with font registration counted separately
("fonts"); "warm" is the median of repeated renders once everything is loaded.
"""
from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "documents"))

TARGET_WARM_APPLICATION_MS = 150.0
KINDS = ("application", "promise", "proxy", "notice", "receipt", "receipt-roll", "completion")


def timeit(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def bare_document() -> bytes:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph("Hello, baseline.", getSampleStyleSheet()["Normal"])])
    return buf.getvalue()


COLD = r"""
import json, sys, time
sys.path.insert(0, {docs!r})
from doc_samples import TODAY, planned_case
from houshi_desk.documents import Office, render_document
from houshi_desk.documents.fonts import font_set
case = planned_case("nm", proxy=True)
t = time.perf_counter(); font_set(""); fonts = (time.perf_counter() - t) * 1000
t = time.perf_counter(); d = render_document({kind!r}, case, office=Office("x", "0"), today=TODAY)
render = (time.perf_counter() - t) * 1000
print(json.dumps({{"fonts": fonts, "render": render}}))
"""


def cold(kind: str) -> dict:
    out = subprocess.run([sys.executable, "-c", COLD.format(docs=str(HERE.parent / "documents"), kind=kind)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    from doc_samples import TODAY, planned_case

    from houshi_desk.documents import Office, render_document
    from houshi_desk.documents.fonts import font_set

    bare_document()
    baseline = timeit(bare_document, 50)
    print(f"baseline  bare one-page reportlab document          {baseline:8.2f} ms   {len(bare_document()):7d} bytes")
    fs = font_set("")
    print(f"fonts     CJK font registration (once per process)  {fs.register_seconds * 1000:8.2f} ms   ({fs.files[0]})")
    office = Office("海拉尔区政务服务中心", "0470-8123456")
    results = {}
    for region in ("nm", "nx"):
        case = planned_case(region, everything=True, proxy=True)
        for kind in KINDS:
            doc = render_document(kind, case, office=office, today=TODAY)
            warm = timeit(lambda: render_document(kind, case, office=office, today=TODAY), 15)
            c = cold(kind) if region == "nm" else None
            results[(region, kind)] = warm
            cold_txt = f"cold {c['render']:7.1f} ms (+ fonts {c['fonts']:5.1f} ms)" if c else ""
            print(f"{region}  {kind:13s} warm {warm:7.1f} ms ({warm / baseline:5.1f}× baseline)  {cold_txt:38s}"
                  f"  {len(doc.pdf):7d} bytes, {doc.pages} page(s)")
    worst = max(results[("nm", "application")], results[("nx", "application")])
    verdict = "OK" if worst <= TARGET_WARM_APPLICATION_MS else "OVER TARGET"
    print(f"申请表 warm worst {worst:.1f} ms vs target {TARGET_WARM_APPLICATION_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
