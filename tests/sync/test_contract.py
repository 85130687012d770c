"""The documented contract (resources/openapi/platform.yaml) and the reference server agree on
every path and method. (Read with a line scan: the program does not depend on a YAML parser.)"""
from __future__ import annotations

import re

from houshi_desk.platform_ref.server import Platform
from houshi_desk.resources import resource_path


def _documented() -> set[tuple[str, str]]:
    text = resource_path("resources", "openapi", "platform.yaml").read_text(encoding="utf-8")
    body = text.split("\npaths:\n", 1)[1]
    out, path = set(), None
    for line in body.splitlines():
        if m := re.match(r"^  (/\S+):\s*$", line):
            path = m.group(1)
        elif (m := re.match(r"^    (get|post|patch|head|put|delete):\s*$", line)) and path:
            out.add((path, m.group(1).upper()))
    return out


def test_openapi_paths_match_reference_server(tmp_path):
    platform = Platform(tmp_path)
    try:
        served = {(r.path, m) for r in platform.app.app.routes if r.path.startswith("/api/")
                  for m in r.methods if not (m == "HEAD" and "GET" in r.methods)}
    finally:
        platform.store.close()
    assert _documented() == served
