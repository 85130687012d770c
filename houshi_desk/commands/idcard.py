"""``houshi-desk idcard …``: read a card, parse a saved read, run the virtual card or simulated SAM,
watch reader events. ID numbers are masked unless ``--full``."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("idcard", help="身份证件读取（读卡、解析、虚拟卡）", description="身份证件读取")
    cmds = p.add_subparsers(dest="idcard_command", metavar="ACTION", required=True)

    r = cmds.add_parser("read", help="等待放卡并读取证件")
    r.add_argument("--reader", help="PC/SC 读卡器名称（包含即可）；空 = 按设置")
    r.add_argument("--timeout", type=float, default=30.0, help="等待放卡的秒数（默认 30）")
    r.add_argument("--role", choices=("applicant", "deceased", "proxy"), default="applicant",
                   help="证件所属人（判断过期时用，默认 applicant）")
    _output_args(r)
    r.set_defaults(func=cmd_read)

    a = cmds.add_parser("parse", help="解析保存的读卡应答帧或 256 字节文字信息")
    a.add_argument("file", help="文件（二进制或十六进制文本）；- = 标准输入")
    a.add_argument("--role", choices=("applicant", "deceased", "proxy"), default="applicant")
    _output_args(a)
    a.set_defaults(func=cmd_parse)

    v = cmds.add_parser("virtual", help="在 vpcd 虚拟读卡器上放一张虚拟证件（演示与测试用）")
    v.add_argument("--person", default="applicant", help="人员 JSON 文件（可加 #键名），或样例名：applicant、deceased、"
                                                          "hmt_permit、hmt_taiwan、foreign_2017、foreign_2023")
    v.add_argument("--port", type=int, default=35963, help="vpcd 端口（默认 35963）")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--plain", action="store_true", help="模拟无安全模块的普通读卡器（只能读芯片序列号）")
    v.add_argument("--seconds", type=float, default=0, help="放卡多少秒后自动拿走并退出（0 = 交互）")
    v.set_defaults(func=cmd_virtual)

    s = cmds.add_parser("sam-sim", help="在伪终端上运行模拟的串口安全模块（演示与测试用）")
    s.add_argument("--person", default="applicant", help="同 virtual 的 --person")
    s.set_defaults(func=cmd_sam_sim)

    w = cmds.add_parser("watch", help="持续显示读卡器事件（放卡、拿卡、读卡结果）")
    w.add_argument("--reader", help="PC/SC 读卡器名称（包含即可）；空 = 按设置")
    w.add_argument("--json", action="store_true", help="每个事件输出一行 JSON")
    w.add_argument("--full", action="store_true", help="显示完整证件号码")
    w.set_defaults(func=cmd_watch)


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--full", action="store_true", help="显示完整证件号码（默认打码）")
    p.add_argument("--photo", metavar="PNG", help="把证件照片保存为 PNG（无解码库时为占位图）")


def _save_photo(doc, path: str | None) -> None:
    if not path:
        return
    from houshi_desk.errors import HoushiError
    from houshi_desk.idcard.photo import photo_for

    photo = photo_for(doc.photo_wlt)
    try:
        with open(path, "wb") as fh:
            fh.write(photo.png)
    except OSError as exc:
        raise HoushiError(f"无法保存照片到 {path}。", hint="请检查路径与权限。", detail=str(exc)) from None
    if photo.placeholder:
        print(f"照片：{photo.note}已保存占位图。", file=sys.stderr)


def _problems(doc, role: str):
    from datetime import date

    from houshi_desk.domain.identity import check_document

    return check_document(doc, date.today(), role=role)


def _identity_json(doc, problems, full: bool) -> dict:
    data = doc.to_dict(full=full)
    data["problems"] = [{"code": p.code, "message": p.message, "severity": p.severity.value} for p in problems]
    return data


_LABELS = [("card_type", "证件类型"), ("name", "姓名"), ("name_en", "英文姓名"), ("sex", "性别"), ("nation", "民族"),
           ("birth_date", "出生日期"), ("address", "住址"), ("id_number", "证件号码"), ("authority", "签发机关"),
           ("valid_from", "有效期起"), ("valid_to", "有效期止"), ("nationality", "国籍"), ("pass_number", "通行证号码"),
           ("issue_count", "签发次数")]


def _print_identity(doc, problems, *, as_json: bool, full: bool) -> int:
    from houshi_desk.domain.identity import Severity

    data = _identity_json(doc, problems, full)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        data["card_type"] = doc.card_type.label
        if doc.valid_to is None and doc.valid_from is not None:
            data["valid_to"] = "长期"
        for key, label in _LABELS:
            if data.get(key):
                print(f"{label}：{data[key]}")
        for p in problems:
            print(f"{'错误' if p.severity is Severity.ERROR else '提示'}：{p.message}")
    return 1 if any(p.severity is Severity.ERROR for p in problems) else 0


def cmd_parse(args) -> int:
    from houshi_desk.errors import HoushiError
    from houshi_desk.idcard.parse import parse_read_bytes

    limit = 1024 * 1024  # a read frame is a few KB; anything near this is the wrong file
    try:
        if args.file == "-":
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            if stream is None or getattr(stream, "closed", False):
                raise HoushiError("标准输入已关闭，读不到读卡应答。", hint="请用管道提供文件内容，或直接写文件名")
            data = stream.read(limit + 1)
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogateescape")
        else:
            with open(args.file, "rb") as fh:
                data = fh.read(limit + 1)
    except OSError as exc:
        raise HoushiError(f"无法读取文件 {args.file}。", hint="请检查路径与权限。", detail=str(exc)) from None
    if len(data) > limit:
        raise HoushiError(f"{'标准输入' if args.file == '-' else '文件 ' + str(args.file)}的内容超过 1 MB，"
                          "不是读卡器的应答。", hint="请检查是否选错了文件")
    doc = parse_read_bytes(data)
    _save_photo(doc, args.photo)
    return _print_identity(doc, _problems(doc, args.role), as_json=args.json, full=args.full)


def cmd_read(args) -> int:
    import queue

    from houshi_desk.idcard.errors import ReaderError
    from houshi_desk.idcard.events import CardRead, ReaderAdded, ReadFailed, ServiceProblem
    from houshi_desk.idcard.factory import reader_from_settings
    from houshi_desk.idcard.watcher import CardWatcher

    events: queue.Queue = queue.Queue()
    factory = (lambda: reader_from_settings(reader_name=args.reader)) if args.reader else reader_from_settings
    reader = factory()  # configuration errors surface here, before waiting
    watcher = CardWatcher(reader, events.put).start()
    if not args.json:
        print(f"请把证件放到{reader.label}上……", file=sys.stderr)
    try:
        import time

        deadline = time.monotonic() + args.timeout
        seen_reader = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if not seen_reader:
                    raise ReaderError(f"没有找到读卡器{('“' + args.reader + '”') if args.reader else ''}。",
                                      hint=_readers_hint(), code="no_reader")
                raise ReaderError(f"{args.timeout:g} 秒内没有读到证件。", hint="请把证件平放在读卡器感应区中央后再试。",
                                  code="timeout")
            try:
                ev = events.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(ev, ReaderAdded):
                seen_reader = True
            if isinstance(ev, CardRead):
                _save_photo(ev.document, args.photo)
                return _print_identity(ev.document, ev.problems_for(args.role), as_json=args.json, full=args.full)
            if isinstance(ev, ReadFailed):
                raise ReaderError(ev.message, hint=ev.hint, code=ev.code)
            if isinstance(ev, ServiceProblem):
                raise ReaderError(ev.message, hint=ev.hint, code="service")
    finally:
        watcher.stop()


def _readers_hint() -> str:
    """Which PC/SC readers there are, so a wrong --reader name is easy to fix."""
    try:
        from houshi_desk.idcard.pcsc_reader import PcscReader

        reader = PcscReader("")
        try:
            names = reader.list_readers()
        finally:
            reader.close()
    except Exception:  # noqa: BLE001 - only a hint
        names = []
    if names:
        return "本机的 PC/SC 读卡器：" + "；".join(names) + "。请用 --reader 指定其中之一（写出名称的一部分即可）。"
    return "请插好读卡器并确认其驱动已安装。"


def _wait_forever_or(seconds: float, on_line) -> None:
    import time

    if seconds > 0:
        time.sleep(seconds)
        return
    if sys.stdin is None:  # stdin closed from the start: nobody to send commands, nothing to wait for
        return
    for line in sys.stdin:
        if on_line(line.strip()) is False:
            return


def cmd_virtual(args) -> int:
    from houshi_desk.errors import HoushiError
    from houshi_desk.idcard.persons import load_person
    from houshi_desk.idcard.virtual_card import VirtualCard

    person = load_person(args.person)
    card = VirtualCard(person, args.port, args.host, mode="plain" if args.plain else "decoded")
    try:
        card.insert()
    except OSError as exc:
        raise HoushiError(f"无法连接虚拟读卡器（{args.host}:{args.port}）。", hint="请确认 pcscd 与 vsmartcard-vpcd 已安装并在运行。",
                          detail=str(exc)) from None
    print(f"已放卡：{person.document.name}（{person.document.masked_number}）。"
          f"{'' if args.seconds else '输入 r 拿走、i 放回、q 退出。'}", file=sys.stderr)

    def on_line(cmd: str):
        if cmd in ("q", "quit"):
            return False
        if cmd in ("r", "remove"):
            card.remove()
            print("已拿走。", file=sys.stderr)
        elif cmd in ("i", "insert"):
            card.insert()
            print("已放卡。", file=sys.stderr)
        return True

    try:
        _wait_forever_or(args.seconds, on_line)
    except KeyboardInterrupt:
        pass
    finally:
        card.remove()
    return 0


def cmd_sam_sim(args) -> int:
    from houshi_desk.idcard.persons import load_person
    from houshi_desk.idcard.sam_simulator import SimulatedSam

    person = load_person(args.person)
    sam = SimulatedSam(person).start()
    print(sam.port, flush=True)
    print(f"模拟安全模块在 {sam.port}，已放卡：{person.document.name}。输入 r 拿走、i 放回、q 退出。", file=sys.stderr)

    def on_line(cmd: str):
        if cmd in ("q", "quit"):
            return False
        if cmd in ("r", "remove"):
            sam.remove()
        elif cmd in ("i", "insert"):
            sam.insert(person)
        return True

    try:
        _wait_forever_or(0, on_line)
    except KeyboardInterrupt:
        pass
    finally:
        sam.stop()
    return 0


def event_json(ev, full: bool = False) -> dict:
    from dataclasses import fields

    from houshi_desk.idcard.events import CardRead

    out = {"event": type(ev).__name__, "reader": ev.reader, "at": round(ev.at, 4)}
    if isinstance(ev, CardRead):
        out["identity"] = _identity_json(ev.document, ev.problems, full)
        out["elapsed_ms"] = round(ev.elapsed_ms, 2)
    else:
        for f in fields(ev):
            if f.name not in out:
                out[f.name] = getattr(ev, f.name)
    return out


def cmd_watch(args) -> int:
    import threading

    from houshi_desk.idcard.events import CardRead
    from houshi_desk.idcard.factory import reader_from_settings
    from houshi_desk.idcard.watcher import CardWatcher

    def on_event(ev) -> None:
        if args.json:
            print(json.dumps(event_json(ev, args.full), ensure_ascii=False), flush=True)
        elif isinstance(ev, CardRead):
            d = ev.document
            print(f"[{ev.reader}] 读卡成功：{d.name} {d.id_number if args.full else d.masked_number}"
                  f"（{ev.elapsed_ms:.0f} ms）", flush=True)
        else:
            print(f"[{ev.reader}] {type(ev).__name__} {getattr(ev, 'message', '')}", flush=True)

    factory = (lambda: reader_from_settings(reader_name=args.reader)) if args.reader else reader_from_settings
    watcher = CardWatcher(factory, on_event).start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    return 0
