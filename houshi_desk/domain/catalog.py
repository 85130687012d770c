"""Regional matter catalogs: load a ``resources/catalogs/<region>-<year>.toml`` file and check it fully.

A catalog is data a provincial administrator edits (format: ``resources/catalogs/README.md``): the
departments, the materials (with where to get them), the preconditions, the applicant rules and the
matters, each matter with its department, 必选/勾选, eligibility as a declarative condition
(``houshi_desk.domain.conditions``), materials, deadline in working days, ordering (``after``,
``order = "last"``), blockers (``requires``) and the result it produces. Anything wrong stops loading
with a ``CatalogError`` naming the file, the matter and the key, so start-up fails loudly instead of
showing a wrong checklist.

Public API (stable; the GUI, documents and store use it):
``load_catalog(region) -> Catalog`` (cached; 'nm' | 'nx' | any region with a file),
``load_catalog_file(path) -> Catalog``, ``known_regions()``, ``check_catalogs()`` (start-up), ``CatalogError``;
``Catalog.matters`` (file order), ``Catalog.materials`` (code → Material), ``Catalog.departments``
(code → Department), ``Catalog.preconditions``, ``Catalog.matter(code)``,
``Catalog.matters_using(fact)``, ``Catalog.facts_used()``, ``Catalog.fact_questions()``.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from houshi_desk.domain.conditions import ALWAYS, Condition, ConditionError, parse_condition
from houshi_desk.domain.facts import FACTS
from houshi_desk.errors import HoushiError

MATERIAL_SOURCES = ("申请人提供", "共享获取(免提交)", "窗口现场办理")
MATTER_KINDS = ("matter", "info")
# policy: the region's seed sets it (cited); configured: provincial IT's figure with its source
# document (``<region>-deadlines.toml``); none: no time limit is known, nothing is promised.
DEADLINE_SOURCES = ("policy", "configured", "none")
SEED_CITATION = re.compile(r"^(NM|NX):([1-9][0-9]*)$")
LOCAL_DRAFT = "本程序草拟，待省级确认"
PROXY_RULES = ("sole_relative_incapacitated",)


@dataclass(frozen=True)
class Basis:
    """Where a rule comes from: seed lines (``NM:231``), outside rules (``ext:<文号>``), or local.

    ``local`` rules carry ``document`` — the province's own document, or ``LOCAL_DRAFT`` when this
    program drafted the entry and provincial IT has not yet confirmed it.
    """

    cites: tuple[str, ...] = ()
    document: str | None = None  # set for local rules

    @property
    def local(self) -> bool:
        return not self.cites

    def seed_lines(self) -> list[tuple[str, int]]:
        out = []
        for c in self.cites:
            m = SEED_CITATION.match(c)
            if m:
                out.append((m.group(1), int(m.group(2))))
        return out

    def text(self) -> str:
        return "、".join(self.cites) if self.cites else f"本地规定：{self.document}"

    def to_json(self) -> Any:
        return list(self.cites) if self.cites else {"local": True, "document": self.document}


NO_BASIS = Basis((), LOCAL_DRAFT)


class CatalogError(HoushiError):
    """A catalog cannot be used. ``file``, ``matter`` and ``key`` say where; ``message`` is Chinese."""

    def __init__(self, problem: str, *, file: str | Path | None, matter: str | None = None,
                 key: str | None = None, hint: str | None = None):
        where = [f"目录文件 {file}"] if file else []
        if matter:
            where.append(f"事项“{matter}”")
        if key and file:
            where.append(f"键“{key}”")
        super().__init__(
            ("，".join(where) + "：" if where else "") + problem,
            detail=f"file={file} matter={matter} key={key}",
            hint=hint or "请管理员按 resources/catalogs/README.md 改正目录文件后重新启动",
        )
        self.file = str(file) if file else None
        self.matter = matter
        self.key = key


@dataclass(frozen=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    source: str  # one of MATERIAL_SOURCES
    description: str  # where to get it, in plain words (一次告知单)
    optional_note: str | None = None  # e.g. "遗失可不提交"
    basis: Basis = NO_BASIS
    # 申请人提供 materials the seed lets the window take from shared data instead when the platform
    # holds them as an electronic licence (``shared_basis``: the seed lines that say so); None = never.
    shared_basis: Basis | None = None

    @property
    def licence_accepted(self) -> bool:
        """An electronic licence from shared data stands for this material (共享获取, 免提交)."""
        return self.source == "共享获取(免提交)" or self.shared_basis is not None


@dataclass(frozen=True)
class MaterialRef:
    code: str
    when: Condition = ALWAYS


@dataclass(frozen=True)
class Requirement:
    """Something that must be done before the matter can go ahead (applicable but blocked until then)."""

    when: Condition
    blocked: str  # Chinese reason shown while not met, e.g. "须先结清逝者生前医保费用"
    basis: Basis = NO_BASIS  # inherited from its matter


@dataclass(frozen=True)
class Matter:
    code: str
    name: str
    department: str
    mandatory: bool
    when: Condition
    materials: tuple[MaterialRef, ...]
    deadline_working_days: int | None
    deadline_source: str  # one of DEADLINE_SOURCES
    produces: str
    kind: str = "matter"  # "info": handled elsewhere (e.g. at cremation), shown for the form only
    handled_at: str | None = None
    after: tuple[str, ...] = ()  # explicit predecessors (codes)
    order: str | None = None  # "last": after every other matter of the case
    requires: tuple[Requirement, ...] = ()
    notes: str | None = None
    deadline_basis: Basis | None = None  # where the deadline comes from (policy or configured)
    deadline_quote: str | None = None  # the policy's own words for the deadline
    extra: Mapping[str, Any] = field(default_factory=dict)
    basis: Basis = NO_BASIS
    order_basis: Basis | None = None  # where ``after`` / ``order`` comes from
    informs: tuple[str, ...] = ()  # facts asked only to tell the department (e.g. 民政 核实停发)


@dataclass(frozen=True)
class Precondition:
    code: str
    name: str
    department: str
    when: Condition
    materials: tuple[MaterialRef, ...]
    notes: str | None = None
    basis: Basis = NO_BASIS


@dataclass(frozen=True)
class Notice:
    when: Condition
    text: str
    basis: Basis = NO_BASIS


@dataclass(frozen=True)
class ScopeRule:
    """A condition every case of the joint service must meet; its ``no`` text says why not."""

    when: Condition
    basis: Basis


@dataclass(frozen=True)
class Referral:
    """Guidance printed for a death outside the joint service (分别办理指引)."""

    text: str
    basis: Basis


@dataclass(frozen=True)
class ApplicantRules:
    """Who may apply, as the region's seed states it. A rule the seed does not state is ``None`` /
    empty here: the checklist then gives at most a hint to the clerk, never a refusal."""

    direct: frozenset[str]
    near: frozenset[str]
    near_only_without_direct: bool
    adult_age: int | None
    min_age_with_own_income: int | None
    materials: tuple[MaterialRef, ...]
    proxy_materials: tuple[MaterialRef, ...]
    specific: bool = False  # 特定关系人 may apply (NX:83)
    proxy_rule: str | None = None  # "sole_relative_incapacitated" (NM:229) or None (not stated)
    basis: Basis = NO_BASIS

    def facts_read(self) -> set[str]:
        read = {"applicant_relationship", "applicant_age", "proxy"}
        if self.specific:
            read.add("applicant_relationship_note")
        if self.near_only_without_direct:
            read.add("has_direct_relative")
        if self.min_age_with_own_income is not None:
            read.add("applicant_own_income")
        if self.proxy_rule == "sole_relative_incapacitated":
            read.add("sole_relative_incapacitated")
        for r in (*self.materials, *self.proxy_materials):
            read |= r.when.facts()
        return read


@dataclass(frozen=True)
class Catalog:
    region: str
    region_code: str
    region_name: str
    name: str
    policy: str
    policy_title: str
    version: str
    departments: dict[str, Department]
    materials: dict[str, Material]
    preconditions: tuple[Precondition, ...]
    matters: tuple[Matter, ...]
    applicant: ApplicantRules
    notices: tuple[Notice, ...]
    source_file: str
    header: Mapping[str, Any] = field(default_factory=dict)
    scope: tuple[ScopeRule, ...] = ()
    referral: Referral | None = None
    deadlines_file: str | None = None  # the configured-deadlines file applied, if any

    def matter(self, code: str) -> Matter:
        for m in self.matters:
            if m.code == code:
                return m
        raise KeyError(code)

    def matters_using(self, fact: str) -> list[str]:
        """Codes of the matters whose eligibility or blockers test ``fact`` (GUI: ask only when it matters)."""
        out = []
        for m in self.matters:
            used = m.when.facts().union(*(r.when.facts() for r in m.requires), *(r.when.facts() for r in m.materials))
            if fact in used:
                out.append(m.code)
        return out

    def fact_questions(self) -> list[tuple[Any, list[str]]]:
        """(FactSpec, codes of the matters it drives) for every fact this region reads, in schema
        order: what the GUI and the CLI ask (together with ``facts_to_ask`` for follow-ups)."""
        read = self.facts_read()
        return [(spec, self.matters_using(name)) for name, spec in FACTS.items() if name in read]

    def facts_used(self) -> set[str]:
        used: set[str] = set()
        for m in self.matters:
            used |= m.when.facts()
            for r in m.requires:
                used |= r.when.facts()
            for r in m.materials:
                used |= r.when.facts()
            used |= set(m.informs)
        return used

    def facts_read(self) -> frozenset[str]:
        """Every fact some rule of this region reads: matters, preconditions, notices, scope, the
        applicant rules, the facts whose answer decides whether those are asked (``ask_when``), and
        the facts every case has (death kind and date, disposal, relationship, age). Only these are
        asked or required in this region."""
        return self._facts_read

    @cached_property
    def _facts_read(self) -> frozenset[str]:  # the catalog is frozen: work it out once
        from houshi_desk.domain.conditions import parse_condition

        read = self.facts_used() | self.applicant.facts_read()
        for p in self.preconditions:
            read |= p.when.facts()
            for r in p.materials:
                read |= r.when.facts()
        for n in self.notices:
            read |= n.when.facts()
        for rule in self.scope:
            read |= rule.when.facts()
        read |= _ALWAYS_READ
        changed = True
        while changed:  # a question asked only when another fact holds needs that fact too
            changed = False
            for name in list(read):
                spec = FACTS[name]
                if spec.ask_when is not None:
                    extra = parse_condition(spec.ask_when, f"facts.{name}.ask_when").facts() - read
                    if extra:
                        read |= extra
                        changed = True
        return frozenset(read)


_ALWAYS_READ = {"death_kind", "death_date", "disposal", "applicant_relationship", "applicant_age"}


# ----------------------------------------------------------------------------------------------
# Loading and validation

_BASIS_KEYS = {"basis": True, "basis_document": False}
_HEADER_KEYS = {"region": True, "region_code": True, "region_name": True, "name": True, "policy": True,
                "policy_title": True, "version": True, "forwarded_by": False, "effective": False,
                "seed": False, "papers_note": False}
_MATTER_KEYS = {"code": True, "name": True, "department": True, "mandatory": True, "when": False,
                "materials": False, "deadline_working_days": False, "deadline_basis": False,
                "deadline_quote": False, "produces": True, "kind": False, "handled_at": False,
                "after": False, "order": False, "order_basis": False, "order_document": False, "deadline_document": False, "requires": False, "notes": False,
                "form_label": False, "proxy_label": False, "proxy_choosable": False, "informs": False, **_BASIS_KEYS}
_MATERIAL_KEYS = {"name": True, "source": True, "description": True, "optional_note": False, "shared_basis": False,
                  **_BASIS_KEYS}
_PRECONDITION_KEYS = {"code": True, "name": True, "department": True, "when": True, "materials": False,
                      "notes": False, **_BASIS_KEYS}
_APPLICANT_KEYS = {"direct": False, "near": True, "specific": False, "near_only_without_direct": False,
                   "adult_age": False, "min_age_with_own_income": False, "proxy_rule": False,
                   "materials": False, "proxy_materials": False, **_BASIS_KEYS}
_SCOPE_KEYS = {"when": True, **_BASIS_KEYS}
_REFERRAL_KEYS = {"text": True, **_BASIS_KEYS}
_NOTICE_KEYS = {"when": True, "text": True, **_BASIS_KEYS}
_TOP_KEYS = {"catalog", "departments", "materials", "preconditions", "matters", "applicant", "notices",
             "scope", "referral"}


class _Loader:
    def __init__(self, file: Path):
        self.file = file

    def err(self, problem: str, matter: str | None = None, key: str | None = None) -> CatalogError:
        return CatalogError(problem, file=self.file, matter=matter, key=key)

    def keys(self, table: Any, spec: dict[str, bool], where: str, matter: str | None = None) -> None:
        if not isinstance(table, dict):
            raise self.err(f"“{where}”应为表。", matter, where)
        for k in table:
            if k not in spec:
                near = difflib.get_close_matches(k, spec, n=1, cutoff=0.6)
                raise self.err(f"未知的键“{k}”" + (f"，是不是“{near[0]}”？" if near else f"；可用的键：{'、'.join(spec)}。"),
                               matter, f"{where}.{k}" if where else k)
        for k, needed in spec.items():
            if needed and k not in table:
                raise self.err(f"缺少必填的键“{k}”。", matter, f"{where}.{k}" if where else k)

    def text(self, table: dict, key: str, where: str, matter: str | None = None, optional: bool = False) -> str | None:
        v = table.get(key)
        if v is None and optional:
            return None
        if not isinstance(v, str) or not v.strip():
            raise self.err(f"“{key}”应为非空文字，实际为 {v!r}。", matter, f"{where}.{key}")
        return v.strip()

    def basis(self, table: dict, where: str, matter: str | None, key: str = "basis",
              doc_key: str = "basis_document") -> Basis:
        """``basis = ["NX:91", "ext:<文号>"]`` or ``basis = "local"`` with ``basis_document``."""
        v = table.get(key)
        hint = ("写成 basis = [\"NM:231\"]（依据文件的行号）、[\"ext:文号\"]（外部规定），"
                f"或 basis = \"local\" 并写 basis_document = \"文号\"（或“{LOCAL_DRAFT}”）")
        if v == "local":
            doc = table.get(doc_key)
            if not isinstance(doc, str) or not doc.strip():
                raise self.err(f"本地规定须写明“{doc_key}”（本地文件文号，或“{LOCAL_DRAFT}”）。", matter, f"{where}.{doc_key}")
            return Basis((), doc.strip())
        if not isinstance(v, list) or not v:
            raise self.err(f"缺少依据“{key}”：每条规则都要写明出处。{hint}。", matter, f"{where}.{key}")
        for c in v:
            if not isinstance(c, str) or not (SEED_CITATION.match(c) or (c.startswith("ext:") and len(c) > 4)):
                raise self.err(f"依据 {c!r} 格式不对：{hint}。", matter, f"{where}.{key}")
        if doc_key in table and table.get(key) != "local":
            raise self.err(f"“{doc_key}”只用于 basis = \"local\"。", matter, f"{where}.{doc_key}")
        return Basis(tuple(v))

    def shared_basis(self, body: dict, where: str, source: str) -> Basis | None:
        """``shared_basis = ["NX:103", ...]``: the seed lines by which the material may come from shared
        data (electronic licence) — only seed lines (a rule about sharing is the seed's, never local),
        and only on a material the family would otherwise bring (申请人提供)."""
        if "shared_basis" not in body:
            return None
        v = body["shared_basis"]
        if not isinstance(v, list) or not v or not all(isinstance(c, str) and SEED_CITATION.match(c) for c in v):
            raise self.err("“shared_basis”应为依据文件行号列表（如 [\"NX:103\"]）：可共享获取须有方案原文为据。",
                           None, f"{where}.shared_basis")
        if source != "申请人提供":
            raise self.err("“shared_basis”只用于来源为“申请人提供”的材料。", None, f"{where}.shared_basis")
        return Basis(tuple(v))

    def cond(self, data: Any, where: str, matter: str | None) -> Condition:
        try:
            return parse_condition(data, where)
        except ConditionError as exc:
            raise self.err(exc.message, matter, exc.where) from None

    def material_refs(self, data: Any, where: str, matter: str | None, materials: dict) -> tuple[MaterialRef, ...]:
        if data is None:
            return ()
        if not isinstance(data, list):
            raise self.err("“materials”应为材料代码列表。", matter, where)
        out, seen = [], set()
        for i, item in enumerate(data):
            if isinstance(item, str):
                code, when = item, ALWAYS
            elif isinstance(item, dict):
                if set(item) - {"material", "when"} or "material" not in item:
                    raise self.err("材料项应为代码文字，或 {material = \"代码\", when = {...}}。", matter, f"{where}[{i}]")
                code = item["material"]
                when = self.cond(item.get("when", {"always": True}), f"{where}[{i}].when", matter)
            else:
                raise self.err(f"材料项 {item!r} 无效。", matter, f"{where}[{i}]")
            if code not in materials:
                near = difflib.get_close_matches(str(code), materials, n=1, cutoff=0.6)
                raise self.err(f"未知的材料代码“{code}”" + (f"，是不是“{near[0]}”？" if near else "；请先在 [materials] 中定义。"),
                               matter, f"{where}[{i}]")
            if code in seen:
                raise self.err(f"材料“{code}”重复列出。", matter, f"{where}[{i}]")
            seen.add(code)
            out.append(MaterialRef(code, when))
        return tuple(out)

    def department(self, table: dict, where: str, matter: str | None, departments: dict) -> str:
        d = table.get("department")
        if d not in departments:
            near = difflib.get_close_matches(str(d), departments, n=1, cutoff=0.6)
            raise self.err(f"未知的部门代码“{d}”" + (f"，是不是“{near[0]}”？" if near else f"；已定义的部门：{'、'.join(departments)}。"),
                           matter, f"{where}.department")
        return d

    def load(self) -> Catalog:
        try:
            raw = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self.err("文件不存在。") from None
        except UnicodeDecodeError:
            raise self.err("文件不是 UTF-8 编码。") from None
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise self.err(f"TOML 格式错误：{exc}") from None
        for k in data:
            if k not in _TOP_KEYS:
                near = difflib.get_close_matches(k, _TOP_KEYS, n=1, cutoff=0.6)
                raise self.err(f"未知的顶层表“{k}”" + (f"，是不是“{near[0]}”？" if near else "。"), key=k)
        for k in ("catalog", "departments", "materials", "matters", "applicant"):
            if k not in data:
                raise self.err(f"缺少“[{k}]”部分。", key=k)

        header = data["catalog"]
        self.keys(header, _HEADER_KEYS, "catalog")
        for k in ("region", "region_code", "region_name", "name", "policy", "policy_title", "version"):
            self.text(header, k, "catalog")

        if not isinstance(data["departments"], dict) or not data["departments"]:
            raise self.err("“[departments]”应为“代码 = 中文名称”的表。", key="departments")
        departments = {}
        for code, name in data["departments"].items():
            if not isinstance(name, str) or not name.strip():
                raise self.err("部门名称应为非空文字。", key=f"departments.{code}")
            departments[code] = Department(code, name.strip())

        if not isinstance(data["materials"], dict) or not data["materials"]:
            raise self.err("“[materials]”应为材料表。", key="materials")
        materials = {}
        for code, body in data["materials"].items():
            where = f"materials.{code}"
            self.keys(body, _MATERIAL_KEYS, where)
            src = body["source"]
            if src not in MATERIAL_SOURCES:
                raise self.err(f"来源 {src!r} 无效，应为：{'、'.join(MATERIAL_SOURCES)}。", key=f"{where}.source")
            materials[code] = Material(code, self.text(body, "name", where), src, self.text(body, "description", where),
                                       self.text(body, "optional_note", where, optional=True),
                                       self.basis(body, where, None), self.shared_basis(body, where, src))

        app = data["applicant"]
        self.keys(app, _APPLICANT_KEYS, "applicant")
        rel_values = set(FACTS["applicant_relationship"].values) - {"specific", "other"}
        for k in ("direct", "near"):
            v = app.get(k, [])
            if not isinstance(v, list) or not all(x in rel_values for x in v):
                raise self.err(f"应为关系代码列表，可用：{'、'.join(sorted(rel_values))}。", key=f"applicant.{k}")
        for k in ("adult_age", "min_age_with_own_income"):
            if k in app and (not isinstance(app[k], int) or isinstance(app[k], bool)):
                raise self.err("应为整数（周岁）。", key=f"applicant.{k}")
        for k in ("near_only_without_direct", "specific"):
            if k in app and not isinstance(app[k], bool):
                raise self.err("应为 true 或 false。", key=f"applicant.{k}")
        if app.get("proxy_rule") not in (None, *PROXY_RULES):
            raise self.err(f"“proxy_rule”只能是 {'、'.join(PROXY_RULES)}，或不写（方案未规定委托条件）。",
                           key="applicant.proxy_rule")
        if "min_age_with_own_income" in app and "adult_age" not in app:
            raise self.err("写了“min_age_with_own_income”就要写“adult_age”。", key="applicant.adult_age")
        applicant = ApplicantRules(
            frozenset(app.get("direct", [])), frozenset(app["near"]), app.get("near_only_without_direct", False),
            app.get("adult_age"), app.get("min_age_with_own_income"),
            self.material_refs(app.get("materials"), "applicant.materials", None, materials),
            self.material_refs(app.get("proxy_materials"), "applicant.proxy_materials", None, materials),
            specific=app.get("specific", False), proxy_rule=app.get("proxy_rule"),
            basis=self.basis(app, "applicant", None),
        )

        preconditions = []
        for i, body in enumerate(data.get("preconditions", [])):
            code = body.get("code") if isinstance(body, dict) else None
            where = f"preconditions[{i}]"
            self.keys(body, _PRECONDITION_KEYS, where, code)
            preconditions.append(Precondition(
                self.text(body, "code", where, code), self.text(body, "name", where, code),
                self.department(body, where, code, departments), self.cond(body["when"], f"{where}.when", code),
                self.material_refs(body.get("materials"), f"{where}.materials", code, materials),
                self.text(body, "notes", where, code, optional=True), self.basis(body, where, code)))

        notices = []
        for i, body in enumerate(data.get("notices", [])):
            where = f"notices[{i}]"
            self.keys(body, _NOTICE_KEYS, where)
            notices.append(Notice(self.cond(body["when"], f"{where}.when", None), self.text(body, "text", where),
                                  self.basis(body, where, None)))

        scope = []
        for i, body in enumerate(data.get("scope", [])):
            where = f"scope[{i}]"
            self.keys(body, _SCOPE_KEYS, where)
            when = self.cond(body["when"], f"{where}.when", None)
            if not when.no:
                raise self.err("范围条件须写“no”：不在联办范围时告诉家属的原因。", None, f"{where}.when.no")
            scope.append(ScopeRule(when, self.basis(body, where, None)))
        referral = None
        if "referral" in data:
            self.keys(data["referral"], _REFERRAL_KEYS, "referral")
            referral = Referral(self.text(data["referral"], "text", "referral"), self.basis(data["referral"], "referral", None))

        if not isinstance(data["matters"], list) or not data["matters"]:
            raise self.err("“[[matters]]”应至少有一个事项。", key="matters")
        matters: list[Matter] = []
        codes: set[str] = {p.code for p in preconditions}
        for i, body in enumerate(data["matters"]):
            code = body.get("code") if isinstance(body, dict) else None
            matters.append(self.matter(body, i, code, departments, materials, codes))

        self.check_order(matters)
        return Catalog(
            region=header["region"].strip(), region_code=header["region_code"].strip(),
            region_name=header["region_name"].strip(), name=header["name"].strip(), policy=header["policy"].strip(),
            policy_title=header["policy_title"].strip(), version=header["version"].strip(),
            departments=departments, materials=materials,
            preconditions=tuple(preconditions), matters=tuple(matters), applicant=applicant,
            notices=tuple(notices), source_file=str(self.file), header=dict(header),
            scope=tuple(scope), referral=referral)

    def matter(self, body, i, code, departments, materials, codes) -> Matter:
        where = f"matters[{i}]"
        self.keys(body, _MATTER_KEYS, where, code)
        code = self.text(body, "code", where, code)
        if code in codes:
            raise self.err("事项代码重复。", code, f"{where}.code")
        codes.add(code)
        mandatory = body["mandatory"]
        if not isinstance(mandatory, bool):
            raise self.err("“mandatory”应为 true（必选）或 false（勾选）。", code, f"{where}.mandatory")
        kind = body.get("kind", "matter")
        if kind not in MATTER_KINDS:
            raise self.err(f"“kind”应为 {'/'.join(MATTER_KINDS)}。", code, f"{where}.kind")
        handled_at = self.text(body, "handled_at", where, code, optional=True)
        if kind == "info" and not handled_at:
            raise self.err("说明性事项（kind = \"info\"）须写明“handled_at”（在哪里办理）。", code, f"{where}.handled_at")
        days = body.get("deadline_working_days")
        deadline_basis = None
        if days is None:
            source = "none"  # the seed sets no limit: nothing is promised (provincial IT may configure one)
            if "deadline_basis" in body or "deadline_quote" in body:
                raise self.err("没有办理时限，就不写时限依据。", code, f"{where}.deadline_basis")
        else:
            if kind == "info":
                raise self.err("说明性事项不设办理时限。", code, f"{where}.deadline_working_days")
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                raise self.err(f"办理时限应为非负整数（工作日），实际为 {days!r}。", code, f"{where}.deadline_working_days")
            source = "policy"
            deadline_basis = self.basis(body, where, code, key="deadline_basis", doc_key="deadline_document")
            if deadline_basis.local:
                raise self.err("目录中的办理时限只能来自依据文件（写明行号）；省级自定的时限写在"
                               " <地区>-deadlines.toml 中。", code, f"{where}.deadline_basis")
        after = body.get("after", [])
        if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
            raise self.err("“after”应为事项代码列表。", code, f"{where}.after")
        order = body.get("order")
        if order not in (None, "last"):
            raise self.err("“order”只能是 \"last\"（最后办理）。", code, f"{where}.order")
        order_basis = None
        if order or after:
            order_basis = self.basis(body, where, code, key="order_basis", doc_key="order_document")
        elif "order_basis" in body:
            raise self.err("没有办理顺序（after / order），就不写顺序依据。", code, f"{where}.order_basis")
        basis = self.basis(body, where, code)
        informs = body.get("informs", [])
        if not isinstance(informs, list) or not all(isinstance(f, str) and f in FACTS for f in informs):
            raise self.err("“informs”应为事实名列表（见 houshi-desk checklist --list-facts）。", code, f"{where}.informs")
        requires = []
        reqs = body.get("requires", [])
        if not isinstance(reqs, list):
            raise self.err("“requires”应为列表，每项 {when = {...}, blocked = \"原因\"}。", code, f"{where}.requires")
        for j, r in enumerate(reqs):
            rw = f"{where}.requires[{j}]"
            self.keys(r, {"when": True, "blocked": True}, rw, code)
            requires.append(Requirement(self.cond(r["when"], f"{rw}.when", code), self.text(r, "blocked", rw, code),
                                        basis=basis))
        for flag in ("proxy_choosable",):
            if flag in body and not isinstance(body[flag], bool):
                raise self.err(f"“{flag}”应为 true 或 false。", code, f"{where}.{flag}")
        return Matter(
            code=code, name=self.text(body, "name", where, code),
            department=self.department(body, where, code, departments), mandatory=mandatory,
            when=self.cond(body.get("when", {"always": True}), f"{where}.when", code),
            materials=self.material_refs(body.get("materials"), f"{where}.materials", code, materials),
            deadline_working_days=days, deadline_source=source, produces=self.text(body, "produces", where, code),
            kind=kind, handled_at=handled_at, after=tuple(after), order=order, requires=tuple(requires),
            notes=self.text(body, "notes", where, code, optional=True),
            deadline_basis=deadline_basis,
            deadline_quote=self.text(body, "deadline_quote", where, code, optional=True),
            extra={k: body[k] for k in ("form_label", "proxy_label", "proxy_choosable") if k in body},
            basis=basis, order_basis=order_basis, informs=tuple(informs),
        )

    def check_order(self, matters: list[Matter]) -> None:
        codes = [m.code for m in matters]
        index = {c: i for i, c in enumerate(codes)}
        for i, m in enumerate(matters):
            for a in m.after:
                if a not in index:
                    near = difflib.get_close_matches(a, codes, n=1, cutoff=0.6)
                    raise self.err(f"“after”引用了未知的事项“{a}”" + (f"，是不是“{near[0]}”？" if near else "。"),
                                   m.code, f"matters[{i}].after")
                if a == m.code:
                    raise self.err("事项不能排在自己之后。", m.code, f"matters[{i}].after")
        graph = predecessors(matters)
        state: dict[str, int] = {}

        def visit(code: str, path: list[str]) -> None:
            if state.get(code) == 2:
                return
            if state.get(code) == 1:
                cycle = path[path.index(code):] + [code]
                raise self.err(f"办理顺序有循环：{' → '.join(cycle)}。", code, f"matters[{index[code]}].after")
            state[code] = 1
            for p in graph[code]:
                visit(p, path + [code])
            state[code] = 2

        for c in codes:
            visit(c, [])


def predecessors(matters: list[Matter] | tuple[Matter, ...]) -> dict[str, list[str]]:
    """code → codes that must be done before it (explicit ``after`` plus ``order = "last"``)."""
    last = {m.code for m in matters if m.order == "last"}
    graph: dict[str, list[str]] = {}
    for m in matters:
        preds = list(m.after)
        if m.order == "last":
            preds += [o.code for o in matters if o.code not in last and o.kind == "matter" and o.code not in preds]
        graph[m.code] = preds
    return graph


def load_catalog_file(path: str | Path) -> Catalog:
    """Load and fully check one catalog file; raise ``CatalogError`` naming file, matter and key."""
    return _Loader(Path(path)).load()


def _catalog_dir() -> Path:
    from houshi_desk.resources import resource_path

    return resource_path("resources", "catalogs")


def known_regions(directory: str | Path | None = None) -> dict[str, Path]:
    """region → newest catalog file (``<region>-<version>.toml``) in the catalog folder."""
    folder = Path(directory) if directory else _catalog_dir()
    found: dict[str, Path] = {}
    for f in sorted(folder.glob("*-*.toml")):
        found[f.name.split("-", 1)[0]] = f  # sorted: the newest version wins
    return found


def check_catalogs() -> dict[str, Catalog]:
    """Load every shipped catalog (start-up check): the first broken one raises ``CatalogError``."""
    return {region: _load_shipped(region) for region in known_regions()}


def deadlines_file(region: str, system_config_dir: str | Path) -> Path:
    """Where provincial IT keeps its configured deadlines: ``<region>-deadlines.toml`` beside the
    system-scope ``settings.toml``."""
    return Path(system_config_dir) / f"{region}-deadlines.toml"


def apply_configured_deadlines(catalog: Catalog, path: str | Path) -> Catalog:
    """The catalog with provincial IT's deadlines applied (``deadline_source = "configured"``).

    The file holds ``[deadlines.<matter_code>] working_days = N`` and ``document = "<文号>"`` (the source
    document is required: a limit without a source is never printed). A matter whose seed already sets a
    limit keeps it; naming such a matter, an unknown matter or an informational row is an error.
    """
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return catalog
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"办理时限文件格式错误：{exc}", file=file) from None
    loader = _Loader(file)
    if set(data) - {"deadlines"}:
        raise loader.err("只能有 [deadlines.<事项代码>] 表。", key=next(iter(set(data) - {"deadlines"})))
    table = data.get("deadlines", {})
    if not isinstance(table, dict):
        raise loader.err("“deadlines”应为表。", key="deadlines")
    by_code = {m.code: m for m in catalog.matters}
    changed = dict(by_code)
    from dataclasses import replace

    for code, body in table.items():
        where = f"deadlines.{code}"
        if code not in by_code:
            near = difflib.get_close_matches(code, by_code, n=1, cutoff=0.6)
            raise loader.err(f"本地区目录中没有事项“{code}”" + (f"，是不是“{near[0]}”？" if near else "。"), code, where)
        m = by_code[code]
        loader.keys(body, {"working_days": True, "document": True}, where, code)
        days = body["working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise loader.err(f"“working_days”应为正整数（工作日），实际为 {days!r}。", code, f"{where}.working_days")
        document = loader.text(body, "document", where, code)
        if m.kind == "info":
            raise loader.err("说明性事项不在窗口办理，不设办理时限。", code, where)
        if m.deadline_source == "policy":
            raise loader.err(f"依据文件已规定本事项 {m.deadline_working_days} 个工作日办结（{m.deadline_basis.text()}），"
                             "不能另设。", code, where)
        changed[code] = replace(m, deadline_working_days=days, deadline_source="configured",
                                deadline_basis=Basis((), document))
    return replace(catalog, matters=tuple(changed[m.code] for m in catalog.matters), deadlines_file=str(file))


def load_catalog(region: str, deadlines: str | Path | None = None) -> Catalog:
    """The shipped catalog of a region ('nm', 'nx', …), loaded once per process; with ``deadlines``
    (a ``<region>-deadlines.toml`` path, see ``deadlines_file``) provincial IT's configured deadlines
    are applied when that file exists."""
    catalog = _load_shipped(region)
    if deadlines is None:
        return catalog
    path = Path(deadlines)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return catalog
    return _with_deadlines(catalog.region, str(path), stamp)


@lru_cache(maxsize=16)
def _with_deadlines(region: str, path: str, _stamp: int) -> Catalog:
    return apply_configured_deadlines(_load_shipped(region), path)


@lru_cache(maxsize=None)
def _load_shipped(region: str) -> Catalog:
    regions = known_regions()
    key = (region or "").strip().lower()
    if key not in regions:
        raise CatalogError(f"未知的地区“{region}”，已有目录的地区：{'、'.join(sorted(regions)) or '无'}。",
                           file=None, key="region", hint="请检查 --region 参数或设置中的地区")
    catalog = load_catalog_file(regions[key])
    if catalog.region != key:
        raise CatalogError(f"文件名表示地区“{key}”，但 [catalog] region 写的是“{catalog.region}”。",
                           file=regions[key], key="catalog.region")
    return catalog


