"""When to try again: random(0, min(15 min, 5 s × 2ⁿ)) (full jitter, SYNC.md), never sooner than
the platform's ``Retry-After``."""
from __future__ import annotations

import random

BASE_SECONDS = 5.0
CAP_SECONDS = 15 * 60.0


def retry_delay(failures: int, rng: random.Random, retry_after: float | None = None) -> float:
    """``failures`` ≥ 1 is how many attempts of this item have failed so far."""
    n = max(0, failures - 1)
    cap = CAP_SECONDS if n >= 16 else min(CAP_SECONDS, BASE_SECONDS * (2 ** n))
    delay = rng.uniform(0, cap)
    if retry_after is not None:
        delay = max(delay, min(retry_after, 24 * 3600.0))
    return delay
