"""``houshi-desk checklist``: print the checklist of one case (region + facts file) as a Chinese table or JSON.

    houshi-desk checklist --region nm --facts case.json [--today 2025-09-30] [--json]
    houshi-desk checklist --list-facts

The facts file is JSON (or TOML when it ends in .toml). Bad input raises ``HoushiError``; the CLI prints
its Chinese message and exits 2.
"""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checklist", help="根据案件事实生成办理清单（事项、材料、期限）",
                       description="根据地区目录和案件事实，列出每个事项是否适用及原因、办结期限和一套材料。")
    p.add_argument("--region", help="地区目录代码，如 nm（内蒙古）、nx（宁夏）")
    p.add_argument("--facts", metavar="FILE", help="案件事实文件（JSON，或以 .toml 结尾的 TOML）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="受理日期（默认今天），期限从次日起算")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--list-facts", action="store_true", help="列出所有可填写的事实键及问题")
    p.set_defaults(func=run)


def _read_facts(path: str) -> dict:
    import json
    import tomllib
    from pathlib import Path

    from houshi_desk.domain.facts import FactsError

    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise FactsError(f"找不到事实文件 {file}。", hint="请检查文件路径") from None
    except OSError as exc:
        raise FactsError(f"无法读取事实文件 {file}：{exc.strerror}。", hint="请检查文件权限") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FactsError(f"事实文件 {file} 不是 UTF-8 编码。", hint="请用 UTF-8 编码另存后重试") from None
    if file.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FactsError(f"事实文件 {file} 不是有效的 TOML：{exc}。", hint="请改正格式后重试") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsError(f"事实文件 {file} 不是有效的 JSON：第{exc.lineno}行第{exc.colno}列 {exc.msg}。",
                         hint="请改正格式后重试") from None
    if not isinstance(data, dict):
        raise FactsError(f"事实文件 {file} 的内容应为 JSON 对象（{{\"键\": 值}}）。", hint="请改正格式后重试")
    return data


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


_STATUS = {"applicable": "适用", "blocked": "暂缓", "not_applicable": "不适用", "info": "现场办理"}


def render_text(result) -> str:
    lines = [f"地区目录：{result.region}（{result.policy}，版本 {result.catalog_version}）  受理日期：{result.today.isoformat()}",
             f"申请人：{result.applicant.reason}", ""]
    if result.notices:
        lines += [f"提示：{n}" for n in result.notices] + [""]
    pre = [p for p in result.preconditions if p.applicable]
    if pre:
        lines.append("前置条件：" + "；".join(f"{p.name}（{p.department_name}）" for p in pre))
        lines.append("")
    header = ["序号", "事项", "部门", "必选", "状态", "办结期限", "说明"]
    rows = []
    for i, m in enumerate(result.matters, 1):
        due = m.due_date.isoformat() + ("（不确定）" if m.due_date_uncertain else "") if m.due_date else "—"
        rows.append([str(i), m.name if len(m.name) <= 30 else m.name[:29] + "…", m.department_name,
                     "必选" if m.mandatory else "勾选", _STATUS[m.status], due, m.reason])
    widths = [max(_width(r[c]) for r in rows + [header]) for c in range(len(header) - 1)]
    for r in [header] + rows:
        lines.append("  ".join(_pad(r[c], widths[c]) for c in range(len(header) - 1)) + "  " + r[-1])
    names = {"application": "申请"}
    names.update({p.code: "前置条件" for p in result.preconditions})
    names.update({m.code: m.name if len(m.name) <= 14 else m.name[:13] + "…" for m in result.matters})
    lines += ["", "所需材料（一套，每项只交一次）："]
    for i, mat in enumerate(result.materials, 1):
        by = "、".join(names.get(c, c) for c in mat.needed_by)
        note = f"；{mat.optional_note}" if mat.optional_note else ""
        lines.append(f"{i:>2}. {mat.name}［{mat.source}{note}］ 用于：{by}")
    return "\n".join(lines)


def _list_facts() -> str:
    from houshi_desk.domain.facts import FACTS

    lines = []
    for spec in FACTS.values():
        need = "必填" if spec.required else ("视情况必填" if spec.default is None else f"默认 {spec.default!r}")
        vals = f" 可选值：{', '.join(map(str, spec.values))}" if spec.type == "enum" else ""
        lines.append(f"{spec.name:32} {spec.type:7} {need:10} {spec.question}{vals}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import FactsError

    if args.list_facts:
        print(_list_facts())
        return 0
    if not args.region or not args.facts:
        raise FactsError("请同时给出 --region（地区，如 nm 或 nx）和 --facts（案件事实文件）。",
                         hint="例如：houshi-desk checklist --region nm --facts case.json")
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            raise FactsError(f"受理日期 {args.today!r} 无效，应为 YYYY-MM-DD。", key="--today",
                             hint="例如 --today 2025-09-30") from None
    else:
        today = dt.date.today()
    catalog = load_catalog(args.region)
    result = evaluate(catalog, _read_facts(args.facts), today)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0
