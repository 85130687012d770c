"""The documented contract is the real one (issue 13): resources/openapi/platform.yaml parses as YAML,
and every request a terminal sends and every answer the reference platform gives while a whole case
with attachments is delivered and its results fetched validate against the request and response
schemas documented for that path — bodies, not just paths."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from houshi_desk.resources import resource_path

from .conftest import drain


def _spec() -> dict:
    return yaml.safe_load(resource_path("resources", "openapi", "platform.yaml").read_text(encoding="utf-8"))


def _operation(spec: dict, method: str, path: str):
    for template, ops in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in ops:
            return template, ops[method.lower()]
    return None, None


def _validator(spec: dict, schema: dict) -> Draft202012Validator:
    registry = Registry().with_resource("urn:platform", Resource.opaque(spec))
    return Draft202012Validator({"$ref": "urn:platform#" + schema["$ref"][1:]} if "$ref" in schema else
                                _rebase(schema), registry=registry)


def _rebase(node):
    """Point local ``#/components/...`` references of an inline schema at the whole document."""
    if isinstance(node, dict):
        return {k: ("urn:platform" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def _json_schema(part: dict | None) -> dict | None:
    content = (part or {}).get("content") or {}
    for ctype, media in content.items():
        if "json" in ctype:
            return media.get("schema")
    return None


def test_the_contract_file_is_valid_yaml_and_openapi_3_1():
    spec = _spec()
    assert spec["openapi"].startswith("3.1") and spec["paths"]


def test_every_exchange_of_a_delivered_case_matches_the_documented_schemas(terminal):
    spec = _spec()
    exchanges = []

    def capture(response):
        response.read()
        req = response.request
        exchanges.append((req.method, req.url.path, req.content, response.status_code,
                          response.headers.get("content-type", ""), response.content))

    original = terminal.client

    def client(**kw):
        c = original(**kw)
        c._http.event_hooks["response"].append(capture)
        return c

    terminal.client = client
    number = terminal.new_case([40_000, 9_000])
    up = terminal.uploader()
    drain(up, until=lambda: any(sub["case_id"] == number for sub in terminal.ref.dump()["submissions"]))
    drain(up, max_steps=200, start=False)  # the rest of the outbox (results, anchors)
    checked = 0
    for method, path, body, status, ctype, answer in exchanges:
        template, op = _operation(spec, method, path)
        assert op is not None, f"{method} {path} is not in the contract"
        schema = _json_schema(op.get("requestBody"))
        if schema and body:
            errors = [e.message for e in _validator(spec, schema).iter_errors(json.loads(body))]
            assert not errors, f"request {method} {template}: {errors[:3]}"
            checked += 1
        responses = op.get("responses", {})
        documented = responses.get(str(status))
        assert documented is not None, f"{method} {template} answered {status}, which the contract does not list"
        if "$ref" in documented:
            name = documented["$ref"].rsplit("/", 1)[1]
            documented = spec["components"]["responses"][name]
        schema = _json_schema(documented)
        if schema and "json" in ctype and answer:
            errors = [e.message for e in _validator(spec, schema).iter_errors(json.loads(answer))]
            assert not errors, f"answer {status} to {method} {template}: {errors[:3]}"
            checked += 1
    assert checked >= 4, exchanges
