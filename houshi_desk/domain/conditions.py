"""The declarative condition language of the catalogs: parse, check against the facts schema, evaluate.

A condition is plain data (a TOML inline table), never code:

* leaf:  ``{fact = "pension_type", eq = "urban_rural"}`` with exactly one operator among
  ``eq ne in not_in gt ge lt le is_true``;
* group: ``{all = [...]}``, ``{any = [...]}``, ``{not = {...}}``;
* constant: ``{always = true}``.

Any node may carry ``yes = "…"`` and ``no = "…"``: the Chinese sentence shown when the node holds /
fails ("适用：<yes>" / "不适用：<no>"). Without them the text is derived: a leaf describes the
fact's *actual* value ("逝者未持有机动车驾驶证"), ``all`` joins its parts when true and gives the
first failing part when false, ``any`` the reverse, ``not`` swaps.

Public API: ``parse_condition(data, where) -> Condition``, ``Condition.test(facts) -> bool``,
``Condition.explain(facts) -> (bool, str)``, ``Condition.facts() -> set[str]``, ``ConditionError``.
"""
from __future__ import annotations

import datetime as _dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from houshi_desk.domain.fact_schema import FACTS, suggest_key

OPERATORS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "is_true")
GROUPS = ("all", "any", "not", "always")
TEXT_KEYS = ("yes", "no")


class ConditionError(ValueError):
    """A malformed condition; ``where`` is the dotted key path, ``message`` is Chinese."""

    def __init__(self, message: str, where: str):
        super().__init__(f"{where}: {message}")
        self.message = message
        self.where = where


def _join(parts: list[str]) -> str:
    seen: list[str] = []
    for p in parts:
        if p and p not in seen:
            seen.append(p)
    return "，".join(seen)


@dataclass(frozen=True)
class Condition(ABC):
    yes: str | None
    no: str | None

    @abstractmethod
    def test(self, facts: Mapping[str, Any]) -> bool: ...

    @abstractmethod
    def _explain(self, facts: Mapping[str, Any]) -> tuple[bool, str]: ...

    def explain(self, facts: Mapping[str, Any]) -> tuple[bool, str]:
        ok, text = self._explain(facts)
        override = self.yes if ok else self.no
        return ok, override if override else text

    @abstractmethod
    def facts(self) -> set[str]: ...


@dataclass(frozen=True)
class Always(Condition):
    value: bool

    def test(self, facts):
        return self.value

    def _explain(self, facts):
        return self.value, ""

    def facts(self):
        return set()


@dataclass(frozen=True)
class Leaf(Condition):
    fact: str
    op: str
    operand: Any

    def test(self, facts):
        v = facts[self.fact]
        o = self.operand
        op = self.op
        if op == "eq" or op == "is_true":
            return v == o
        if op == "ne":
            return v != o
        if op == "in":
            return v in o
        if op == "not_in":
            return v not in o
        if op == "gt":
            return v > o
        if op == "ge":
            return v >= o
        if op == "lt":
            return v < o
        return v <= o  # le

    def _explain(self, facts):
        spec = FACTS[self.fact]
        v = facts[self.fact]
        ok = self.test(facts)
        if spec.type in ("bool", "enum"):
            text = spec.describe(v)
            if spec.type == "enum":
                text = f"{spec.label}为{text}"
        elif spec.type == "list":
            text = f"{spec.label}：{'、'.join(v) if v else '无'}"
        else:
            text = f"{spec.label}为{spec.describe(v)}"
        return ok, text

    def facts(self):
        return {self.fact}


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def test(self, facts):
        return all(p.test(facts) for p in self.parts)

    def _explain(self, facts):
        texts = []
        for p in self.parts:
            ok, t = p.explain(facts)
            if not ok:
                return False, t
            texts.append(t)
        return True, _join(texts)

    def facts(self):
        return set().union(*(p.facts() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def test(self, facts):
        return any(p.test(facts) for p in self.parts)

    def _explain(self, facts):
        texts = []
        for p in self.parts:
            ok, t = p.explain(facts)
            if ok:
                return True, t
            texts.append(t)
        return False, _join(texts)

    def facts(self):
        return set().union(*(p.facts() for p in self.parts))


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def test(self, facts):
        return not self.part.test(facts)

    def _explain(self, facts):
        ok, t = self.part.explain(facts)
        return not ok, t

    def facts(self):
        return self.part.facts()


ALWAYS = Always(None, None, True)


def _check_operand(fact: str, op: str, operand: Any, where: str) -> Any:
    spec = FACTS[fact]
    t = spec.type

    def bad(expected: str) -> ConditionError:
        return ConditionError(f"事实“{fact}”是{t}类型，运算“{op}”的值 {operand!r} 不对，应为{expected}。", f"{where}.{op}")

    def one(value: Any) -> Any:
        if t == "bool":
            if not isinstance(value, bool):
                raise bad("true 或 false")
        elif t in ("int", "number"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise bad("数字")
        elif t == "enum":
            if value not in spec.values:
                raise bad("以下之一：" + "、".join(map(str, spec.values)))
        elif t == "date":
            if isinstance(value, str):
                try:
                    value = _dt.date.fromisoformat(value)
                except ValueError:
                    raise bad("日期 YYYY-MM-DD") from None
            if not isinstance(value, _dt.date):
                raise bad("日期 YYYY-MM-DD")
        elif t in ("str", "list"):
            if not isinstance(value, str):
                raise bad("文字")
        return value

    if t == "list" and op not in ("eq", "ne"):
        raise ConditionError(f"列表类事实“{fact}”只能用 eq/ne 与一个列表比较（如 ne = []）。", f"{where}.{op}")
    if op == "is_true":
        if t != "bool":
            raise ConditionError(f"运算“is_true”只能用于是/否类事实，“{fact}”是{t}类型。", f"{where}.{op}")
        return one(operand)
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            raise bad("非空列表")
        return frozenset(one(v) for v in operand)
    if op in ("gt", "ge", "lt", "le"):
        if t not in ("int", "number", "date"):
            raise ConditionError(f"运算“{op}”只能用于数字或日期类事实，“{fact}”是{t}类型。", f"{where}.{op}")
        return one(operand)
    if t == "list":
        # A list fact is compared as a whole, e.g. ``{fact = "deposit_banks", ne = []}`` (has any).
        if op not in ("eq", "ne") or not isinstance(operand, list):
            raise ConditionError(f"列表类事实“{fact}”只能用 eq/ne 与一个列表比较（如 ne = []）。", f"{where}.{op}")
        return [one(v) for v in operand]
    return one(operand)


def parse_condition(data: Any, where: str = "when") -> Condition:
    """Turn catalog data into a ``Condition``; raise ``ConditionError`` (naming the key path) if malformed."""
    if isinstance(data, Condition):
        return data
    if not isinstance(data, Mapping):
        raise ConditionError(f"条件应为表（如 {{fact = \"...\", eq = ...}}），实际为 {data!r}。", where)
    keys = set(data)
    texts = {k: data[k] for k in TEXT_KEYS if k in data}
    for k, v in texts.items():
        if not isinstance(v, str) or not v.strip():
            raise ConditionError(f"说明文字“{k}”应为非空文字。", f"{where}.{k}")
    yes, no = texts.get("yes"), texts.get("no")
    rest = keys - set(TEXT_KEYS)
    groups = rest & set(GROUPS)
    if groups:
        if len(groups) > 1 or rest - groups:
            raise ConditionError(f"一个条件节点只能有一种组合（all/any/not/always），这里有：{', '.join(sorted(rest))}。", where)
        g = groups.pop()
        v = data[g]
        if g == "always":
            if not isinstance(v, bool):
                raise ConditionError("“always”的值应为 true 或 false。", f"{where}.always")
            return Always(yes, no, v)
        if g == "not":
            return Not(yes, no, parse_condition(v, f"{where}.not"))
        if not isinstance(v, list) or not v:
            raise ConditionError(f"“{g}”应为非空的条件列表。", f"{where}.{g}")
        parts = tuple(parse_condition(p, f"{where}.{g}[{i}]") for i, p in enumerate(v))
        return (All if g == "all" else AnyOf)(yes, no, parts)
    if "fact" not in rest:
        unknown = sorted(rest)
        raise ConditionError(
            f"未知的条件写法：{', '.join(unknown) or '空表'}；叶子条件需要 fact 和一个运算（{'/'.join(OPERATORS)}），"
            f"组合条件用 all/any/not。", where)
    fact = data["fact"]
    if not isinstance(fact, str) or fact not in FACTS:
        near = suggest_key(str(fact))
        raise ConditionError(f"未知的事实名“{fact}”" + (f"，是不是“{near}”？" if near else "。"), f"{where}.fact")
    ops = rest - {"fact"}
    unknown_ops = ops - set(OPERATORS)
    if unknown_ops:
        raise ConditionError(f"未知的运算“{'、'.join(sorted(unknown_ops))}”，可用：{'、'.join(OPERATORS)}。",
                             f"{where}.{sorted(unknown_ops)[0]}")
    if len(ops) != 1:
        raise ConditionError(f"叶子条件需要恰好一个运算（{'/'.join(OPERATORS)}），这里有 {len(ops)} 个。", where)
    op = ops.pop()
    return Leaf(yes, no, fact, op, _check_operand(fact, op, data[op], where))
