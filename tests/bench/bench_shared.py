"""Shared-data benchmark (issue 15): questions asked and materials the family must bring, with shared
data vs without, on the demo's sample cases; and the look-up's latency on a shaped link.

Run:  python tests/bench/bench_shared.py [--people 40] [--lookups 30] [--quick]

* Questions: for each sample deceased (the published sample and ``synthetic_id_number(N)``, in both
  regions), the family's answers are the sample case's facts with the platform's records as the truth
  where it has them; the questions asked are what the interview shows (``facts_to_ask`` over the
  region's facts, less those the earlier steps answer); with shared data, the facts the platform
  filled are not asked. Materials to bring: the materials the chosen matters need whose catalog
  source is 申请人提供, less the ones the platform holds as electronic licences that the region's
  catalog accepts for them (``Material.shared_basis``, the seed lines that let the material come from
  shared data — ``services.shared.accepted_licences``, as ``look_up`` and ``record_licences`` apply
  them): a licence the region's seed does not let stand for the paper removes nothing. A ``#`` line
  per region says what the family still brings with shared data, and in how many of the cases.
  Goal (issue 15): where records exist, at least half the questions and a third of the materials gone.
* Latency: ``services.shared.fetch`` as the window calls it (a fresh connection each time, signed
  GETs of ``/persons/{ref}/records`` and ``/persons/{ref}/cases``) against the reference platform
  behind the throttling proxy of houshi_desk/platform_ref/netshape.py — 256 kbit/s, 150 ms round
  trip (75 ms each way) — p90 of ``--lookups`` look-ups; the baseline is the same over unshaped
  loopback. Goal: p90 ≤ 1.5 s.
``--quick`` (the CI check that the bench runs): 6 people, 5 look-ups.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
from benchrows import row  # noqa: E402

RATE_BPS, ONE_WAY_S = 256_000, 0.075
DERIVED = frozenset({"death_kind", "death_date", "disposal", "applicant_relationship", "applicant_age", "proxy"})
TODAY = date(2026, 2, 2)


def _records(data_dir: Path) -> dict[str, dict]:
    from houshi_desk.platform_ref.persons import fixture_path

    return json.loads(fixture_path(data_dir).read_text(encoding="utf-8"))["persons"]


def _people(n: int) -> list[int | None]:
    return [None] + list(range(n - 1))


def counts(region: str, seq: int | None, records: dict[str, dict]) -> tuple[int, int, int, int, bool, set[str]]:
    """(questions without, with, materials to bring without, with, has records, what is still brought)."""
    from houshi_desk.domain.case import derive_facts
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.facts import facts_to_ask
    from houshi_desk.services.cases import case_from_dict, plan_case, sample_case_dict
    from houshi_desk.services.shared import accepted_licences

    d = sample_case_dict(region, deceased_seq=seq)
    rec = records.get(d["deceased"]["id_number"], {"facts": {}, "licences": []})
    catalog = load_catalog(region)
    read = catalog.facts_read()
    shared = {k: v["value"] for k, v in rec["facts"].items() if k in read and k not in DERIVED}
    d["facts"] = {**d["facts"], **shared}  # the platform's records are the truth where it has them
    case = case_from_dict(d)
    derived = {k: v for k, v in derive_facts(case, TODAY).items() if k in DERIVED}
    asked = {s.name for s in facts_to_ask({**d["facts"], **derived}, read=read)} - DERIVED
    asked_with = asked - set(shared)
    _facts, result = plan_case(case, TODAY)
    chosen = {m.code for m in result.matters if m.applicable and m.kind != "info"
              and (m.mandatory or m.code in set(d.get("chosen", [])))}
    matter_codes = {m.code for m in result.matters}
    needs = [n for n in result.materials if any(c in chosen or c not in matter_codes for c in n.needed_by)]
    bring = {n.code for n in needs if n.source == "申请人提供"}
    licensed = {x["material"] for x in accepted_licences(region, rec["licences"])}
    return (len(asked), len(asked_with), len(bring), len(bring - licensed), bool(rec["facts"] or rec["licences"]),
            bring - licensed)


def interview_rows(people: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        records = _records(Path(tmp))
    for region in ("nm", "nx"):
        tot = [0, 0, 0, 0]
        n_with = 0
        still: dict[str, int] = {}
        for seq in _people(people):
            q0, q1, m0, m1, has, left = counts(region, seq, records)
            if not has:
                continue
            n_with += 1
            for code in left:
                still[code] = still.get(code, 0) + 1
            for i, v in enumerate((q0, q1, m0, m1)):
                tot[i] += v
        q_ratio = tot[1] / tot[0] if tot[0] else None
        m_ratio = tot[3] / tot[2] if tot[2] else None
        row(f"{region}: questions asked per case, {n_with} sample deceased with records", tot[0] / n_with,
            tot[1] / n_with, unit="", baseline_what="without shared data", goal="≤ 0.5× (half gone)",
            met=q_ratio is not None and q_ratio <= 0.5)
        row(f"{region}: materials the family brings per case, same people", tot[2] / n_with, tot[3] / n_with,
            unit="", baseline_what="without shared data", goal="≤ 0.67× (a third gone)",
            met=m_ratio is not None and m_ratio <= 2 / 3)
        left = "、".join(f"{code} {k}/{n_with}" for code, k in sorted(still.items(), key=lambda t: (-t[1], t[0])))
        print(f"# {region}: still brought with shared data (cases of {n_with}): {left}")


def _p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


def latency_rows(lookups: int) -> None:
    from houshi_desk.config import load_settings
    from houshi_desk.platform_ref.netshape import LinkShape, ShapedProxy
    from houshi_desk.platform_ref.persons import lookup_key
    from houshi_desk.platform_ref.server import run_in_thread
    from houshi_desk.services.cases import synthetic_id_number
    from houshi_desk.services.shared import fetch
    from houshi_desk.sync.credentials import save_lookup_key, save_secret

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = dict(os.environ)
        os.environ.update({"HOUSHI_DESK_HOME": str(tmp / "home"), "HOUSHI_DESK_SYSTEM_CONFIG": str(tmp / "none.toml"),
                           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                           "XDG_DATA_HOME": str(tmp / "xdg")})
        (tmp / "home").mkdir()
        stop = proxy = None
        try:
            key = lookup_key(tmp / "platform")
            secret = secrets.token_urlsafe(16)
            url, stop = run_in_thread(tmp / "platform", clients={"bench": secret})
            settings = load_settings()
            settings.set("platform.app_key", "bench")
            save_secret("bench", secret)
            save_lookup_key(key)
            host, port = url.split("//")[1].split(":")
            proxy = ShapedProxy(host, int(port), LinkShape(rate_bps=RATE_BPS, delay_s=ONE_WAY_S, seed=1))
            phost, pport = proxy.start()
            people = [synthetic_id_number(i) for i in range(lookups)]
            results = {}
            for label, target in (("loopback", url), ("shaped", f"http://{phost}:{pport}")):
                settings.set("platform.url", target)
                fetch(settings, people[0], with_cases=True)  # warm the code paths (imports), not the connection
                times = []
                for number in people:
                    t0 = time.perf_counter()
                    fetch(settings, number, with_cases=True)  # as the window asks: records, then open cases
                    times.append(time.perf_counter() - t0)
                results[label] = times
        finally:
            if proxy is not None:
                proxy.stop()
            if stop is not None:
                stop()
            os.environ.clear()
            os.environ.update(old)
    base, shaped = _p90(results["loopback"]), _p90(results["shaped"])
    link = f"{RATE_BPS // 1000} kbit/s, {2 * ONE_WAY_S * 1000:.0f} ms RTT"
    row(f"look-up (records + open cases) p90 over {link} ({lookups} look-ups)",
        base * 1000, shaped * 1000, unit="ms", baseline_what="unshaped loopback p90", goal="≤ 1500 ms p90",
        met=shaped <= 1.5)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=40, help="sample deceased per region (the fixture has 41)")
    ap.add_argument("--lookups", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="6 people, 5 look-ups")
    args = ap.parse_args(argv)
    if args.quick:
        args.people, args.lookups = 6, 5
    interview_rows(args.people)
    latency_rows(args.lookups)
    return 0


if __name__ == "__main__":
    sys.exit(main())
