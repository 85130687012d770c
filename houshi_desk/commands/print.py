"""``houshi-desk print KIND --case NO [--pdf OUT] [--printer NAME]`` — render a case's document,
keep the PDF, print it if a printer is given (or remembered for that kind), log it truthfully.

Printing goes through Qt (QtPdf pages onto a QPrinter, offscreen) when PySide6 is importable,
otherwise through CUPS ``lp``. A printer problem keeps the PDF, logs a failed row and exits 2 with
a Chinese message; running the same command again retries.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = ("application", "promise", "proxy", "notice", "receipt", "receipt-roll", "completion")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="生成并打印案件文书（申请表、承诺书、委托书、告知单、回执、办结通知）")
    p.add_argument("kind", choices=KINDS, metavar="KIND",
                   help="文书：application 申请表 | promise 承诺书 | proxy 授权委托书 | notice 一次性告知单 | "
                        "receipt 受理回执(A4) | receipt-roll 受理回执(80毫米小票) | completion 办结通知书")
    p.add_argument("--case", required=True, dest="case_number", help="受理编号")
    p.add_argument("--pdf", type=Path, help="PDF 保存位置（默认：数据目录 documents/）")
    p.add_argument("--printer", default=None, help="打印机名称（默认：该文书上次使用的打印机；都没有则只保存 PDF）")
    p.add_argument("--no-print", action="store_true", help="只保存 PDF，不打印")
    p.add_argument("--paper", default="", help="纸张（A4 或 80mm；默认按文书类型）")
    p.add_argument("--user", default="", help="操作人（默认当前登录用户）")
    p.add_argument("--retry", action="store_true",
                   help="重发上次打印失败时保存的 PDF（不重新生成；默认发往原打印机，可用 --printer 换一台）")
    p.add_argument("--sender", choices=("auto", "qt", "lp"), default="auto", help="打印方式（默认 Qt，不可用时用 lp）")
    p.set_defaults(func=_print)


def _user(settings, store, given: str) -> str:
    if given:
        return given
    try:
        from houshi_desk.users import current_user
    except ImportError:
        return "cli"
    try:
        user = current_user(settings, store=store)
    except Exception:  # no users table yet, etc.: still print, logged as cli
        return "cli"
    return user.username if user else "cli"


def _sender(choice: str):
    from houshi_desk.documents.printjobs import LpSender, default_sender

    if choice == "lp":
        return LpSender()
    if choice == "qt":
        from houshi_desk.gui.printing import QtSender

        return QtSender()
    return default_sender()


def _print(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.documents import KIND_LABELS
    from houshi_desk.documents.printjobs import produce
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        user = _user(settings, store, args.user)
        if args.retry:
            from houshi_desk.documents.printjobs import retry_failed

            doc = None
            outcome = retry_failed(store, args.case_number, args.kind, user=user, printer=args.printer or "",
                                   sender=_sender(args.sender), settings=settings)
        else:
            printer = "" if args.no_print else args.printer  # None = the printer remembered for this kind
            sender = _sender(args.sender) if printer != "" else None
            doc, outcome = produce(store, settings, args.case_number, args.kind, user=user, printer=printer,
                                   paper=args.paper, pdf_path=args.pdf, sender=sender)
    finally:
        store.close()
    for w in (doc.warnings if doc else []):
        print(f"注意：{w}", file=sys.stderr)
    if outcome.status == "failed":
        print(f"错误：{outcome.failure}", file=sys.stderr)
        print(f"PDF 已保存：{outcome.pdf_path}（可稍后重新打印）", file=sys.stderr)
        return 2
    label = KIND_LABELS[args.kind] + ("（补打）" if outcome.reprint else "")
    pages = f"，共 {doc.pages} 页" if doc else ""
    if outcome.status == "printed":
        print(f"已发送到打印机“{outcome.printer}”：{label}{pages}；PDF：{outcome.pdf_path}")
    else:
        print(f"已保存 PDF：{outcome.pdf_path}（{label}{pages}）")
    return 0
