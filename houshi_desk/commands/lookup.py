"""``houshi-desk lookup ID_NUMBER`` — a deceased's shared records on the platform, with provenance.

Asks by HMAC reference (the number never goes to the platform in a URL, nor into a log); needs a
login and is audited as 共享查询; the number is shown masked unless ``--full``. With the platform
unreachable it says so in one line and exits 2 (the interview then asks as before)."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lookup", help="查询逝者在省级平台上的共享数据（部门信息与电子证照）")
    p.add_argument("id_number", nargs="?", default=None, metavar="ID_NUMBER",
                   help="逝者证件号码（18 位或 15 位）；为免留在命令历史中，可改用 --id-stdin")
    p.add_argument("--id-stdin", action="store_true", help="从标准输入第一行读取证件号码")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--full", action="store_true", help="显示完整证件号码（默认遮蔽）")
    p.add_argument("--cases", action="store_true", help="同时查询该逝者在全省受理中的案件")
    p.set_defaults(func=_lookup)


def _lookup(args) -> int:
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.facts import FACTS
    from houshi_desk.domain.identity import mask_id_number
    from houshi_desk.services.shared import SharedUnavailable, look_up, provenance
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in, stdin_secret
    from houshi_desk.users.errors import UserError

    if args.id_stdin and args.id_number:
        raise UserError("证件号码只能给一次：用 --id-stdin 时不要再在命令行上写号码。")
    number = stdin_secret("证件号码", "--id-stdin") if args.id_stdin else (args.id_number or "")
    if not number.strip():
        raise UserError("请给出逝者证件号码：houshi-desk lookup 号码，或用 --id-stdin 从标准输入提供。")
    number = number.strip().upper()
    with logged_in(Permission.CASE_CREATE) as (settings, store, user):
        try:
            found = look_up(store, user, settings, number, with_cases=args.cases)
        except SharedUnavailable as exc:
            print(exc.message, file=sys.stderr)
            return 2
        region = settings.office_region
    shown = number if args.full else mask_id_number(number)
    if args.json:
        json.dump({"id_number": shown, **found.to_json()}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    try:
        materials = {code: m.name for code, m in load_catalog(region).materials.items()}
    except Exception:  # noqa: BLE001 - only the names; codes are printed instead
        materials = {}
    print(f"逝者 {shown} 的共享数据：")
    if found.empty:
        print("  平台上暂无该逝者的共享数据，请按询问办理。")
    for name, item in sorted(found.facts.items()):
        spec = FACTS.get(name)
        if spec is None:
            text = f"{name}：{item['value']}"
        elif spec.type == "bool":  # the sentence says it all
            text = spec.describe(item["value"])
        else:
            text = f"{spec.label}：{spec.describe(item['value'])}"
        print(f"  {text}    〔{provenance(item)}〕")
    for lic in found.licences:
        label = materials.get(lic["material"], lic["material"])
        issued = f"，{lic['issued']} 签发" if lic.get("issued") else ""
        issuer = f"，{lic['issuer']}" if lic.get("issuer") else ""
        print(f"  电子证照：{label} {lic['number']}{issuer}{issued}    〔共享获取，免提交〕")
    if found.cases is not None:
        if found.cases:
            for c in found.cases:
                print(f"  受理中的案件：{c['case_id']}（{c['office'] or '未注明受理点'}，{c['date']}）")
        else:
            print("  全省暂无该逝者受理中的案件。")
    return 0
