"""Signing benchmark: what each request-signing scheme costs per request, client side (sign) and
platform side (verify), against HMAC-SHA256 measured in the same run.

Run:  python tests/bench/bench_signing.py [--rounds 200]

A request is a canonical string over a 256 KiB chunk (the body's SHA-256 is part of it, so hashing
the body is included, as it is in the client). SM2 (gmssl, pure Python) is the slow one; the
printed "per MB" line says what it adds to an upload at the default chunk size.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

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
    args = ap.parse_args()
    body = os.urandom(256 * 1024)
    private, public = signing.generate_sm2_keypair()
    keys = {"hmac-sha256": ("s3cret", "s3cret"), "hmac-sm3": ("s3cret", "s3cret"), "sm2": (private, public)}
    chunk = int(SETTINGS["sync.chunk_size"].default)
    print(f"per request over a 256 KiB body, median of {args.rounds}; default chunk {chunk // 1024} KiB")
    print(f"{'scheme':<12} {'sign ms':>9} {'verify ms':>10} {'sign ×':>8} {'verify ×':>9} {'added s/MB':>11}")
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
        print(f"{name:<12} {t_sign * 1000:9.2f} {t_verify * 1000:10.2f} {t_sign / base[0]:8.1f} "
              f"{t_verify / base[1]:9.1f} {per_mb:11.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
