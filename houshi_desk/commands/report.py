"""``houshi-desk report daily|week|month|range`` — the supervisor's reports as PDF (and a summary)."""
from __future__ import annotations

import argparse


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，例如 2026-01-22：{text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="日终报表与周/月报表（主管）")
    rs = p.add_subparsers(dest="report_command", metavar="KIND", required=True)
    for name, text in (("daily", "日终报表"), ("week", "所在周（周一至周日）报表"), ("month", "所在月报表")):
        r = rs.add_parser(name, help=text)
        r.add_argument("--date", type=_day, default=None, help="日期 YYYY-MM-DD（默认今天）")
        _common(r)
        r.set_defaults(func=_run, kind=name)
    r = rs.add_parser("range", help="任意区间报表")
    r.add_argument("--from", dest="start", type=_day, required=True)
    r.add_argument("--to", dest="end", type=_day, required=True)
    _common(r)
    r.set_defaults(func=_run, kind="range")


def _common(r) -> None:
    r.add_argument("--office", default=None, help="办理点：6 位行政区划代码或办理机构名称（默认全部）")
    r.add_argument("--pdf", dest="pdf", default=None, help="PDF 输出文件")


def _run(args) -> int:
    from datetime import date
    from pathlib import Path

    from houshi_desk import audit
    from houshi_desk.reports import figures, month_range, render_pdf, week_range
    from houshi_desk.reports.pdf import title_of
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in
    from houshi_desk.users.errors import UserError

    if args.kind == "range":
        start, end = args.start, args.end
    else:
        day = args.date or date.today()
        start, end = {"daily": (day, day), "week": week_range(day), "month": month_range(day)}[args.kind]
    with logged_in(Permission.REPORT) as (settings, store, user):
        from houshi_desk.users import report_office

        office = report_office(user, args.office)
        with store.session() as s:
            f = figures(s, start, end, office)
        if args.pdf:
            out = Path(args.pdf)
            data = render_pdf(f, user=user.display_name or user.username)
            if out.is_dir():
                raise UserError(f"“{out}”是一个文件夹。请给出 PDF 的完整文件名，例如 {out / 'report.pdf'}。")
            if not out.parent.is_dir():  # never creates folders: a typo would otherwise hide the report
                raise UserError(f"文件夹“{out.parent}”不存在，报表未保存。请检查路径，或先建好该文件夹再导出。")
            try:
                tmp = out.with_name(out.name + ".tmp")
                tmp.write_bytes(data)
                tmp.replace(out)
            except OSError as exc:
                raise UserError(f"报表无法写入 {out}：{exc.strerror}。请换一个有写权限的位置。") from exc
        with store.session() as s:
            audit.record(s, actor=user.username, action="report",
                         detail=f"{title_of(f)}" + (f"，办理点 {office}" if office else "") +
                         (f"，导出 {Path(args.pdf).name}" if args.pdf else ""))
    period = "本日" if f.is_day else "本期"
    print(title_of(f))
    print(f"{period}受理 {f.total_cases} 件" + ("（无受理案件）" if f.empty else "") +
          f"；到期 {f.due} 项；逾期 {f.overdue} 项；未被平台接收 {f.not_accepted} 件；需人工处理 {f.needs_attention} 项；"
          f"补打 {f.reprints} 次；作废 {f.cancelled} 件。")
    if args.pdf:
        print(f"PDF 已保存：{args.pdf}")
    return 0
