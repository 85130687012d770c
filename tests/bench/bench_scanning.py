"""Benchmark: per-page pipeline time and output size for a 300 dpi A4 gray page (targets: ≤ 400 ms,
≤ 300 KB), against Pillow's plain save of the same page measured in the same run.

Run: ``python tests/bench/bench_scanning.py [--repeat N]``. The page is synthetic (the SANE test
backend cannot scan A4): a dense certificate-like page with paper noise, upright and skewed 2.5°,
and a colour camera frame of it on a desk. Baselines: ``Image.save(JPEG)`` with Pillow's default
quality 75 and ``Image.save(PNG)`` of the unprocessed page — what a naive program would store.
With SANE_CONFIG_DIR set, the real test backend's 200 × 200 mm 300 dpi gray scan through the
worker process is timed too, against a direct python-sane scan in this process.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import time

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


def bench_pipeline(repeat: int) -> list[dict]:
    from houshi_desk.scanning.pipeline import PipelineOptions, process
    from houshi_desk.scanning.synthetic import a4_page

    pages = {
        "A4 300 dpi gray, upright": (a4_page(300), PipelineOptions(mode="gray")),
        "A4 300 dpi gray, skewed 2.5°": (a4_page(300, skew=2.5), PipelineOptions(mode="gray")),
        "A4 300 dpi colour camera frame on a desk, skewed 3° → gray": (
            a4_page(300, skew=3, desk_mm=20, mode="RGB"), PipelineOptions(mode="gray")),
        "A4 300 dpi gray → lineart": (a4_page(300), PipelineOptions(mode="lineart")),
    }
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = bench_pipeline(args.repeat)
    extra = bench_store_and_export(args.repeat)
    sane_numbers = bench_sane(max(3, args.repeat // 2))
    if args.json:
        print(json.dumps({"pipeline": rows, "store": extra, "sane": sane_numbers}, ensure_ascii=False, indent=2))
        return
    print(f"pipeline per page (median of {args.repeat}); targets ≤ {TARGET_MS:.0f} ms and ≤ {TARGET_KB:.0f} KB "
          "for the 300 dpi A4 gray page")
    for r in rows:
        ok = "OK " if r["pipeline_ms"] <= TARGET_MS and r["out_kb"] <= TARGET_KB else "MISS"
        print(f"  {ok} {r['page']}")
        print(f"       pipeline {r['pipeline_ms']:7.1f} ms → {r['out_kb']:6.1f} KB {r['out_mime']} {r['out_px']}")
        print(f"       plain JPEG q75 {r['plain_jpeg_ms']:7.1f} ms → {r['plain_jpeg_kb']:6.1f} KB   "
              f"plain PNG {r['plain_png_ms']:7.1f} ms → {r['plain_png_kb']:6.1f} KB")
        print(f"       ratio vs plain JPEG: time ×{r['pipeline_ms'] / r['plain_jpeg_ms']:.1f}, "
              f"size ×{r['out_kb'] / r['plain_jpeg_kb']:.2f}")
    print("store and export:", json.dumps(extra, ensure_ascii=False))
    if sane_numbers:
        print("SANE test backend:", json.dumps(sane_numbers, ensure_ascii=False))
    else:
        print("SANE test backend: skipped (SANE_CONFIG_DIR not set; start packaging/services.sh)")


if __name__ == "__main__":
    main()
