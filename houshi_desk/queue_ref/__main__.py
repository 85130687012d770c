"""``python -m houshi_desk.queue_ref --port N [--data DIR] [--stop-with-parent]``: the reference queue server."""
from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="houshi_desk.queue_ref", description="参考叫号服务（叫号协议见 queue.yaml）")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--data", type=Path, default=None, help="保存号码状态的文件夹（重启后保留）")
    ap.add_argument("--stop-with-parent", action="store_true", help="标准输入关闭时退出（由父进程启动时使用）")
    args = ap.parse_args(argv)
    if args.stop_with_parent:
        def watch():
            try:
                while sys.stdin.buffer.read(1024):
                    pass
            finally:
                os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    from houshi_desk.queue_ref.server import serve

    serve(host=args.host, port=args.port, data_dir=args.data, quiet=True)


if __name__ == "__main__":
    main()
