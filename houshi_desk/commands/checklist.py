"""``houshi-desk checklist``: print the checklist of one case (region + facts file) as a Chinese table or JSON.

    houshi-desk checklist --region nm --facts case.json [--today 2025-09-30] [--json]
    houshi-desk checklist --list-facts [--region nx]

Out of the region's scope (e.g. a death abroad) it still exits 0: every matter is listed as not
applicable with the scope reason, and ``scope.referral`` says which departments to visit one by one.
Deadlines configured by provincial IT (``<region>-deadlines.toml`` beside the system settings file)
are applied; nothing else is dated.

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
    p.add_argument("--referral-pdf", metavar="OUT",
                   help="不在联办范围时，把分别办理指引写成 PDF（文件权限 0600）")
    p.add_argument("--list-facts", action="store_true",
                   help="列出可填写的事实键及问题；加 --region 只列该地区规则用到的事实")
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
    lines = [f"地区目录：{result.region}（{result.policy}，版本 {result.catalog_version}）  受理日期：{result.today.isoformat()}"]
    if result.scope and not result.scope.in_scope:
        lines += ["", f"不在联办范围：{result.scope.reason}", result.scope.referral_text or "请分别到以下部门办理："]
        for d in result.scope.referral:
            lines.append(f"  {d['department_name']}：" + "、".join(d["materials"]))
        lines.append("")
    lines += [f"申请人：{result.applicant.reason}"] + list(result.applicant.hints) + [""]
    if result.notices:
        lines += [f"提示：{n}" for n in result.notices] + [""]
    pre = [p for p in result.preconditions if p.applicable]
    if pre:
        lines.append("前置条件：" + "；".join(f"{p.name}（{p.department_name}）" for p in pre))
        lines.append("")
    header = ["序号", "事项", "部门", "必选", "状态", "办结期限", "说明"]
    rows = []
    for i, m in enumerate(result.matters, 1):
        due = (m.due_date.isoformat() + ("（不确定）" if m.due_date_uncertain else "") if m.due_date
               else ("按部门规定" if m.status in ("applicable", "blocked") else "—"))
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


def _list_facts(region: str | None) -> str:
    """R's facts with ``--region R``; otherwise every fact with a column naming the regions that read it."""
    from houshi_desk.domain.catalog import known_regions, load_catalog
    from houshi_desk.domain.facts import FACTS

    if region:
        read = load_catalog(region).facts_read()
        specs = [spec for name, spec in FACTS.items() if name in read]
    else:
        by_region = {r: load_catalog(r).facts_read() for r in sorted(known_regions())}
        specs = list(FACTS.values())
    lines = []
    if not region:
        lines.append(f"{'事实键':29} {'类型':5} {'地区':8} {'是否必填':8} 问题")
    for spec in specs:
        need = "必填" if spec.required else ("视情况必填" if spec.default is None else f"默认 {spec.default!r}")
        vals = f" 可选值：{', '.join(map(str, spec.values))}" if spec.type == "enum" else ""
        regions = "" if region else f"{','.join(r for r, read in by_region.items() if spec.name in read) or '-':8} "
        lines.append(f"{spec.name:32} {spec.type:7} {regions}{need:10} {spec.question}{vals}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import FactsError

    if args.list_facts:
        print(_list_facts(args.region))
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
    from houshi_desk.config import load_settings
    from houshi_desk.domain.catalog import deadlines_file

    settings = load_settings()
    region = args.region.strip().lower()
    catalog = load_catalog(region, deadlines_file(region, settings.paths.system_config_file.parent))
    result = evaluate(catalog, _read_facts(args.facts), today)
    if args.referral_pdf:
        _write_referral(args.referral_pdf, result, catalog, settings, today)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def _write_referral(out: str, result, catalog, settings, today) -> None:
    import os
    from pathlib import Path

    from houshi_desk.documents import Office
    from houshi_desk.documents.referral import render_referral
    from houshi_desk.domain.facts import FactsError

    if result.scope.in_scope:
        raise FactsError("本案在联办范围内，不需要分别办理指引。", hint="去掉 --referral-pdf 即可")
    path = Path(out)
    if not path.parent.is_dir():
        raise FactsError(f"保存目录不存在：{path.parent}。", hint="请先建立目录，或换一个保存位置")
    doc = render_referral(result, catalog, office=Office.from_settings(settings), today=today)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(doc.pdf)
