"""The case facts: the one schema of what the clerk asks, and validation of a facts dict.

Every fact the catalogs may test is declared here once (``FACTS``): its type, allowed values, the
Chinese question the clerk asks, the Chinese label used in derived reasons, whether it must always be
answered, its default, and ``ask_when`` (a condition over other facts: the question only matters then,
so the GUI asks it only then). Which matters a fact drives is read from the catalog
(``Catalog.matters_using(fact)``), so adding a matter never needs a change here.

Required vs default-able (documented policy):

* Always required (no sensible default): ``death_kind``, ``death_date``, ``disposal``,
  ``applicant_relationship``, ``applicant_age``.
* "Did the deceased have X" facts default to "no" / ``none``; the checklist then says e.g.
  "不适用：逝者未持有机动车驾驶证", which the clerk reads to the family, so a wrong default is caught
  in the conversation rather than hidden.
* Follow-up facts that decide a money matter or whether it may go ahead (already drawing the pension,
  dependent survivors, account balance, bills settled, fund loan/guarantee/frozen/sealed, kind of
  entitled group, applicant's own income, the sole relative being ill, …) have **no default**: they
  are required whenever their ``ask_when`` holds, and take the harmless value otherwise.

A value of ``null``/``None`` counts as not given. Unknown keys are refused (with the nearest known
key suggested), so a typo never silently drops an answer.

Only the facts a region's rules read are asked or required there (``read=Catalog.facts_read()``);
the schema itself lives in ``houshi_desk.domain.fact_schema``.

Public API: ``FACTS`` (name → ``FactSpec``), ``validate_facts(facts, today=None, read=None) -> Facts``,
``FactsError``, ``fact_names()``, ``facts_to_ask(facts_so_far, read=None)``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from houshi_desk.domain.conditions import parse_condition
from houshi_desk.domain.fact_schema import FACT_TYPES, FACTS, RETIRED_FACTS, FactSpec, fact_names, suggest_key
from houshi_desk.errors import HoushiError

__all__ = ["FACT_TYPES", "FACTS", "FactSpec", "Facts", "FactsError", "fact_names", "facts_to_ask",
           "suggest_key", "validate_facts"]


class FactsError(HoushiError):
    """A facts dict is incomplete or wrong; ``key`` names the fact."""

    def __init__(self, message: str, *, key: str | None = None, hint: str | None = None):
        super().__init__(message, detail=f"fact={key}" if key else None, hint=hint)
        self.key = key


class Facts(Mapping[str, Any]):
    """Validated, complete facts: every key of ``FACTS`` present with a value of the right type."""

    __slots__ = ("_values", "given")

    def __init__(self, values: dict[str, Any], given: frozenset[str]):
        self._values = values
        self.given = given  # keys the caller supplied (the rest were defaulted)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def to_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in self._values.items()}

    def __repr__(self) -> str:
        return f"Facts({self._values!r})"


def _type_word(spec: FactSpec) -> str:
    return {
        "bool": "是/否（true 或 false）",
        "int": "整数",
        "number": "数字",
        "enum": "以下之一：" + "、".join(f"{k}（{v}）" for k, v in spec.values.items()),
        "date": "日期，格式 YYYY-MM-DD",
        "str": "文字",
        "list": "文字列表",
    }[spec.type]


def _coerce(spec: FactSpec, value: Any) -> Any:
    """Return the value in its canonical Python type, or raise FactsError naming the key."""
    name = spec.name

    def wrong() -> FactsError:
        return FactsError(f"事实“{name}”（{spec.label}）的值 {value!r} 类型不对，应为{_type_word(spec)}。",
                          key=name, hint="请改正后重新提交")

    t = spec.type
    if t == "bool":
        if not isinstance(value, bool):
            raise wrong()
        return value
    if t in ("int", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong()
        if t == "int" and isinstance(value, float):
            if not value.is_integer():
                raise wrong()
            value = int(value)
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            raise FactsError(f"事实“{name}”（{spec.label}）的值 {value} 超出合理范围"
                             f"（{spec.minimum:g}～{spec.maximum if spec.maximum is not None else '不限'}）。",
                             key=name, hint="请核对后重新填写")
        return value
    if t == "enum":
        if not isinstance(value, str) or value not in spec.values:
            raise FactsError(f"事实“{name}”（{spec.label}）的值 {value!r} 无效，应为{_type_word(spec)}。",
                             key=name, hint="请从可选值中选择")
        return value
    if t == "date":
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if not isinstance(value, str):
            raise wrong()
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FactsError(f"事实“{name}”（{spec.label}）的日期 {value!r} 无效，应为真实存在的日期，格式 YYYY-MM-DD。",
                             key=name, hint="例如 2025-09-30") from None
    if t == "str":
        if not isinstance(value, str):
            raise wrong()
        return value
    if t == "list":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise wrong()
        return list(value)
    raise AssertionError(t)  # pragma: no cover - FACT_TYPES is closed


def validate_facts(facts: Mapping[str, Any], today: _dt.date | None = None,
                   read: Collection[str] | None = None) -> Facts:
    """Check a facts dict and fill defaults; raise ``FactsError`` (Chinese, naming the key) if wrong.

    ``read`` is the set of facts the region's rules read (``Catalog.facts_read()``): only those are
    required or checked; a known fact the region does not read is ignored (a facts file written for
    the other region is not an error) and takes its harmless value. ``None`` reads every fact.
    Unknown keys are refused with the closest known key suggested (a typo must not silently drop a
    fact). ``today``, when given, also refuses a death date in the future.
    """
    if not isinstance(facts, Mapping):
        raise FactsError("案件事实应为“键: 值”形式的对象（JSON 对象或 TOML 表）。", hint="请检查事实文件的格式")
    facts = {k: v for k, v in facts.items() if k not in RETIRED_FACTS}
    for key in facts:
        if key not in FACTS:
            near = suggest_key(str(key))
            raise FactsError(f"未知的事实“{key}”。" + (f"您是不是要填“{near}”（{FACTS[near].label}）？" if near else ""),
                             key=str(key), hint="请改正键名；可用的键见 houshi-desk checklist --list-facts")
    wanted = set(FACTS) if read is None else set(read)
    values: dict[str, Any] = {}
    for name, spec in FACTS.items():
        if name in wanted and name in facts and facts[name] is not None:
            values[name] = _coerce(spec, facts[name])
    # Second pass: required / dependent facts, in schema order so ask_when sees earlier answers.
    for name, spec in FACTS.items():
        if name in values:
            continue
        if name not in wanted:
            values[name] = _harmless(spec) if spec.default is None else _copy(spec.default)
            continue
        if spec.required:
            raise FactsError(f"缺少必填事实“{name}”：{spec.question}", key=name, hint="请补充后重新提交")
        asked = True
        if spec.ask_when is not None:
            asked = parse_condition(spec.ask_when, where=f"facts.{name}.ask_when").test(values)
        if spec.default is None:
            if asked:
                raise FactsError(f"缺少事实“{name}”：{spec.question}（根据已填情况，此项必须回答）",
                                 key=name, hint="请补充后重新提交")
            values[name] = _harmless(spec)
        else:
            values[name] = _copy(spec.default)
    if today is not None and values["death_date"] > today:
        raise FactsError(f"死亡日期（death_date）{values['death_date'].isoformat()} 晚于今天（{today.isoformat()}），请核对死亡证明。",
                         key="death_date")
    return Facts(values, frozenset(k for k in facts if facts[k] is not None and k in wanted))


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _harmless(spec: FactSpec) -> Any:
    """Value of a dependent fact whose question does not arise (e.g. loan when there is no fund)."""
    if spec.type == "enum":
        return "none" if "none" in spec.values else next(iter(spec.values))
    return {"bool": False, "number": 0, "int": 0, "list": []}.get(spec.type, "")


def facts_to_ask(answers: Mapping[str, Any], read: Collection[str] | None = None) -> list[FactSpec]:
    """The questions that matter given the answers so far, in schema order (for "ask only when it matters").

    ``read``: the facts the region's rules read (``Catalog.facts_read()``); a fact outside it is never
    asked. An answer that is itself invalid is ignored here; ``validate_facts`` reports it.
    """
    wanted = set(FACTS) if read is None else set(read)
    known: dict[str, Any] = {}
    for name, spec in FACTS.items():
        if name in wanted and answers.get(name) is not None:
            try:
                known[name] = _coerce(spec, answers[name])
            except FactsError:
                pass
    out = []
    for name, spec in FACTS.items():
        if name not in wanted:
            continue
        if spec.ask_when is None:
            out.append(spec)
            continue
        cond = parse_condition(spec.ask_when, where=f"facts.{name}.ask_when")
        if all(f in known for f in cond.facts()) and cond.test(known):
            out.append(spec)
    return out
