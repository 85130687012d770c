"""Property test: for any valid answers, every matter is listed once with a reason, hukou comes last in
NM only (NM:240), only matters with a dated source get a due date, blocked matters have none, out of
scope nothing applies, and the materials are a duplicate-free union."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from houshi_desk.domain.catalog import load_catalog
from houshi_desk.domain.checklist import APPLICATION, evaluate
from houshi_desk.domain.facts import FACTS

TODAY = dt.date(2025, 9, 30)


def _value(spec):
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(list(spec.values))
    if spec.type == "number":
        return st.sampled_from([0, 0.5, 1200])
    if spec.type == "list":
        return st.sampled_from([[], ["工商银行"], ["工商银行", "农业银行"]])
    if spec.name == "applicant_age":
        return st.integers(10, 90)
    if spec.type == "date":
        return st.dates(dt.date(2024, 1, 1), TODAY).map(dt.date.isoformat)
    if spec.type == "str":
        return st.sampled_from(["受遗赠人", "监护人"])
    raise AssertionError(spec)


FACTS_STRATEGY = st.fixed_dictionaries({name: _value(spec) for name, spec in FACTS.items()})


@settings(max_examples=300, deadline=None)
@given(facts=FACTS_STRATEGY, region=st.sampled_from(["nm", "nx"]))
def test_invariants(facts, region):
    catalog = load_catalog(region)
    r = evaluate(catalog, facts, TODAY)
    assert sorted(m.code for m in r.matters) == sorted(m.code for m in catalog.matters)
    if not r.scope.in_scope:
        assert not any(m.applicable for m in r.matters) and not r.materials
        assert all(m.reason.startswith("不在联办范围：") for m in r.matters)
        return
    if region == "nm":
        assert r.matters[-1].code == "hukou_cancel"
    assert r.matter("hukou_cancel").applicable
    for m in r.matters:
        assert m.reason and (m.reason.startswith("不适用：") == (not m.applicable))
        assert (m.due_date is not None) == (m.status == "applicable" and m.deadline_source in ("policy", "configured"))
        assert m.deadline_source != "none" or m.deadline_working_days is None
        assert (m.blocked_reason is not None) == (m.status == "blocked")
        if m.due_date:
            assert m.due_date > TODAY
    codes = [n.code for n in r.materials]
    assert len(codes) == len(set(codes))
    live = {m.code for m in r.matters if m.applicable} | {p.code for p in r.preconditions if p.applicable}
    assert all(n.needed_by and set(n.needed_by) <= live | {APPLICATION} for n in r.materials)
    assert sum(p.applicable for p in r.preconditions) == 1
    assert r.applicant.reason.startswith("符合：" if r.applicant.eligible else "不符合：")
