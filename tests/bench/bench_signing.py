"""Signing benchmark: what each request-signing scheme costs per request, client side (sign) and
platform side (verify), against HMAC-SHA256 measured in the same run.

Run:  python tests/bench/bench_signing.py [--rounds 200] [--quick]

A request is a canonical string over a 256 KiB chunk (the body's SHA-256 is part of it, so hashing
the body is included, as it is in the client). SM2 (gmssl, pure Python) is the slow one; the
"per MB" row says what it adds to an upload at the default chunk size. Rows in the common format
of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

from houshi_desk.config import SETTINGS  # noqa: E402
from houshi_desk.sync import signing  # noqa: E402


def per_call(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="5 rounds: checks that the bench runs")
    args = ap.parse_args()
    if args.quick:
        args.rounds = 5
    body = os.urandom(256 * 1024)
    private, public = signing.generate_sm2_keypair()
    keys = {"hmac-sha256": ("s3cret", "s3cret"), "hmac-sm3": ("s3cret", "s3cret"), "sm2": (private, public)}
    chunk = int(SETTINGS["sync.chunk_size"].default)
    print(f"per request over a 256 KiB body, median of {args.rounds}; default chunk {chunk // 1024} KiB")
    base = None
    for name, (sk, vk) in keys.items():
        signer = signing.get_signer(name)

        def make(sk=sk, signer=signer):
            msg = signing.canonical_string("PATCH", "/api/v1/uploads/x", "1767225600", "n0nce", body)
            return msg, signer.sign(sk, msg)

        msg, sig = make()
        assert signer.verify(vk, msg, sig), name
        t_sign = per_call(make, args.rounds)
        t_verify = per_call(lambda: signer.verify(vk, signing.canonical_string(
            "PATCH", "/api/v1/uploads/x", "1767225600", "n0nce", body), sig), args.rounds)
        if base is None:
            base = (t_sign, t_verify)
        per_mb = (t_sign - base[0]) * (1024 * 1024 / chunk)
        if name == "hmac-sha256":
            continue  # the baseline itself
        what = "hmac-sha256"
        row(f"{name}: sign a request (256 KiB body)", base[0] * 1000, t_sign * 1000, baseline_what=what)
        row(f"{name}: verify a request (256 KiB body)", base[1] * 1000, t_verify * 1000, baseline_what=what)
        row(f"{name}: signing time added per MB uploaded", None, per_mb * 1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
