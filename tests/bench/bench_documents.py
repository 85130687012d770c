"""Benchmark: render time of each document, cold and warm, and its size (goal ≤ 150 ms warm for
the 申请表).

Run: ``python tests/bench/bench_documents.py [--quick]``. Baseline, measured in the same run: what
bare reportlab needs for a fair equivalent — one A4 page full of Chinese text (about 1,500
characters of the shipped catalog's own wording, so a realistic variety of glyphs) set in the same
embedded CJK font, with no layout of ours. "Cold" is the first render in a fresh process with font
registration counted separately; "warm" is the median of repeated renders once everything is
loaded. Rows in the common format of tests/bench/benchrows.py.
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
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "documents"))
sys.path.insert(0, str(HERE))
from benchrows import row  # noqa: E402

TARGET_WARM_APPLICATION_MS = 150.0
KINDS = ("application", "promise", "proxy", "notice", "receipt", "receipt-roll", "completion")


def timeit(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def page_text(chars: int = 1500) -> list[str]:
    """About one A4 page of Chinese prose: the catalog's own wording, CJK and punctuation only."""
    import re

    text = (ROOT / "resources" / "catalogs" / "nm-2022.toml").read_text(encoding="utf-8")
    runs = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text)
    out, total, para = [], 0, ""
    for r in runs:
        para += r + "，"
        if len(para) >= 120:
            out.append(para[:-1] + "。")
            total += len(para)
            para = ""
        if total >= chars:
            break
    return out


def bare_cjk_page(font: str, paragraphs: list[str]) -> bytes:
    """The fair baseline: bare reportlab, one page of CJK text in the same embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("cjk", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
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


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one region, two documents, few repetitions")
    args = ap.parse_args(argv)

    from doc_samples import TODAY, planned_case

    from houshi_desk.documents import Office, render_document
    from houshi_desk.documents.fonts import font_set

    fs = font_set("")
    paragraphs = page_text()
    bare = bare_cjk_page(fs.main, paragraphs)
    reps = 3 if args.quick else 15
    baseline = timeit(lambda: bare_cjk_page(fs.main, paragraphs), reps)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(bare)).pages)
    what = f"bare reportlab, {pages} A4 page of CJK text, same font"
    row("CJK font registration (once per process)", None, fs.register_seconds * 1000)
    office = Office("海拉尔区政务服务中心", "0470-8123456")
    regions = ("nm",) if args.quick else ("nm", "nx")
    kinds = ("application", "receipt") if args.quick else KINDS
    for region in regions:
        case = planned_case(region, everything=True, proxy=True)
        for kind in kinds:
            doc = render_document(kind, case, office=office, today=TODAY)
            warm = timeit(lambda: render_document(kind, case, office=office, today=TODAY), reps)
            goal = met = None
            if kind == "application":
                goal, met = f"≤ {TARGET_WARM_APPLICATION_MS:g} ms", warm <= TARGET_WARM_APPLICATION_MS
            row(f"{region} {kind} ({doc.pages} page(s)), warm render", baseline, warm, baseline_what=what,
                goal=goal or "", met=met)
            row(f"{region} {kind} ({doc.pages} page(s)), PDF size", len(bare) / 1024, len(doc.pdf) / 1024, unit="KiB",
                baseline_what=what)
            if region == "nm" and (kind == "application" or not args.quick):
                c = cold(kind)
                row(f"nm {kind}, cold render in a fresh process (fonts apart: {c['fonts']:.0f} ms)", baseline,
                    c["render"], baseline_what=what)
    return 0


if __name__ == "__main__":
    sys.exit(main())
