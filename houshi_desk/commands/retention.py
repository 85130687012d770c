"""``houshi-desk retention run [--dry-run]`` — remove personal data of cases past the retention period (admin)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="到期删除已办结案件的扫描件和个人信息（管理员）")
    rs = p.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    r = rs.add_parser("run", help="执行（先用 --dry-run 查看将删除什么）")
    r.add_argument("--dry-run", action="store_true", help="只列出将被处理的案件，不作改动")
    r.add_argument("--years", type=int, default=None, help="保存年限（默认取设置 retention.years）")
    r.add_argument("--today", default=None, help=argparse.SUPPRESS)  # for tests and rehearsals
    r.set_defaults(func=_run)


def _run(args) -> int:
    from datetime import date

    from houshi_desk.retention import run
    from houshi_desk.users import Permission
    from houshi_desk import audit
    from houshi_desk.config import load_settings
    from houshi_desk.users.cli_support import logged_in, office_mode, refuse_backdating, require_login_token
    from houshi_desk.users.errors import UserError

    settings = load_settings()
    require_login_token(settings, Permission.RETENTION)
    today = date.today()
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise UserError(f"--today 的日期格式应为 YYYY-MM-DD，例如 2026-01-22：{args.today!r}") from None
        if today != date.today():
            refuse_backdating(settings)
    if args.years is not None and not 1 <= args.years <= 200:
        raise UserError(f"保存年限应为 1 到 200 之间的整数年，实际为 {args.years}。")
    with logged_in(Permission.RETENTION, settings) as (settings, store, user):
        years = args.years if args.years is not None else int(settings.retention_years)
        if today != date.today():
            with store.session(write=True) as s:
                audit.record(s, actor=user.username, action="backdate",
                             detail=f"{office_mode(settings)} 模式下按 {today.isoformat()} 执行到期删除"
                                    f"（实际 {date.today().isoformat()}）" + ("，试运行" if args.dry_run else ""))
        result = run(store, today=today, years=years, actor=user.username, dry_run=args.dry_run,
                     documents_root=settings.paths.documents_dir)
    verb = "将处理" if result.dry_run else "已处理"
    print(f"保存年限 {result.years} 年：{result.cutoff} 之前办结或作废的案件{verb} {result.count} 件。")
    for c in result.cases:
        print(f"  {c.case_number}\t{'办结' if c.status == 'closed' else '作废'} {c.ended}\t逝者 {c.deceased or '—'}\t"
              f"扫描页 {c.pages}\t打印件 {c.documents}")
    if result.dry_run:
        if result.count:
            print("这是试运行，未作任何改动。确认无误后去掉 --dry-run 再执行。")
    else:
        print(f"已删除扫描页文件 {result.files_deleted} 个、打印件 {result.documents_deleted} 份；案件编号、事项和日期等统计数据保留。")
    return 0
