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

# The Chinese names the README and the papers use, accepted wherever a KIND is asked for.
ALIASES = {
    "申请表": "application",
    "承诺书": "promise",
    "授权委托书": "proxy",
    "委托书": "proxy",
    "一次性告知单": "notice",
    "一次告知单": "notice",
    "受理回执": "receipt",
    "受理回执小票": "receipt-roll",
    "办结通知书": "completion",
    "办结通知": "completion",
}


def kind_of(text: str) -> str:
    """``application`` for ``application`` or ``申请表``; an argparse error naming every choice else."""
    value = (text or "").strip()
    if value in KINDS:
        return value
    if value.lower() in KINDS:
        return value.lower()
    if value in ALIASES:
        return ALIASES[value]
    choices = "、".join(f"{k}（{'/'.join(a for a, v in ALIASES.items() if v == k)}）" for k in KINDS)
    raise argparse.ArgumentTypeError(f"不认识的文书“{text}”。可选：{choices}")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="生成并打印案件文书（申请表、承诺书、委托书、告知单、回执、办结通知）")
    p.add_argument("kind", type=kind_of, metavar="KIND",
                   help="文书：application 申请表 | promise 承诺书 | proxy 授权委托书 | notice 一次性告知单 | "
                        "receipt 受理回执(A4) | receipt-roll 受理回执(80毫米小票) | completion 办结通知书")
    p.add_argument("--case", required=True, dest="case_number", help="受理编号")
    p.add_argument("--pdf", type=Path, help="另存一份明文 PDF 到此位置（权限 0600；默认只在数据目录中加密保存）")
    p.add_argument("--printer", default=None, help="打印机名称（默认：该文书上次使用的打印机；都没有则只保存 PDF）")
    p.add_argument("--no-print", action="store_true", help="只保存 PDF，不打印")
    p.add_argument("--paper", default="", help="纸张（A4 或 80mm；默认按文书类型）")
    p.add_argument("--retry", action="store_true",
                   help="重发上次打印失败时保存的 PDF（不重新生成；默认发往原打印机，可用 --printer 换一台）")
    p.add_argument("--sender", choices=("auto", "qt", "lp"), default="auto", help="打印方式（默认 Qt，不可用时用 lp）")
    p.set_defaults(func=_print)


def _sender(choice: str):
    """How this command reaches a printer: CUPS ``lp`` where it exists (Linux, UOS/Kylin), else the
    window's Qt printer in a child process (Windows has no lp); ``--sender`` forces one."""
    import shutil

    from houshi_desk.documents.printjobs import LpSender

    if choice == "lp" or (choice == "auto" and shutil.which("lp")):
        return LpSender()
    from houshi_desk.gui.print_worker import SubprocessSender

    return SubprocessSender()


def _print(args) -> int:
    from houshi_desk.documents import KIND_LABELS
    from houshi_desk.services.printing import print_document, retry_print
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_PRINT) as (settings, store, acting_user):
        if args.retry:
            doc = None
            outcome = retry_print(store, settings, args.case_number, args.kind, user=acting_user,
                                  sender=_sender(args.sender), printer=args.printer or "")
        else:
            printer = "" if args.no_print else args.printer  # None = the printer remembered for this kind
            sender = _sender(args.sender) if printer != "" else None
            doc, outcome = print_document(store, settings, args.case_number, args.kind, user=acting_user,
                                          printer=printer, paper=args.paper, pdf_path=args.pdf, sender=sender)
    for w in (doc.warnings if doc else []):
        print(f"注意：{w}", file=sys.stderr)
    if outcome.status == "failed":
        print(f"错误：{outcome.failure}", file=sys.stderr)
        print(f"PDF 已保存：{outcome.where}（可用 --retry 稍后重新打印）", file=sys.stderr)
        return 2
    label = KIND_LABELS[args.kind] + ("（补打）" if outcome.reprint else "")
    pages = f"，共 {doc.pages} 页" if doc else ""
    if outcome.status == "printed":
        print(f"已发送到打印机“{outcome.printer}”：{label}{pages}；PDF：{outcome.where}")
    else:
        print(f"已保存 PDF：{outcome.where}（{label}{pages}）")
    return 0
