"""``houshi-desk rights export|correct`` — near relatives' export and correction requests (supervisor)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rights", help="近亲属查阅导出、更正逝者个人信息（主管）")
    rs = p.add_subparsers(dest="rights_command", metavar="ACTION", required=True)
    e = rs.add_parser("export", help="导出一件案件的全部数据（JSON，可读）")
    e.add_argument("number", help="受理编号")
    e.add_argument("--out", required=True, help="输出文件（.json）")
    e.add_argument("--reason", required=True, help="导出理由（记入审计）")
    e.set_defaults(func=_export)
    c = rs.add_parser("correct", help="更正一项信息")
    c.add_argument("number", help="受理编号")
    c.add_argument("--field", required=True, help="如 party.deceased.address、death.place、case.notes")
    c.add_argument("--value", required=True, help="更正后的值")
    c.add_argument("--reason", required=True, help="更正理由（记入审计）")
    c.set_defaults(func=_correct)


def _export(args) -> int:
    from houshi_desk.rights import export_case, write_export
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.RIGHTS) as (settings, store, user):
        # written inside the transaction: if the file cannot be written, the audit entry is rolled back too
        with store.session(write=True) as s:
            _check_access(s, user, args.number)
            doc = export_case(s, args.number, actor=user.username, reason=args.reason)
            out = write_export(args.out, doc)
    print(f"已导出案件 {doc['case']['number']} 的数据：{out}（含身份证号码等个人信息，请妥善交付申请人）。")
    return 0


def _correct(args) -> int:
    from houshi_desk.rights import correct
    from houshi_desk.rights.correct import _masked
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.RIGHTS) as (settings, store, user):
        with store.session(write=True) as s:
            _check_access(s, user, args.number)
            old, new = correct(s, args.number, args.field, args.value, actor=user.username, reason=args.reason)
    print(f"已更正 {args.number} 的 {args.field}：{_masked(args.field, old)} → {_masked(args.field, new)}。")
    return 0


def _check_access(session, user, number: str) -> None:
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.users import check_case_access

    check_case_access(user, get_case_row(session, number))
