"""``houshi-desk platform``: run the reference platform, register a terminal on it, or log this
terminal in to a platform (the secret goes to the OS keyring, never to a file)."""
from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("platform", help="省级共享平台：参考平台服务、终端登记、登录")
    ps = p.add_subparsers(dest="platform_command", metavar="ACTION", required=True)

    s = ps.add_parser("serve", help="运行参考平台（演示与测试用）")
    s.add_argument("--port", type=int, default=8787)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--data", required=True, help="参考平台自己的数据目录")
    s.add_argument("--fault", action="append", default=[],
                   help="注入故障，如 drop=0.2、5xx=0.1、429=0.05、slow=0.1、close_mid_upload=0.1、garbage=0.05")
    s.add_argument("--retry-after", type=float, default=1.0, help="429 时要求等待的秒数")
    s.add_argument("--step-seconds", type=float, default=30.0, help="模拟部门每一步办理所需秒数")
    s.add_argument("--return-matter", action="append", default=[], help="这些事项模拟“退回补正”")
    s.add_argument("--admin", action="store_true", help="开放 /admin 接口（仅限测试环境）")
    s.add_argument("--client", action="append", default=[], help="登记终端：APP_KEY=SECRET（演示用）")
    s.add_argument("--tls-cert", default=None, help="HTTPS 证书文件（PEM）")
    s.add_argument("--tls-key", default=None, help="HTTPS 私钥文件（PEM）")
    s.add_argument("--stop-with-parent", action="store_true",
                   help="标准输入关闭时退出（由演示程序启动时使用：主程序退出，平台随之退出）")
    s.set_defaults(func=_serve)

    a = ps.add_parser("add-client", help="在参考平台上登记一个终端，打印其密钥（只显示一次）")
    a.add_argument("--data", required=True)
    a.add_argument("app_key")
    a.add_argument("--scheme", choices=("hmac", "sm2"), default="hmac",
                   help="hmac：共享密钥（默认）；sm2：国密 SM2 签名，平台只保存公钥，打印的是终端私钥")
    a.add_argument("--office", default=None, metavar="CODE",
                   help="终端所属受理点代码：同一受理点的终端可办理彼此的案件；不填则只能办理本终端建立的案件")
    a.set_defaults(func=_add_client)

    lg = ps.add_parser("login", help="本机登录平台：地址与应用标识写入设置，密钥存入系统钥匙串")
    lg.add_argument("--url", required=True)
    lg.add_argument("--app-key", required=True)
    lg.add_argument("--ca-file", default=None, help="平台 TLS 根证书（PEM）")
    lg.add_argument("--secret-stdin", action="store_true", help="从标准输入读取密钥（否则交互输入）")
    lg.add_argument("--no-check", action="store_true", help="不立即向平台验证")
    lg.add_argument("--signing", choices=("hmac-sha256", "hmac-sm3", "sm2"), default=None,
                    help="请求签名方式（默认沿用设置）；sm2 时输入的是本终端的 SM2 私钥（64 位十六进制）")
    lg.add_argument("--lookup-key-stdin", action="store_true",
                    help="同时从标准输入读取全省共享数据查询密钥（在密钥之后的一行），存入系统钥匙串")
    lg.set_defaults(func=_login)

    lk = ps.add_parser("lookup-key", help="打印参考平台的共享数据查询密钥（交给终端 platform login --lookup-key-stdin）")
    lk.add_argument("--data", required=True)
    lk.set_defaults(func=_lookup_key)


def _serve(args) -> int:
    from houshi_desk.platform_ref.faults import Faults
    from houshi_desk.platform_ref.processing import Processing
    from houshi_desk.platform_ref.server import PlatformStore, serve

    faults = Faults.parse(args.fault or os.environ.get("HOUSHI_PLATFORM_FAULTS", ""), retry_after=args.retry_after)
    if args.client:
        st = PlatformStore(args.data)
        for spec in args.client:
            key, _, secret = spec.partition("=")
            st.add_client(key, secret)
        st.close()
    if args.stop_with_parent:
        import threading

        def watch_parent() -> None:
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except (OSError, ValueError):
                pass
            os._exit(0)  # the parent closed our stdin or is gone: nothing here outlives it

        threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    print(f"参考平台：http://{args.host}:{args.port}  数据：{args.data}", file=sys.stderr)
    serve(args.data, host=args.host, port=args.port, faults=faults, admin=args.admin,
          processing=Processing(step_seconds=args.step_seconds, return_matters=set(args.return_matter)),
          tls=(args.tls_cert, args.tls_key) if args.tls_cert else None)
    return 0


def _add_client(args) -> int:
    from houshi_desk.platform_ref.server import new_client

    try:
        secret = new_client(args.data, args.app_key, scheme=args.scheme, office=args.office)
    except ValueError as exc:
        print(f"{exc}。未作改动，请改正后重试。", file=sys.stderr)
        return 2
    print(secret)
    return 0


def _login(args) -> int:
    import getpass

    from houshi_desk.config import load_settings
    from houshi_desk.sync.credentials import save_secret

    secret = sys.stdin.readline().strip() if args.secret_stdin else getpass.getpass("平台密钥：")
    if not secret:
        print("未输入密钥，未作改动。", file=sys.stderr)
        return 2
    settings = load_settings()
    signing = args.signing or settings.platform_signing
    if signing == "sm2":
        from houshi_desk.sync.signing import normalise_sm2_private_key

        try:
            secret = normalise_sm2_private_key(secret)
        except ValueError as exc:
            print(f"SM2 私钥不正确：{exc}。未作改动。", file=sys.stderr)
            return 2
    lookup_key = ""
    if args.lookup_key_stdin:
        lookup_key = sys.stdin.readline().strip()
        if len(lookup_key) < 16:
            print("共享数据查询密钥为空或过短（至少 16 个字符），未作改动。", file=sys.stderr)
            return 2
    save_secret(args.app_key, secret)
    if lookup_key:
        from houshi_desk.sync.credentials import save_lookup_key

        save_lookup_key(lookup_key)
    if args.signing:
        settings.set("platform.signing", args.signing)
    settings.set("platform.url", args.url)
    settings.set("platform.app_key", args.app_key)
    if args.ca_file is not None:
        settings.set("platform.ca_file", args.ca_file)
    if args.no_check:
        print("已保存平台登录信息（未验证）。")
        return 0
    from houshi_desk.sync.service import client_from_settings

    client = client_from_settings(settings)
    try:
        client.session_info()
    finally:
        client.close()
    print("已登录省级共享平台，凭据已保存在系统钥匙串中。")
    return 0


def _lookup_key(args) -> int:
    from houshi_desk.platform_ref.persons import lookup_key

    print(lookup_key(args.data))
    return 0
