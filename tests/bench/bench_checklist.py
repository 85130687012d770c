"""Benchmark: catalog load and checklist evaluation per case (goal ≤ 5 ms per case).

Run: ``python tests/bench/bench_checklist.py [--quick]``. The facts are those of the service's own
sample case (``sample_case_dict`` → ``case_from_dict`` → ``derive_facts``), so the bench follows the
facts schema instead of hard-coding it. Baseline, measured in the same run: ``json.loads`` + ``dict``
copy of the same facts, so numbers from different machines compare as ratios. Rows in the common
format of tests/bench/benchrows.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchrows import row  # noqa: E402

TARGET_MS = 5.0


def timeit(fn, repeat: int) -> float:
    """Median milliseconds of one call."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def sample_facts(region: str, catalog) -> tuple[dict, dt.date]:
    """The sample case's facts. A required fact the sample case does not answer yet (the schema
    moved ahead of it) is answered from the schema — True, the first choice, the minimum — and
    named on stderr, so the bench keeps measuring instead of rotting."""
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import FACTS, FactsError
    from houshi_desk.services.cases import case_from_dict, derive_facts, sample_case_dict

    case = case_from_dict(sample_case_dict(region))
    today = case.death.died_at.date() + dt.timedelta(days=10)
    facts = derive_facts(case, today)
    filled = []
    for _ in range(len(FACTS)):
        try:
            evaluate(catalog, facts, today)
            break
        except FactsError as exc:
            spec = FACTS.get(getattr(exc, "key", None) or "")
            if spec is None or spec.name in facts:
                raise
            facts[spec.name] = _schema_answer(spec, today)
            filled.append(spec.name)
    if filled:
        print(f"{region}: the sample case does not answer {', '.join(filled)}; answered from the schema",
              file=sys.stderr)
    return facts, today


def _schema_answer(spec, today: dt.date):
    if spec.type == "bool":
        return True
    if spec.type == "enum":
        return next(iter(spec.values))
    if spec.type in ("int", "number"):
        return spec.minimum or 0
    if spec.type == "date":
        return today.isoformat()
    if spec.type == "list":
        return []
    return ""


def main(argv=None) -> int:
    from houshi_desk.domain.catalog import known_regions, load_catalog_file
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.workdays import default_calendar

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few repetitions: checks that the bench runs")
    args = ap.parse_args(argv)
    k = 20 if args.quick else 1
    default_calendar()  # the shipped override file is read once per process
    for region, path in sorted(known_regions().items()):
        load = timeit(lambda: load_catalog_file(path), max(3, 50 // k))
        catalog = load_catalog_file(path)
        facts, today = sample_facts(region, catalog)
        raw = json.dumps(facts, ensure_ascii=False)
        baseline = timeit(lambda: dict(json.loads(raw)), 2000 // k)
        per_case = timeit(lambda: evaluate(catalog, facts, today), max(5, 1000 // k))
        to_json = timeit(lambda: evaluate(catalog, facts, today).to_json(), max(5, 500 // k))
        what = "json.loads + dict copy of the facts"
        row(f"{region}: catalog load ({len(catalog.matters)} matters, once per process)", baseline, load,
            baseline_what=what)
        row(f"{region}: checklist per case, facts validated", baseline, per_case, baseline_what=what,
            goal=f"≤ {TARGET_MS:g} ms", met=per_case <= TARGET_MS)
        row(f"{region}: checklist per case + to_json", baseline, to_json, baseline_what=what)
    return 0


if __name__ == "__main__":
    sys.exit(main())
