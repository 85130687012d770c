"""Fault injection for the reference platform, chosen per run (CLI flags, env, admin endpoint).

Kinds: ``drop`` (commit, then cut the reply off mid-body), ``5xx`` (500/503 before doing
anything), ``429`` (with ``Retry-After``), ``slow`` (reply trickles out), ``close_mid_upload``
(PATCH: read part of the chunk, then close the connection), ``garbage`` (commit, then a 200 with
an HTML body), ``bad_json`` (commit, then a 200 JSON body missing its fields), ``outage`` (every
API call 503, health included). ``script`` forces the next faults in order, for exact tests.
"""
from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field

KINDS = ("drop", "5xx", "429", "slow", "close_mid_upload", "garbage", "bad_json")


@dataclass
class Faults:
    rates: dict[str, float] = field(default_factory=dict)
    script: list[str] = field(default_factory=list)  # "kind" or "kind:METHOD:path-regex"
    route: str = ""  # regex on "METHOD /path": faults only where it matches ("" = every API call)
    retry_after: float = 1.0
    slow_seconds: float = 2.0
    outage: bool = False
    seed: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    injected: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self._rng.seed(self.seed)
        bad = [k for k in self.rates if k not in KINDS]
        if bad:
            raise ValueError(f"unknown fault kinds: {bad}")

    @classmethod
    def parse(cls, specs: list[str] | str | None, **kw) -> "Faults":
        """``["drop=0.2", "429=0.05"]`` or ``"drop=0.2,429=0.05"``."""
        if isinstance(specs, str):
            specs = [s for s in specs.split(",") if s.strip()]
        rates = {}
        for spec in specs or []:
            name, _, value = spec.partition("=")
            rates[name.strip()] = float(value or 1.0)
        return cls(rates=rates, **kw)

    def update(self, data: dict) -> None:
        with self._lock:
            if "rates" in data:
                bad = [k for k in data["rates"] if k not in KINDS]
                if bad:
                    raise ValueError(f"unknown fault kinds: {bad}")
                self.rates = {k: float(v) for k, v in data["rates"].items()}
            for name in ("route", "retry_after", "slow_seconds", "outage"):
                if name in data:
                    setattr(self, name, data[name])
            if "script" in data:
                self.script = list(data["script"])
            if "seed" in data and data["seed"] is not None:
                self._rng.seed(data["seed"])

    def choose(self, method: str, path: str) -> str | None:
        target = f"{method} {path}"
        with self._lock:
            for i, entry in enumerate(self.script):
                kind, _, rest = entry.partition(":")
                m, _, rx = rest.partition(":")
                if (not m or m == method) and (not rx or re.search(rx, path)):
                    del self.script[i]
                    return self._count(kind)
            if self.route and not re.search(self.route, target):
                return None
            for kind, rate in self.rates.items():
                if kind == "close_mid_upload" and method != "PATCH":
                    continue
                if rate > 0 and self._rng.random() < rate:
                    return self._count(kind)
        return None

    def _count(self, kind: str) -> str:
        self.injected[kind] = self.injected.get(kind, 0) + 1
        return kind

    def snapshot(self) -> dict:
        with self._lock:
            return {"rates": dict(self.rates), "script": list(self.script), "route": self.route,
                    "retry_after": self.retry_after, "slow_seconds": self.slow_seconds, "outage": self.outage,
                    "injected": dict(self.injected)}
