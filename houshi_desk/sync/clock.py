"""Time for the uploader, injectable so backoff, outages and alerts are tested in seconds.

``now()`` is naive UTC (what the tables store); ``sleep`` may be woken early by ``wake()``.
The fake clock's sleep moves time instead of waiting.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Clock:
    def __init__(self) -> None:
        self._wake = threading.Event()

    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when woken early (a case was saved, stop requested)."""
        woken = self._wake.wait(max(0.0, seconds))
        self._wake.clear()
        return woken

    def wake(self) -> None:
        self._wake.set()


class FakeClock(Clock):
    """Time that only moves when someone sleeps or calls ``advance``."""

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = start or utcnow()
        self._mono = 1000.0
        self.slept = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds

    def sleep(self, seconds: float) -> bool:
        seconds = max(0.0, seconds)
        self.slept += seconds
        self.advance(seconds)
        return False
