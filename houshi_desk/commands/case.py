"""``houshi-desk case new|show|search|submit`` — open and look at cases without the window."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from houshi_desk.errors import HoushiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case", help="新建、查看、查找、提交案件")
    csub = p.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    new = csub.add_parser("new", help="从 JSON 文件新建案件，打印受理编号")
    new.add_argument("--from", dest="source", required=True, type=Path, help="案件 JSON（见 README）")
    new.add_argument("--today", type=date.fromisoformat, help="受理日期（默认今天）")
    new.add_argument("--clerk", default="", help="经办人（默认当前登录用户）")
    new.add_argument("--submit", action="store_true", help="保存后立即提交至省级平台（写入待发队列）")
    new.add_argument("--override-reason", default="", help="申请人证件过期仍继续受理时登记的原因")
    new.set_defaults(func=_new)

    show = csub.add_parser("show", help="显示一个案件")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    show.add_argument("--full", action="store_true", help="显示完整证件号码（默认遮蔽）")
    show.add_argument("--reason", default="", help="查看原因（记入审计）")
    show.set_defaults(func=_show)

    find = csub.add_parser("search", help="按受理编号、证件号码或姓名查找")
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=50)
    find.add_argument("--json", action="store_true")
    find.set_defaults(func=_search)

    submit = csub.add_parser("submit", help="提交案件至省级平台（写入待发队列）")
    submit.add_argument("number")
    submit.add_argument("--clerk", default="")
    submit.set_defaults(func=_submit)


def _clerk(settings, given: str) -> str:
    if given:
        return given
    try:
        from houshi_desk.users import current_user
    except ImportError:
        return "cli"
    user = current_user(settings)
    return user.username if user else "cli"


def _new(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import case_from_dict, create_case
    from houshi_desk.store.db import open_store

    try:
        data = json.loads(args.source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HoushiError(f"找不到案件文件：{args.source}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise HoushiError(f"案件文件不是有效的 JSON：{args.source}：{exc}") from exc
    settings = load_settings()
    case = case_from_dict(data, region=settings.get("office.region"))
    store = open_store(settings)
    try:
        number = create_case(
            store, case, settings=settings, today=args.today or date.today(),
            clerk=_clerk(settings, args.clerk), submit=args.submit, override_reason=args.override_reason,
        )
    finally:
        store.close()
    print(number)
    return 0


def case_to_json(case, *, full: bool) -> dict:
    def party(p):
        if p is None:
            return None
        return {
            **p.identity.to_dict(full=full),
            "phone": p.phone,
            "contact_address": p.address,
            "employer": p.employer,
            "bank_account": p.bank_account if full else ("****" + p.bank_account[-4:] if p.bank_account else ""),
            "bank_name": p.bank_name,
            "relationship": p.relationship.value if p.relationship else None,
        }

    d = case.death
    return {
        "number": case.number,
        "region": case.region,
        "status": case.status.value,
        "clerk": case.clerk,
        "application_date": case.application_date.isoformat() if case.application_date else None,
        "deceased": party(case.deceased),
        "applicant": party(case.applicant),
        "proxy": party(case.proxy),
        "death": {
            "kind": d.kind.value, "died_at": d.died_at.isoformat(timespec="minutes"), "place": d.place,
            "proof_number": d.proof_number, "disposal": d.disposal.value,
            "disposal_proof_number": d.disposal_proof_number,
            "disposal_date": d.disposal_date.isoformat() if d.disposal_date else None,
        },
        "facts": case.facts,
        "matters": [
            {"code": m.code, "applicable": m.applicable, "mandatory": m.mandatory, "chosen": m.chosen,
             "status": m.status.value, "due_date": m.due_date.isoformat() if m.due_date else None,
             "reason": m.reason, "result": m.result}
            for m in case.matters
        ],
        "materials": [{"code": m.code, "state": m.state.value} for m in case.materials],
    }


def _show(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.services.cases import load_case
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        with store.session(write=True) as s:
            case = load_case(s, args.number, actor=_clerk(settings, ""), reason=args.reason or "命令行查看")
    finally:
        store.close()
    data = case_to_json(case, full=args.full)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    catalog = load_catalog(case.region)
    names = {m.code: m.name for m in catalog.matters}
    material_names = {code: m.name for code, m in catalog.materials.items()}
    print(f"受理编号：{case.number}    状态：{case.status.label}    受理日期：{data['application_date']}    经办：{case.clerk}")
    for label, p in (("逝者", data["deceased"]), ("申请人", data["applicant"]), ("受托人", data["proxy"])):
        if p:
            print(f"{label}：{p['name']}  {p['id_number']}  {p['sex']}  出生 {p['birth_date']}")
    print(f"死亡：{case.death.kind.label} {data['death']['died_at']} {case.death.place}；{case.death.disposal.label}")
    print("事项：")
    for m in case.matters:
        if m.applicable:
            due = f"  应办结 {m.due_date.isoformat()}" if m.due_date else ""
            print(f"  [{'x' if m.chosen else ' '}] {names.get(m.code, m.code)} — {m.status.label}{due}")
    print("材料：")
    for m in case.materials:
        print(f"  {material_names.get(m.code, m.code)}：{m.state.label}")
    return 0


def _search(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import search_cases
    from houshi_desk.store.db import open_store

    store = open_store(load_settings())
    try:
        with store.session() as s:
            found = search_cases(s, args.text, limit=args.limit)
    finally:
        store.close()
    if args.json:
        json.dump([{"number": c.number, "status": c.status, "application_date": c.application_date.isoformat(),
                    "deceased_name": c.deceased_name, "deceased_id": c.deceased_id_masked} for c in found],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for c in found:
            print(f"{c.number}  {c.application_date}  {c.deceased_name}  {c.deceased_id_masked}  {c.status}")
        if not found:
            print("没有找到符合条件的案件。")
    return 0


def _submit(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import submit_case
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        submit_case(store, args.number, clerk=_clerk(settings, args.clerk))
    finally:
        store.close()
    print(f"已提交：{args.number}（写入待发队列，联网后自动发送）")
    return 0
