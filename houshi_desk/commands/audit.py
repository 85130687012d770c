"""``houshi-desk audit verify`` (check the hash chain) and ``audit show`` (read entries) — supervisor."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="审计记录（主管）")
    au = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = au.add_parser("verify", help="核验审计链是否完整，指出第一条被改动的记录")
    v.set_defaults(func=_verify)
    s = au.add_parser("show", help="列出审计记录")
    s.add_argument("--case", default=None, help="只看某个受理编号")
    s.add_argument("--limit", type=int, default=200)
    s.set_defaults(func=_show)


def _verify(args) -> int:
    from houshi_desk import audit
    from houshi_desk.audit.anchor import verify_with_platform
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import acting, opened

    with opened() as (settings, store):
        user = acting(settings, store, Permission.AUDIT_VERIFY)
        with store.session() as s:
            result = audit.verify(s)
            # and against the head the platform keeps (issue 14): a chain rewritten with its hashes
            # recomputed is whole locally but no longer matches the anchor
            anchored = verify_with_platform(s, result, settings) if result.ok else None
        ok = result.ok and (anchored is None or anchored.ok is not False)
        with store.session(write=True) as s:  # recorded after the check, so the check covers what was there
            audit.record(s, actor=user.username, action="audit_verify",
                         detail=("通过" if result.ok else f"未通过：第 {result.broken_seq} 条") + f"，共核验 {result.count} 条"
                         + ("" if anchored is None else {True: "，与平台锚点一致", False: "，与平台锚点不符",
                                                          None: "，仅本机核验"}[anchored.ok]))
    print(result.message)
    if anchored is not None:
        print(anchored.message)
    if not ok:
        print("请保留现场（不要修改数据库），并报告信息科。")
    return 0 if ok else 1


def _show(args) -> int:
    from houshi_desk import audit
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import acting, opened

    with opened() as (settings, store):
        acting(settings, store, Permission.AUDIT_VERIFY)
        with store.session() as s:
            rows = audit.entries(s, case_number=args.case)
    for r in rows[-args.limit:]:
        label = audit.ACTIONS.get(r.action, r.action)
        print(f"{r.seq}\t{r.at:%Y-%m-%d %H:%M:%S}\t{r.actor}\t{label}\t{r.case_number or ''}\t{r.detail}")
    return 0
