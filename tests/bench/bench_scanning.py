"""Benchmark: per-page pipeline time and output size for a 300 dpi A4 gray page (targets: ≤ 400 ms,
≤ 300 KB), against Pillow's plain save of the same page measured in the same run.

Run: ``python tests/bench/bench_scanning.py [--repeat N] [--quick]``. The page is synthetic (the SANE test
backend cannot scan A4): a dense certificate-like page with paper noise, upright and skewed 2.5°,
and a colour camera frame of it on a desk. Baselines: ``Image.save(JPEG)`` with Pillow's default
quality 75 and ``Image.save(PNG)`` of the unprocessed page — what a naive program would store.
With SANE_CONFIG_DIR set, the real test backend's 200 × 200 mm 300 dpi gray scan through the
worker process is timed too, against a direct python-sane scan in this process. ``--quick``: one
repetition of two pages and one SANE scan. Rows in the common format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

TARGET_MS = 400.0
TARGET_KB = 300.0


def median_ms(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), result


def plain(im, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def bench_pipeline(repeat: int, quick: bool = False) -> list[dict]:
    from houshi_desk.scanning.pipeline import PipelineOptions, process
    from houshi_desk.scanning.synthetic import a4_page

    pages = {
        "A4 300 dpi gray, upright": (a4_page(300), PipelineOptions(mode="gray")),
        "A4 300 dpi gray, skewed 2.5°": (a4_page(300, skew=2.5), PipelineOptions(mode="gray")),
        "A4 300 dpi colour camera frame on a desk, skewed 3° → gray": (
            a4_page(300, skew=3, desk_mm=20, mode="RGB"), PipelineOptions(mode="gray")),
        "A4 300 dpi gray → lineart": (a4_page(300), PipelineOptions(mode="lineart")),
    }
    if quick:
        pages = dict(list(pages.items())[1:3])
    rows = []
    for label, (im, opts) in pages.items():
        ms, out = median_ms(lambda: process(im, 300, opts), repeat)
        jpeg_ms, jpeg = median_ms(lambda: plain(im, "JPEG"), repeat)
        png_ms, png = median_ms(lambda: plain(im, "PNG"), max(1, repeat // 2))
        rows.append({
            "page": label, "pipeline_ms": round(ms, 1), "out_kb": round(out.size / 1024, 1), "out_mime": out.mime,
            "out_px": f"{out.width}x{out.height}@{out.dpi}",
            "plain_jpeg_ms": round(jpeg_ms, 1), "plain_jpeg_kb": round(len(jpeg) / 1024, 1),
            "plain_png_ms": round(png_ms, 1), "plain_png_kb": round(len(png) / 1024, 1),
        })
    return rows


def bench_store_and_export(repeat: int) -> dict:
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.scanning.pdfimages import images_pdf
    from houshi_desk.scanning.pipeline import process
    from houshi_desk.scanning.synthetic import a4_page
    import tempfile
    from pathlib import Path

    out = process(a4_page(300), 300)
    with tempfile.TemporaryDirectory() as d:
        fs = FileStore(Path(d), os.urandom(32))
        put_ms, sha = median_ms(lambda: fs.put(out.data + os.urandom(8)), repeat)  # new content each time
        sha = fs.put(out.data)
        get_ms, _ = median_ms(lambda: fs.get(sha), repeat)
    pdf_ms, pdf = median_ms(lambda: images_pdf([(out.data, out.dpi)] * 10), repeat)
    return {"encrypt_put_ms": round(put_ms, 2), "decrypt_get_ms": round(get_ms, 2),
            "export_10_pages_pdf_ms": round(pdf_ms, 2), "export_10_pages_kb": round(len(pdf) / 1024, 1)}


def bench_sane(repeat: int) -> dict | None:
    if not os.environ.get("SANE_CONFIG_DIR"):
        return None
    import sane

    from houshi_desk.scanning.sane_source import SaneSource
    from houshi_desk.scanning.source import ScanRequest

    with SaneSource("test:0") as src:
        t = time.perf_counter()
        src.devices()
        start_ms = (time.perf_counter() - t) * 1000
        worker_ms, _ = median_ms(lambda: src.scan(ScanRequest(resolution=300)), repeat)
    sane.init()
    dev = sane.open("test:0")
    dev.mode, dev.resolution, dev.br_x, dev.br_y = "Gray", 300, 200, 200
    direct_ms, _ = median_ms(dev.scan, repeat)
    dev.close()
    sane.exit()
    return {"worker_start_ms": round(start_ms, 1), "scan_200mm_300dpi_gray_worker_ms": round(worker_ms, 1),
            "scan_direct_in_process_ms": round(direct_ms, 1), "worker_overhead_ratio": round(worker_ms / direct_ms, 2)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="one repetition of two pages: checks that the bench runs")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.repeat = 1
    rows = bench_pipeline(args.repeat, args.quick)
    extra = bench_store_and_export(args.repeat)
    sane_numbers = bench_sane(1 if args.quick else max(3, args.repeat // 2))
    if args.json:
        print(json.dumps({"pipeline": rows, "store": extra, "sane": sane_numbers}, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        gray300 = r["page"].startswith("A4 300 dpi gray,")
        what = "Pillow JPEG q75 save of the page"
        row(f"{r['page']}: pipeline time (median of {args.repeat})", r["plain_jpeg_ms"], r["pipeline_ms"],
            baseline_what=what, goal=f"≤ {TARGET_MS:g} ms" if gray300 else "",
            met=r["pipeline_ms"] <= TARGET_MS if gray300 else None)
        row(f"{r['page']}: stored size ({r['out_mime']} {r['out_px']})", r["plain_jpeg_kb"], r["out_kb"], unit="KB",
            baseline_what=what, goal=f"≤ {TARGET_KB:g} KB" if gray300 else "",
            met=r["out_kb"] <= TARGET_KB if gray300 else None)
    row("encrypt + store one page", None, extra["encrypt_put_ms"])
    row("read + decrypt one page", None, extra["decrypt_get_ms"])
    row(f"export 10 pages as PDF ({extra['export_10_pages_kb']:.0f} KB)", None, extra["export_10_pages_pdf_ms"])
    if sane_numbers:
        row("SANE test backend, 200 × 200 mm 300 dpi gray scan through the worker process",
            sane_numbers["scan_direct_in_process_ms"], sane_numbers["scan_200mm_300dpi_gray_worker_ms"],
            baseline_what="direct python-sane scan in this process")
        row("SANE worker start", None, sane_numbers["worker_start_ms"])
    else:
        row("SANE test backend scan (SANE_CONFIG_DIR not set: start packaging/services.sh)", None, "not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
