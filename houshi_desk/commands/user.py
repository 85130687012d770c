"""``houshi-desk user add|disable|enable|reset-password|passwd|list`` and ``login|logout|whoami``."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="用户管理（管理员）")
    us = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    a = us.add_parser("add", help="新建用户；全新安装时第一个用户即为管理员")
    a.add_argument("username")
    a.add_argument("--role", default=None, choices=["clerk", "supervisor", "admin"],
                   help="角色：clerk 窗口工作人员 / supervisor 主管 / admin 管理员")
    a.add_argument("--name", default="", help="显示姓名")
    a.add_argument("--office", default="", help="所属办理点（空 = 整个大厅）")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取初始密码")
    a.set_defaults(func=_add)

    for name, active, text in (("disable", False, "停用用户"), ("enable", True, "重新启用用户")):
        d = us.add_parser(name, help=text)
        d.add_argument("username")
        d.set_defaults(func=_set_active, active=active)

    r = us.add_parser("reset-password", help="重置用户密码并解除锁定")
    r.add_argument("username")
    r.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码")
    r.set_defaults(func=_reset)

    c = us.add_parser("passwd", help="修改自己的密码")
    c.add_argument("--password-stdin", action="store_true", help="从标准输入依次读取原密码和新密码（两行）")
    c.set_defaults(func=_passwd)

    ls = us.add_parser("list", help="列出用户")
    ls.set_defaults(func=_list)

    li = sub.add_parser("login", help="登录（切换用户）")
    li.add_argument("username", nargs="?")
    li.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    li.set_defaults(func=_login)
    lo = sub.add_parser("logout", help="退出登录")
    lo.set_defaults(func=_logout)
    w = sub.add_parser("whoami", help="显示当前登录的用户")
    w.set_defaults(func=_whoami)


def _add(args) -> int:
    from houshi_desk.users import Permission, Role, add_user, bootstrap_allowed
    from houshi_desk.users.cli_support import acting, opened, read_password
    from houshi_desk.users.errors import UserError

    with opened() as (settings, store):
        with store.session(write=True) as s:
            first = bootstrap_allowed(s)
        if first:
            if args.role not in (None, "admin"):
                raise UserError("系统中还没有任何用户：第一个用户必须是管理员（--role admin），再由管理员新建其他用户。")
            role, actor = Role.ADMIN, "bootstrap"
        else:
            if args.role is None:
                raise UserError("请用 --role 指定角色：clerk（窗口工作人员）、supervisor（主管）或 admin（管理员）。")
            role, actor = Role(args.role), acting(settings, store, Permission.USERS_MANAGE).username
        password = read_password(args, f"为 {args.username} 设置初始密码：", confirm=True)
        with store.session(write=True) as s:
            if first and not bootstrap_allowed(s):  # another terminal bootstrapped meanwhile
                raise UserError("另一台终端刚刚创建了管理员。请由该管理员登录后再新建用户。")
            user = add_user(s, username=args.username, password=password, role=role, actor=actor,
                            display_name=args.name, office=args.office)
    print(f"已新建用户 {user.username}（{user.role.label}）。" + ("这是第一个管理员，请用 houshi-desk login 登录。" if first else ""))
    return 0


def _set_active(args) -> int:
    from houshi_desk.users import Permission, set_active
    from houshi_desk.users.cli_support import acting, opened

    with opened() as (settings, store):
        admin = acting(settings, store, Permission.USERS_MANAGE)
        with store.session(write=True) as s:
            user = set_active(s, args.username, args.active, actor=admin.username)
    print(f"已{'启用' if args.active else '停用'}用户 {user.username}。" + ("" if args.active else "其在各终端的登录已失效。"))
    return 0


def _reset(args) -> int:
    from houshi_desk.users import Permission, reset_password
    from houshi_desk.users.cli_support import acting, opened, read_password

    with opened() as (settings, store):
        admin = acting(settings, store, Permission.USERS_MANAGE)
        password = read_password(args, f"为 {args.username} 设置新密码：", confirm=True)
        with store.session(write=True) as s:
            user = reset_password(s, args.username, password, actor=admin.username)
    print(f"已重置 {user.username} 的密码并解除锁定。请其登录后用 houshi-desk user passwd 修改密码。")
    return 0


def _passwd(args) -> int:
    from houshi_desk.users import NotLoggedIn, change_password, current_user
    from houshi_desk.users.cli_support import opened, prompt_secret, stdin_secret
    from houshi_desk.users.errors import UserError

    with opened() as (settings, store):
        me = current_user(settings, store=store)
        if me is None:
            raise NotLoggedIn("尚未登录。请先登录：houshi-desk login，再修改密码。")
        if args.password_stdin:
            old, new = stdin_secret("原密码", "--password-stdin"), stdin_secret("新密码", "--password-stdin")
        else:
            hint = "请在终端中运行，或加 --password-stdin 从标准输入依次提供原密码和新密码（两行）。"
            old = prompt_secret("原密码：", hint=hint)
            new = prompt_secret("新密码：", hint=hint)
            if prompt_secret("再输入一次新密码：", hint=hint) != new:
                raise UserError("两次输入的新密码不一致，密码未修改。")
        with store.session(write=True) as s:
            change_password(s, me.username, old, new)
    print("密码已修改。")
    return 0


def _list(args) -> int:
    from houshi_desk.users import Permission, list_users
    from houshi_desk.users.cli_support import acting, opened

    with opened() as (settings, store):
        acting(settings, store, Permission.USERS_MANAGE)
        with store.session(write=True) as s:
            rows = list_users(s)
    from datetime import datetime

    now = datetime.now()
    for user, active, locked in rows:
        state = "已停用" if not active else (f"锁定至 {locked:%H:%M}" if locked and locked > now else "正常")
        print(f"{user.username}\t{user.display_name}\t{user.role.label}\t{user.office or '全大厅'}\t{state}")
    return 0


def _login(args) -> int:
    from houshi_desk.users import login
    from houshi_desk.users.cli_support import opened, prompt_text, read_password

    username = args.username or prompt_text(
        "用户名：", hint="请在终端中运行，或写明用户名：houshi-desk login 用户名 --password-stdin").strip()
    with opened() as (settings, store):
        password = read_password(args, "密码：")
        user = login(store, settings, username, password)
    print(f"已登录：{user.label}。")
    if user.must_change_password:
        print("提示：您的密码由管理员重置，请尽快用 houshi-desk user passwd 修改。")
    return 0


def _logout(args) -> int:
    from houshi_desk.users import logout
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        name = logout(store, settings)
    print(f"{name} 已退出登录。" if name else "当前没有登录的用户。")
    return 0


def _whoami(args) -> int:
    from houshi_desk.users import current_user
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        user = current_user(settings, store=store)
    if user is None:
        print("当前没有登录的用户。请用 houshi-desk login 登录。")
        return 1
    print(f"{user.username}\t{user.label}\t{user.office or '全大厅'}")
    return 0
