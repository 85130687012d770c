"""``houshi-desk queue``: run the built-in reference queue server (叫号), take a ticket as the hall's
ticket machine would, and show this window's state in the queue system.

``queue serve`` is the reference server of resources/openapi/queue.yaml in its own process, as
``platform serve`` is for the platform: for the demo, for tests, and for a hall without a vendor
queue system (``queue.kind = "reference"``, ``queue.url = http://<that PC>:8766``).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="叫号：运行内置参考叫号服务、取号、查看本窗口叫号状态")
    qs = p.add_subparsers(dest="queue_command", metavar="ACTION", required=True)

    s = qs.add_parser("serve", help="运行内置参考叫号服务（大厅一台电脑上运行；演示与测试也用它）")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（大厅内其他窗口要连接时用 0.0.0.0）")
    s.add_argument("--port", type=int, default=8766)
    s.add_argument("--data", type=Path, default=None, help="保存号码状态的文件夹（重启后保留）；不填则只在内存中")
    s.add_argument("--stop-with-parent", action="store_true", help="标准输入关闭时退出（由父进程启动时使用）")
    s.set_defaults(func=_serve)

    t = qs.add_parser("take", help="取一个号（相当于大厅取号机），打印号码")
    t.add_argument("--url", default=None, help="叫号系统地址（默认：设置 queue.url）")
    t.add_argument("--service", default="身后一件事", help="业务名称")
    t.set_defaults(func=_take)

    st = qs.add_parser("status", help="本窗口在叫号系统中的状态：当前号、是否暂停、等候人数")
    st.add_argument("--json", action="store_true", help="以 JSON 输出")
    st.set_defaults(func=_status)


def _serve(args) -> int:
    if args.port <= 0 or args.port > 65535:
        print(f"端口 {args.port} 不对：应在 1–65535 之间。", file=sys.stderr)
        return 2
    if args.stop_with_parent:
        import threading

        def watch_parent() -> None:
            try:
                while sys.stdin.buffer.read(1024):
                    pass
            except (OSError, ValueError):
                pass
            os._exit(0)

        threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    from houshi_desk.queue_ref.server import serve

    where = f"  数据：{args.data}" if args.data else "  （号码只保存在内存中）"
    print(f"参考叫号服务：http://{args.host}:{args.port}{where}", file=sys.stderr)
    serve(host=args.host, port=args.port, data_dir=args.data, quiet=True)
    return 0


def _queue_url(args) -> str:
    from houshi_desk.config import load_settings

    url = (args.url or "").strip() or load_settings().queue_url.strip()
    if not url:
        print("未设置叫号系统地址：请用 --url 指定，或在设置中填写 queue.url。", file=sys.stderr)
    return url


def _take(args) -> int:
    from houshi_desk.queue import QueueUnavailable
    from houshi_desk.queue.http import take_ticket

    url = _queue_url(args)
    if not url:
        return 2
    try:
        number = take_ticket(url, args.service)
    except QueueUnavailable as exc:
        print(f"取号失败：{exc.message}", file=sys.stderr)
        return 1
    print(number)
    return 0


def _status(args) -> int:
    import json

    from houshi_desk.config import load_settings
    from houshi_desk.queue import QueueUnavailable, queue_for_settings

    settings = load_settings()
    queue = queue_for_settings(settings)
    if queue is None:
        print("本窗口未接叫号系统（queue.kind = none 或 queue.url 为空），不带号办理。", file=sys.stderr)
        return 2
    try:
        state = queue.state()
    except QueueUnavailable as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        getattr(queue, "close", lambda: None)()
    if args.json:
        print(json.dumps({"window": state.window, "paused": state.paused, "current": state.current,
                          "waiting": state.waiting}, ensure_ascii=False))
    else:
        print(f"窗口 {state.window}：当前号 {state.current or '—'}，{'已暂停叫号' if state.paused else '叫号中'}，"
              f"等候 {state.waiting} 人")
    return 0
