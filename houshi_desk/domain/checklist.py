"""The checklist engine: region catalog + case facts + today → every matter with its reason and due date.

``evaluate(catalog, facts, today)`` returns a ``ChecklistResult``:

* ``matters``: every matter of the catalog (also those that do not apply, with the reason in words
  the clerk reads to the family), in handling order: catalog order, except that a matter comes after
  the matters it must follow (``after`` / ``order = "last"``, e.g. 户口注销 last). ``status`` is one of
  ``applicable``, ``blocked`` (applies, but waits for something, e.g. "须先结清逝者生前医保费用"),
  ``not_applicable``, ``info`` (done elsewhere, e.g. "火化时殡仪馆现场办理").
  ``due_date``: application date (``today``) + the matter's working days, ``today`` not counted;
  ``None`` for matters that are not applicable, informational or blocked (their clock starts when the
  blocker is cleared). ``due_date_uncertain`` is true when the count ran past the known calendar.
* ``materials``: the union of the materials needed, each once, in catalog order, with the codes of
  what needs it (matter codes, precondition codes, or ``"application"`` for the applicant's own).
* ``applicant``: whether the applicant may apply (relationship, age, proxy rule) and why.
* ``preconditions`` and ``notices``.

Public API: ``evaluate``, ``ChecklistResult`` (``.to_json()``), ``MatterOutcome``, ``MaterialNeed``,
``ApplicantEligibility``, ``PreconditionOutcome``, ``check_applicant``.
"""
from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from houshi_desk.domain.catalog import ApplicantRules, Catalog, MaterialRef, predecessors
from houshi_desk.domain.facts import FACTS, Facts, validate_facts
from houshi_desk.domain.workdays import WorkCalendar, default_calendar

APPLICATION = "application"  # pseudo-code in MaterialNeed.needed_by for the applicant's own materials


@dataclass(frozen=True)
class MatterOutcome:
    code: str
    name: str
    department: str
    department_name: str
    applicable: bool
    mandatory: bool
    reason: str
    due_date: _dt.date | None
    due_date_uncertain: bool
    after: list[str]  # applicable matters that must be done before this one
    blocked_reason: str | None
    status: str  # applicable | blocked | not_applicable | info
    kind: str
    deadline_working_days: int | None
    deadline_source: str  # policy | configured | none
    produces: str
    handled_at: str | None
    materials: list[str]
    notes: str | None
    basis: Any = None  # seed lines, or {"local": true, "document": …}
    deadline_basis: Any = None  # where the deadline comes from; None when deadline_source is none
    deadline_text: str = ""  # "1个工作日内办结" / "按部门规定时限办结"


@dataclass(frozen=True)
class PreconditionOutcome:
    code: str
    name: str
    department: str
    department_name: str
    applicable: bool
    reason: str


@dataclass(frozen=True)
class MaterialNeed:
    code: str
    name: str
    source: str
    description: str
    needed_by: list[str]
    optional_note: str | None = None


@dataclass(frozen=True)
class ApplicantEligibility:
    eligible: bool
    reason: str
    proxy_required: bool  # a 授权委托书 is needed (proxy asked for and allowed)
    proxy_allowed: bool  # the sole relative is seriously ill / bedridden (NM); no rule stated (NX)
    relation_kind: str  # "direct" | "near" | "specific" | "none"
    hints: tuple[str, ...] = ()  # for the clerk only: rules the region's seed does not state


@dataclass(frozen=True)
class ScopeOutcome:
    """Whether the death is one the region's joint service covers (NM:229/231, NX:83)."""

    in_scope: bool
    reason: str
    referral: list[dict]  # [{"department", "department_name", "materials": [codes]}]
    referral_text: str = ""


@dataclass(frozen=True)
class ChecklistResult:
    region: str
    catalog_version: str
    policy: str
    today: _dt.date
    preconditions: list[PreconditionOutcome]
    matters: list[MatterOutcome]
    materials: list[MaterialNeed]
    applicant: ApplicantEligibility
    notices: list[str]
    scope: ScopeOutcome | None = None

    def matter(self, code: str) -> MatterOutcome:
        for m in self.matters:
            if m.code == code:
                return m
        raise KeyError(code)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ChecklistResult":
        """The checklist as kept on a case at acceptance (``to_json`` output): reprints render from it."""
        def day(v):
            return _dt.date.fromisoformat(v) if v else None

        def fields(klass, d):
            names = {f.name for f in klass.__dataclass_fields__.values()}
            return {k: v for k, v in d.items() if k in names}

        matters = [MatterOutcome(**{**fields(MatterOutcome, m), "due_date": day(m.get("due_date")),
                                    "after": list(m.get("after") or []), "materials": list(m.get("materials") or [])})
                   for m in data.get("matters", [])]
        app = dict(data.get("applicant") or {})
        app["hints"] = tuple(app.get("hints") or ())
        scope = data.get("scope")
        return cls(
            region=data["region"], catalog_version=data.get("catalog_version", ""), policy=data.get("policy", ""),
            today=day(data.get("today")),
            preconditions=[PreconditionOutcome(**fields(PreconditionOutcome, p)) for p in data.get("preconditions", [])],
            matters=matters,
            materials=[MaterialNeed(**fields(MaterialNeed, m)) for m in data.get("materials", [])],
            applicant=ApplicantEligibility(**fields(ApplicantEligibility, app)),
            notices=list(data.get("notices", [])),
            scope=ScopeOutcome(**fields(ScopeOutcome, scope)) if scope else None,
        )

    def to_json(self) -> dict[str, Any]:
        def plain(obj: Any) -> Any:
            if isinstance(obj, _dt.date):
                return obj.isoformat()
            if isinstance(obj, dict):
                return {k: plain(v) for k, v in obj.items()}
            if isinstance(obj, list):
                return [plain(v) for v in obj]
            return obj

        return plain({
            "region": self.region,
            "catalog_version": self.catalog_version,
            "policy": self.policy,
            "today": self.today,
            "scope": asdict(self.scope) if self.scope else None,
            "applicant": {**asdict(self.applicant), "hints": list(self.applicant.hints)},
            "preconditions": [asdict(p) for p in self.preconditions],
            "matters": [asdict(m) for m in self.matters],
            "materials": [asdict(m) for m in self.materials],
            "notices": list(self.notices),
        })


def _age_text(age: int) -> str:
    return f"申请人{age}周岁"


def check_applicant(rules: ApplicantRules, facts: Mapping[str, Any]) -> ApplicantEligibility:
    """Who may apply, as the region's seed states it.

    NM (NM:229): direct relative, or near relative when there is none; 18+, or 16–18 living on own
    labour income; a proxy only for a sole, seriously ill relative. NX (NX:83): near relatives and
    specific-relationship persons; the seed states no age or proxy rule, so those give the clerk a hint
    and never a refusal.
    """
    rel = facts["applicant_relationship"]
    rel_name = FACTS["applicant_relationship"].values[rel]
    age = facts["applicant_age"]
    proxy = facts["proxy"]
    hints: list[str] = []
    proxy_rule = rules.proxy_rule
    proxy_allowed = bool(facts["sole_relative_incapacitated"]) if proxy_rule else True

    def no(text: str, kind: str) -> ApplicantEligibility:
        return ApplicantEligibility(False, f"不符合：{text}", False, proxy_allowed, kind, tuple(hints))

    allowed_words = ("逝者的直系亲属，无直系亲属的由其他近亲属申请" if rules.direct
                     else "逝者的近亲属" + ("或特定关系人" if rules.specific else ""))
    if rel in rules.direct:
        kind, who = "direct", f"申请人为逝者{rel_name}（直系亲属）"
    elif rel in rules.near:
        kind, who = "near", f"申请人为逝者{rel_name}（近亲属）"
        if rules.near_only_without_direct and facts["has_direct_relative"]:
            return no(f"{who}，但逝者有直系亲属，应由直系亲属申请；无直系亲属的，方可由其他近亲属申请", kind)
        if rules.near_only_without_direct:
            who += "，逝者无直系亲属"
    elif rel == "specific" and rules.specific:
        note = str(facts.get("applicant_relationship_note") or "").strip()
        kind, who = "specific", f"申请人为逝者的特定关系人" + (f"（{note}）" if note else "") + "，须提供关系证明"
    else:
        return no(f"申请人须为{allowed_words}", "none")

    if rules.adult_age is None:
        age_ok = _age_text(age)
        if age < 18:
            hints.append(f"提示：{_age_text(age)}。本地区方案未规定申请人年龄，请核实其民事行为能力（不作为拒绝理由）。")
    elif age >= rules.adult_age:
        age_ok = f"{_age_text(age)}"
    elif rules.min_age_with_own_income is not None and age >= rules.min_age_with_own_income:
        if not facts["applicant_own_income"]:
            return no(f"{_age_text(age)}，{rules.min_age_with_own_income}至{rules.adult_age}周岁的申请人须以本人劳动收入为主要生活来源", kind)
        age_ok = f"{_age_text(age)}，以本人劳动收入为主要生活来源"
    else:
        low = rules.min_age_with_own_income
        return no(f"{_age_text(age)}，申请人须年满{rules.adult_age}周岁" +
                  (f"，或{low}至{rules.adult_age}周岁以本人劳动收入为主要生活来源" if low is not None else ""), kind)

    if proxy:
        if proxy_rule is None:
            hints.append("提示：本地区方案未规定委托办理的条件；请核验授权委托书和受托人身份（不作为拒绝理由）。")
            return ApplicantEligibility(True, f"符合：{who}，{age_ok}；由受托人代为办理，须出具授权委托书",
                                        True, True, kind, tuple(hints))
        if not proxy_allowed:
            return no("只有逝者仅有一位直系亲属或近亲属且其身患重疾、长期卧床行动不便时，方可委托他人办理", kind)
        return ApplicantEligibility(True, f"符合：{who}，{age_ok}；委托人身患重疾、行动不便，可委托他人办理，须出具授权委托书",
                                    True, True, kind, tuple(hints))
    return ApplicantEligibility(True, f"符合：{who}，{age_ok}", False, proxy_allowed, kind, tuple(hints))


def _handling_order(catalog: Catalog) -> list[int]:
    """Indexes of catalog.matters in a stable topological order (catalog order wins ties)."""
    graph = predecessors(catalog.matters)
    index = {m.code: i for i, m in enumerate(catalog.matters)}
    indeg = {c: len(set(p)) for c, p in graph.items()}
    succ: dict[str, list[str]] = {c: [] for c in graph}
    for c, preds in graph.items():
        for p in set(preds):
            succ[p].append(c)
    heap = [index[c] for c, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        i = heapq.heappop(heap)
        out.append(i)
        for s in succ[catalog.matters[i].code]:
            indeg[s] -= 1
            if indeg[s] == 0:
                heapq.heappush(heap, index[s])
    return out  # complete: the loader refused cycles


def evaluate(catalog: Catalog, facts: Mapping[str, Any] | Facts, today: _dt.date,
             calendar: WorkCalendar | None = None) -> ChecklistResult:
    """The checklist of one case. ``facts`` may be a raw dict (validated here) or ``Facts``."""
    if not isinstance(facts, Facts):
        facts = validate_facts(facts, today=today, read=catalog.facts_read())
    cal = calendar or default_calendar()
    scope_fail = next((r for r in catalog.scope if not r.when.test(facts)), None)
    depts = catalog.departments
    needs: dict[str, list[str]] = {}

    def need(refs: tuple[MaterialRef, ...], by: str) -> list[str]:
        codes = []
        for r in refs:
            if r.when.test(facts):
                codes.append(r.code)
                lst = needs.setdefault(r.code, [])
                if by not in lst:
                    lst.append(by)
        return codes

    applicant = check_applicant(catalog.applicant, facts)
    need(catalog.applicant.materials, APPLICATION)
    if facts["proxy"]:
        need(catalog.applicant.proxy_materials, APPLICATION)

    pre_out = []
    for p in catalog.preconditions:
        ok, text = p.when.explain(facts)
        if ok:
            need(p.materials, p.code)
        pre_out.append(PreconditionOutcome(p.code, p.name, p.department, depts[p.department].name, ok,
                                           f"{'必备' if ok else '不需要'}：{text}" if text else ("必备" if ok else "不需要")))

    referral: dict[str, list[str]] = {}
    graph = predecessors(catalog.matters)
    kinds = {m.code: m.kind for m in catalog.matters}
    due_cache: dict[int, tuple[_dt.date, bool]] = {}
    applies: dict[str, bool] = {}
    outcomes: dict[str, MatterOutcome] = {}
    for m in catalog.matters:
        ok, text = m.when.explain(facts)
        applies[m.code] = ok
        blocked = None
        if ok:
            blocked = next((r.blocked for r in m.requires if not r.when.test(facts)), None)
        if scope_fail is not None:
            scope_text = scope_fail.when.explain(facts)[1]
            if ok and m.kind == "matter":
                referral.setdefault(m.department, []).extend(
                    r.code for r in m.materials if r.when.test(facts))
            ok = False
            status, reason = "not_applicable", f"不在联办范围：{scope_text}"
        elif not ok:
            status, reason = "not_applicable", f"不适用：{text or '本案不涉及'}"
        elif m.kind == "info":
            status, reason = "info", f"{m.handled_at}" + (f"（{text}）" if text else "")
        elif blocked:
            status, reason = "blocked", f"适用，暂缓办理：{blocked}" + (f"（{text}）" if text else "")
        else:
            status = "applicable"
            reason = f"适用：{text}" if text else ("适用：本事项均须办理" if m.mandatory else "适用：家属可申请办理")
        due, uncertain = None, False
        if status == "applicable" and m.deadline_source != "none" and m.deadline_working_days is not None:
            n = m.deadline_working_days
            if n not in due_cache:  # most matters share the catalog default
                due_cache[n] = cal.add_working_days(today, n)
            due, uncertain = due_cache[n]
        materials = need(m.materials, m.code) if ok and m.kind == "matter" else []
        outcomes[m.code] = MatterOutcome(
            code=m.code, name=m.name, department=m.department, department_name=depts[m.department].name,
            applicable=ok, mandatory=m.mandatory, reason=reason, due_date=due, due_date_uncertain=uncertain,
            after=[], blocked_reason=blocked, status=status, kind=m.kind,
            deadline_working_days=m.deadline_working_days if m.deadline_source != "none" else None,
            deadline_source=m.deadline_source,
            produces=m.produces, handled_at=m.handled_at, materials=materials, notes=m.notes,
            basis=m.basis.to_json(), deadline_basis=m.deadline_basis.to_json() if m.deadline_basis else None,
            deadline_text=deadline_text(m.deadline_source, m.deadline_working_days, m.kind))

    ordered = []
    for i in _handling_order(catalog):
        o = outcomes[catalog.matters[i].code]
        after = [p for p in graph[o.code] if applies[p] and kinds[p] == "matter"] if o.applicable else []
        ordered.append(_replace_after(o, after))

    material_out = [
        MaterialNeed(code, mat.name, mat.source, mat.description, needs[code], mat.optional_note)
        for code, mat in catalog.materials.items() if code in needs
    ]
    notices = [n.text for n in catalog.notices if n.when.test(facts)]
    if scope_fail is not None:
        scope = ScopeOutcome(False, scope_fail.when.explain(facts)[1], [
            {"department": d, "department_name": depts[d].name, "materials": list(dict.fromkeys(codes))}
            for d, codes in referral.items()], catalog.referral.text if catalog.referral else "")
        material_out, notices = [], []
    else:
        scope = ScopeOutcome(True, "；".join(r.when.explain(facts)[1] for r in catalog.scope) or "属于联办范围", [])
    return ChecklistResult(catalog.region, catalog.version, catalog.policy, today, pre_out, ordered,
                           material_out, applicant, notices, scope)


def deadline_text(source: str, days: int | None, kind: str = "matter") -> str:
    """How a matter's time limit is told to the family: a number only when policy or provincial IT
    set one with its source; otherwise the department's own rules apply and nothing is promised."""
    if kind == "info":
        return ""
    if source in ("policy", "configured") and days is not None:
        return f"{days}个工作日内办结"
    return "按部门规定时限办结"


def _replace_after(o: MatterOutcome, after: list[str]) -> MatterOutcome:
    from dataclasses import replace

    return replace(o, after=after)
