"""Benchmark: catalog load and checklist evaluation per case (target ≤ 5 ms per case).

Run: ``python tests/bench/bench_checklist.py``. Prints the median time of each step next to a baseline
measured in the same run (``json.loads`` + ``dict`` copy of the facts), so numbers from different
machines compare as ratios.
"""
from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time

from houshi_desk.domain.catalog import load_catalog_file, known_regions
from houshi_desk.domain.checklist import evaluate
from houshi_desk.domain.facts import validate_facts
from houshi_desk.domain.workdays import default_calendar

TARGET_MS = 5.0
FACTS = {"death_kind": "normal", "death_date": "2025-09-20", "disposal": "cremation",
         "applicant_relationship": "spouse", "applicant_age": 66, "pension_type": "employee",
         "pension_receiving": True, "retired": True, "has_survivor_dependants": True,
         "medical_insurance": "employee", "medical_account_balance": 1200, "medical_bills_settled": False,
         "deceased_has_driving_licence": True, "deceased_is_household_head": True,
         "housing_fund_account": True, "housing_fund_loan_outstanding": False, "housing_fund_guarantee": False,
         "housing_fund_frozen": False, "housing_fund_sealed": True, "entitled_group": True,
         "deposit_banks": ["工商银行", "农业银行"], "proxy": True, "sole_relative_incapacitated": True}
TODAY = dt.date(2025, 9, 30)


def timeit(fn, repeat: int) -> float:
    """Median milliseconds of one call."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> int:
    raw = json.dumps(FACTS, ensure_ascii=False)
    baseline = timeit(lambda: dict(json.loads(raw)), 2000)
    print(f"baseline  json.loads + dict copy of the facts     {baseline:8.4f} ms")
    default_calendar()  # the shipped override file is read once per process
    worst = 0.0
    for region, path in sorted(known_regions().items()):
        load = timeit(lambda: load_catalog_file(path), 50)
        catalog = load_catalog_file(path)
        validate = timeit(lambda: validate_facts(FACTS, today=TODAY), 2000)
        per_case = timeit(lambda: evaluate(catalog, FACTS, TODAY), 1000)
        to_json = timeit(lambda: evaluate(catalog, FACTS, TODAY).to_json(), 500)
        worst = max(worst, per_case)
        print(f"{region}  catalog load ({len(catalog.matters)} matters)               {load:8.3f} ms  "
              f"({load / baseline:7.0f}× baseline; once per process)")
        print(f"{region}  validate_facts                            {validate:8.4f} ms  ({validate / baseline:7.1f}× baseline)")
        print(f"{region}  evaluate per case (incl. validation)      {per_case:8.4f} ms  ({per_case / baseline:7.1f}× baseline)")
        print(f"{region}  evaluate + to_json                        {to_json:8.4f} ms  ({to_json / baseline:7.1f}× baseline)")
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(f"worst evaluate per case {worst:.3f} ms, target ≤ {TARGET_MS} ms: {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
