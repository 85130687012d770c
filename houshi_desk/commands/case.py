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
    new.add_argument("--today", type=_day, help="受理日期（默认今天；仅演示和测试模式可用）")
    new.add_argument("--submit", action="store_true", help="保存后立即提交至省级平台（写入待发队列）")
    new.add_argument("--override-reason", default="", help="申请人证件过期仍继续受理时登记的原因")
    new.add_argument("--override-duplicate", default="", metavar="REASON",
                     help="逝者已有受理中的案件仍另行受理时登记的原因（须主管登录；记入审计）")
    new.set_defaults(func=_new)

    show = csub.add_parser("show", help="显示一个案件")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    show.add_argument("--full", action="store_true", help="显示完整证件号码（默认遮蔽；需主管权限和 --reason）")
    show.add_argument("--reason", default="", help="查看原因（记入审计；--full 时必填）")
    show.set_defaults(func=_show)

    find = csub.add_parser("search", help="按受理编号、证件号码或姓名查找")
    find.add_argument("text")
    find.add_argument("--limit", type=_limit, default=50)
    find.add_argument("--json", action="store_true")
    find.set_defaults(func=_search)

    submit = csub.add_parser("submit", help="提交案件至省级平台（写入待发队列）")
    submit.add_argument("number")
    submit.set_defaults(func=_submit)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，例如 2026-01-22：{text!r}") from None


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 1 到 1000 之间的整数：{text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"应为 1 到 1000 之间的整数：{text!r}")
    return value


def case_from_file(path: Path, region: str):
    """The domain case in a case file; every way the file can be wrong is a HoushiError (exit 2)."""
    from houshi_desk.commands._input import read_json_file
    from houshi_desk.services.cases import case_from_dict

    data = read_json_file(path)
    try:
        return case_from_dict(data, region=region)
    except HoushiError:
        raise
    except (TypeError, AttributeError, KeyError, ValueError, OverflowError) as exc:
        # e.g. "facts": [1, 2] or "deceased": "张三": the file's shape, not a program fault
        raise HoushiError(f"案件文件“{path}”的内容结构不对：某一部分的类型与样例不同（如 facts 应为对象 {{…}}）。"
                          "请参照 README 中的样例改正后重试。", detail=f"{type(exc).__name__}: {exc}") from None


def _new(args) -> int:
    from houshi_desk import audit
    from houshi_desk.config import load_settings
    from houshi_desk.services.cases import create_case
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in, office_mode, refuse_backdating, require_login_token

    settings = load_settings()
    require_login_token(settings, Permission.CASE_CREATE)  # nobody logged in: refused before anything is read
    if args.today is not None and args.today != date.today():
        refuse_backdating(settings)
    case = case_from_file(args.source, settings.office_region)
    with logged_in(Permission.CASE_CREATE, settings) as (settings, store, user):
        today = args.today or date.today()
        from houshi_desk.services.case_numbers import check_before_new_case
        from houshi_desk.services.cases import DuplicateCase, DuplicateOverride, submit_case
        from houshi_desk.services.shared import platform_duplicate_cases, record_duplicate_override

        duplicate = None
        if args.override_duplicate.strip():
            from houshi_desk.users import require_role

            require_role(user, "supervisor")  # a clerk is told a supervisor must decide
            duplicate = DuplicateOverride(args.override_duplicate.strip(), user.username)
        # issue 15: open cases of this deceased elsewhere in the province (the platform's answer)
        elsewhere = platform_duplicate_cases(settings, case.deceased.identity.id_number)
        if elsewhere and duplicate is None:
            raise DuplicateCase(elsewhere)
        # no sync need be running here: the day's numbers are checked with the platform once, first
        numbers = check_before_new_case(store, settings, today, actor=user.username)
        if numbers is not None and (not numbers.checked or numbers.raised):
            print(numbers.message, file=sys.stderr)  # stdout stays the case number alone
        number = create_case(
            store, case, settings=settings, today=today,
            clerk=user.username, submit=args.submit and not elsewhere, override_reason=args.override_reason,
            duplicate_override=duplicate,
        )
        if elsewhere:  # the override goes on the trail before the case is frozen for the platform
            record_duplicate_override(store, number, duplicate, elsewhere)
            if args.submit:
                submit_case(store, number, clerk=user.username)
        if today != date.today():
            with store.session(write=True) as s:
                audit.record(s, actor=user.username, action="backdate", case_number=number,
                             detail=f"{office_mode(settings)} 模式下指定受理日期 {today.isoformat()}（实际 {date.today().isoformat()}）")
    print(number)
    return 0


def case_to_json(case, *, full: bool) -> dict:
    from houshi_desk.domain.case import PartyRole

    def party(p):
        if p is None:
            return None
        out = {
            **p.identity.to_dict(full=full),
            "phone": p.phone,
            "contact_address": p.address,
            "employer": p.employer,
            "bank_account": p.bank_account if full else ("****" + p.bank_account[-4:] if p.bank_account else ""),
            "bank_name": p.bank_name,
            "relationship": p.relationship.value if p.relationship else None,
            "relationship_note": p.relationship_note,
            "note": p.note,
        }
        if p.role is PartyRole.PROXY:
            # a proxy's top-level valid_from/valid_to are the authorisation period (委托期限); the
            # card's own validity is under "identity" (and id_valid_from/id_valid_to, the flat form)
            ident = p.identity.to_dict(full=full)
            out.update({
                "identity": ident,
                "id_valid_from": ident["valid_from"], "id_valid_to": ident["valid_to"],
                "valid_from": p.authorised_from.isoformat() if p.authorised_from else None,
                "valid_to": p.authorised_to.isoformat() if p.authorised_to else None,
            })
        return out

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
        "delivery": case.delivery.to_json(),
        "catalog_version": case.catalog_version,
        # the hall's queue (issue 17): the ticket the family was called with, when it was called, when
        # the case was accepted (served) and when the ticket was closed; all null without a queue
        "ticket": case.ticket,
        "called_at": _at(case.called_at),
        "served_at": _at(case.served_at),
        "finished_at": _at(case.finished_at),
    }


def _at(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _show(args) -> int:
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.services.case_view import show_case
    from houshi_desk.users import Permission, require_role
    from houshi_desk.users.cli_support import logged_in
    from houshi_desk.users.errors import UserError

    reason = args.reason.strip()
    if args.full and not reason:
        raise UserError("显示完整证件号码需要说明原因：请加 --reason \"原因\"（记入审计），并由主管登录后操作。")
    with logged_in(Permission.CASE_VIEW) as (settings, store, user):
        if args.full:
            require_role(user, "supervisor")
        detail = f"显示完整证件号码：{reason}" if args.full else (reason or "命令行查看")
        # the window's case view checks the same: permission, this terminal's region, the account's office
        case = show_case(store, user, args.number, detail=detail, settings=settings)
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
    if data["proxy"]:
        print(f"委托期限：{data['proxy']['valid_from'] or '—'} 至 {data['proxy']['valid_to'] or '—'}")
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
    from houshi_desk.services.search import find_cases
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_VIEW) as (settings, store, user):
        found = find_cases(store, user, args.text, limit=args.limit)  # the account's office only, as the window
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
    from houshi_desk.services.cases import get_case_row, submit_case
    from houshi_desk.users import Permission, check_case_access
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_SUBMIT) as (settings, store, user):
        with store.session() as s:
            check_case_access(user, get_case_row(s, args.number))
        submit_case(store, args.number, clerk=user.username)
    print(f"已提交：{args.number}（写入待发队列，联网后自动发送）")
    return 0
