"""Build a preset dictionary for the packed JSON columns (houshi_desk/store/types.py), once.

    .venv/bin/python packaging/pack_dictionaries.py REGION ID   # writes resources/packing/json-<ID>.zdict

A dictionary is the text the values mostly repeat: checklists of the region's catalog evaluated for
a few made-up fact sets (every matter and material with its name, reasons and notes), then the keys
of the facts, the death record and an identity document. zlib reads at most its last 32 KiB.

A shipped dictionary is NEVER changed or deleted: rows written with it name it by its number and
read with it forever (tests/store/test_packed_json.py checks each file against the SHA-256 recorded
in ``houshi_desk.store.types.DICTIONARIES``). When a catalog has changed much, build a new number
and add it there; writers then try it too and keep whichever packs a value smallest.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _compact(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build(region: str, *, size: int = 32 * 1024, variants: int = 4, seed: int = 19) -> bytes:
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import FACTS, validate_facts
    from houshi_desk.domain.identity import IdentityDocument

    catalog = load_catalog(region)
    rng = random.Random(seed)
    today = date(2026, 1, 23)
    base = {"death_kind": "normal", "death_date": "2026-01-20", "disposal": "cremation"}
    lists = []
    for _ in range(variants * 10):
        if len(lists) == variants:
            break
        facts = dict(base)
        for name, spec in FACTS.items():
            if spec.values:
                facts.setdefault(name, rng.choice(list(spec.values)))
            elif spec.type in ("int", "float", "number", "money"):
                facts.setdefault(name, int(spec.minimum or 0) + rng.randrange(18, 60))
        try:
            valid = validate_facts(facts, today=today)
            result = evaluate(catalog, valid, today)
        except Exception:  # a made-up combination the rules refuse: try another
            continue
        lists.append((_compact(result.to_json()), _compact(valid.to_json())))
    if not lists:
        raise SystemExit(f"no checklist could be evaluated for {region}")
    tail = b"".join(f for _, f in lists[:1])
    tail += _compact({"kind": "normal", "died_at": "", "place": "", "proof_number": "", "proof_issuer": "",
                      "disposal": "cremation", "disposal_proof_number": "", "disposal_date": ""})
    tail += _compact(IdentityDocument.from_dict({"source": "card", "name": "", "id_number": ""}).to_dict(full=True))
    head = b"".join(c for c, _ in lists)
    return (head[-(size - len(tail)):] + tail)[-size:]


def main(argv: list[str]) -> int:
    region, number = argv[0], int(argv[1])
    out = ROOT / "resources" / "packing" / f"json-{number}.zdict"
    if out.exists():
        raise SystemExit(f"{out} exists: a shipped dictionary is never changed; build a new number")
    data = build(region)
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
