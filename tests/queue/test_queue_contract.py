"""The documented queue protocol (resources/openapi/queue.yaml) and the reference queue server agree
on every path and method (read with a line scan, as tests/sync/test_contract.py does)."""
from __future__ import annotations

import re

from houshi_desk.queue_ref.server import QueueState, make_app
from houshi_desk.resources import resource_path


def _documented() -> set[tuple[str, str]]:
    text = resource_path("resources", "openapi", "queue.yaml").read_text(encoding="utf-8")
    body = text.split("\npaths:\n", 1)[1].split("\ncomponents:\n", 1)[0]
    out, path = set(), None
    for line in body.splitlines():
        if m := re.match(r"^  (/\S+):\s*$", line):
            path = m.group(1)
        elif (m := re.match(r"^    (get|post|patch|head|put|delete):\s*$", line)) and path:
            out.add((path, m.group(1).upper()))
    return out


def test_queue_yaml_paths_match_the_reference_server():
    app = make_app(QueueState())
    served = {(r.path, m) for r in app.routes for m in r.methods if not (m == "HEAD" and "GET" in r.methods)}
    assert _documented() == served and len(served) == 10
