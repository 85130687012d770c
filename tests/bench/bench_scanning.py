"""Benchmark: per-page pipeline time and output size for a 300 dpi A4 gray page (targets: ≤ 400 ms,
≤ 300 KB), against Pillow's plain save of the same page measured in the same run.

Bytes per stored page (issue 19), each against Pillow's JPEG (quality 75) of the same scan in the same
run: a dense, skewed, stamped 居民死亡医学证明 (houshi_desk.scanning.synthetic.death_certificate: fine
printed notes, a table filled in by hand, a signature, a red seal, paper grain, 1.8° skew) at 200 dpi
standard (goal ≤ 300 KB), the same scanned at 300 dpi kept at 300 dpi archival (≤ 450 KB), in colour
with its red seal (≤ 300 KB), with a halftone-printed photo (≤ 300 KB), and the SANE test device's
"Color pattern" in gray at 200 dpi, 200 × 200 mm (synthetic.gray_test_pattern, pixel for pixel what
the backend scans; a 646 KB JPEG before issue 19; ≤ 300 KB). Legibility: the structural similarity
(SSIM, numpy) of each stored page to the lossless page before encoding, against the floors of
tests/scanning/test_compression.py; and, outside ``--quick`` with the [ocr] extra, the OCR character
error rate of the stored page against the lossless one (goal: within 1 point; the ID number and the
dates read the same).

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
ARCHIVAL_KB = 450.0


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


def ssim(a, b) -> float:
    """Mean SSIM of two grey pages (8 × 8 windows, stride 4), as in tests/scanning/test_compression.py."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    x = np.asarray(a.convert("L"), dtype=np.float64)
    y = np.asarray(b.convert("L"), dtype=np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    wx = sliding_window_view(x, (8, 8))[::4, ::4].reshape(-1, 64)
    wy = sliding_window_view(y, (8, 8))[::4, ::4].reshape(-1, 64)
    mx, my = wx.mean(1), wy.mean(1)
    cov = ((wx - mx[:, None]) * (wy - my[:, None])).mean(1)
    return float((((2 * mx * my + c1) * (2 * cov + c2))
                  / ((mx ** 2 + my ** 2 + c1) * (wx.var(1) + wy.var(1) + c2))).mean())


def size_pages(quick: bool) -> list[dict]:
    """The pages of the bytes-per-page rows: (label, scan, dpi, options, goal KB, SSIM floor, OCR?)."""
    from houshi_desk.scanning.pipeline import PipelineOptions
    from houshi_desk.scanning.synthetic import death_certificate, gray_test_pattern
    from houshi_desk.services.cases import synthetic_id_number

    fields = dict(id_number=synthetic_id_number(8, birth="19380605", area="150702", female=False),
                  born="1938年6月5日", died="2026年1月20日8时35分", seed=4, notes_mm=2.6)
    pages = [
        dict(label="dense skewed stamped A4 certificate, 200 dpi gray (standard)", dpi=200, goal=TARGET_KB,
             floor=0.99, ocr=True, opts=PipelineOptions.for_quality("standard"),
             make=lambda: death_certificate(200, **fields)),
        dict(label="same page scanned at 300 dpi, archival (kept at 300 dpi)", dpi=300, goal=ARCHIVAL_KB,
             floor=0.99, ocr=True, opts=PipelineOptions.for_quality("archival"),
             make=lambda: death_certificate(300, **fields)),
        dict(label="SANE test 'Color pattern' in gray, 200 dpi 200 × 200 mm (halftone-like)", dpi=200,
             goal=TARGET_KB, floor=0.95, ocr=False, opts=PipelineOptions(),
             make=lambda: (gray_test_pattern(200), None)),
        dict(label="dense certificate with a halftone photo, 200 dpi gray", dpi=200, goal=TARGET_KB, floor=0.98,
             ocr=False, opts=PipelineOptions(), make=lambda: death_certificate(200, photo=True, **fields)),
        dict(label="dense certificate in colour (red seal), 200 dpi", dpi=200, goal=TARGET_KB, floor=0.99,
             ocr=True, opts=PipelineOptions(mode="color"), make=lambda: death_certificate(200, **fields)),
    ]
    return pages[:3] if quick else pages


def bench_sizes(quick: bool, repeat: int) -> list[dict]:
    from houshi_desk.scanning.pipeline import decode, encode_page, render

    out = []
    for p in size_pages(quick):
        scan, truth = p["make"]()
        ref, dpi, _ = render(scan, p["dpi"], p["opts"])
        ms, enc = median_ms(lambda: encode_page(ref, dpi), repeat)
        out.append({**p, "truth": truth, "ref": ref, "enc": enc, "encode_ms": ms,
                    "baseline": len(plain(scan, "JPEG", quality=75)),
                    "ssim": None if quick else ssim(ref, decode(enc.data))})
    return out


def ocr_compare(results: list[dict]) -> list[dict]:
    """OCR of the lossless and the stored page of each certificate, in one OCR child."""
    from houshi_desk.scanning.ocr import OcrRun, available, extract
    from houshi_desk.scanning.synthetic import char_error_rate

    todo = [r for r in results if r["ocr"]]
    if not todo or not available():
        return []
    images = []
    for r in todo:
        images += [plain(r["ref"], "PNG"), r["enc"].data]
    lines = OcrRun(images, page_timeout=600).result()
    rows = []
    for i, r in enumerate(todo):
        a, b = lines[2 * i], lines[2 * i + 1]
        ea, eb = extract([a], "death"), extract([b], "death")
        rows.append({"label": r["label"], "cer_lossless": char_error_rate(r["truth"], [x.text for x in a]),
                     "cer_stored": char_error_rate(r["truth"], [x.text for x in b]),
                     "fields_match": (eb.get("id_number") == ea.get("id_number") is not None
                                      and eb.get("death_date") == ea.get("death_date") is not None)})
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
    sizes = bench_sizes(args.quick, args.repeat)
    ocr = [] if args.quick else ocr_compare(sizes)
    extra = bench_store_and_export(args.repeat)
    sane_numbers = bench_sane(1 if args.quick else max(3, args.repeat // 2))
    if args.json:
        print(json.dumps({"pipeline": rows, "store": extra, "sane": sane_numbers,
                          "sizes": [{"page": r["label"], "kb": round(r["enc"].size / 1024, 1), "encoding": r["enc"].kind,
                                     "jpeg75_kb": round(r["baseline"] / 1024, 1), "ssim": r["ssim"]} for r in sizes],
                          "ocr": ocr}, ensure_ascii=False, indent=2))
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
    for r in sizes:
        enc = r["enc"]
        row(f"{r['label']}: bytes per page ({enc.kind}, {r['ref'].width}×{r['ref'].height})", r["baseline"] / 1024,
            enc.size / 1024, unit="KB", baseline_what="Pillow JPEG q75 of the same scan",
            goal=f"≤ {r['goal']:g} KB", met=enc.size <= r["goal"] * 1024)
        if r["ssim"] is not None:
            row(f"{r['label']}: SSIM of the stored page to the lossless page", None, f"{r['ssim']:.4f}",
                goal=f"≥ {r['floor']:g}", met=r["ssim"] >= r["floor"])
        row(f"{r['label']}: encoding choice", None, r["encode_ms"])
    for o in ocr:
        row(f"{o['label']}: OCR character error rate of the stored page", o["cer_lossless"], o["cer_stored"],
            unit="%", baseline_what="the lossless page",
            goal="≤ lossless + 1 point; ID number and dates read the same",
            met=o["cer_stored"] <= o["cer_lossless"] + 1 and o["fields_match"])
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
