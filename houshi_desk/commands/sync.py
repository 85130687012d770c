"""``houshi-desk sync``: drain the outbox headless (the window may be closed), or show its state."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="向省级共享平台发送待发案件并拉取部门办理结果（无界面）")
    p.add_argument("--once", action="store_true", help="发完当前能发的就退出（不常驻）")
    p.add_argument("--status", action="store_true", help="只显示待发队列状态，不发送")
    p.add_argument("--max-wait", type=float, default=60.0,
                   help="--once 时最多等待多少秒让到期的重试发出（默认 60）")
    p.add_argument("--start-delay", type=float, default=2.0, help=argparse.SUPPRESS)
    p.set_defaults(func=handle)


def _print_status(store) -> int:
    from sqlalchemy import select

    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import KIND_LABELS, PENDING, STATE_LABELS, summary

    with store.session() as s:
        sm = summary(s)
        rows = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.state.in_(PENDING))
                         .order_by(SyncOutboxRow.group_order, SyncOutboxRow.seq).limit(200)).scalars().all()
    print(f"待发：{sm.pending_cases} 件案件，{sm.pending_items} 项，剩余 {sm.bytes_left / 1e6:.1f} MB")
    if sm.counts:
        print("各状态：" + "，".join(f"{STATE_LABELS.get(k, k)} {v}" for k, v in sorted(sm.counts.items())))
    if sm.paused:
        print(f"同步已暂停：{sm.paused}")
    print(f"平台最近一次应答：{sm.last_answer or '尚无'}（UTC）")
    for a in sm.alerts:
        print(f"提醒：{a}")
    for r in rows:
        progress = f" {r.remote_offset * 100 // r.file_size}%" if r.kind == "upload" and r.file_size else ""
        nxt = f"，下次尝试 {r.next_attempt_at:%m-%d %H:%M:%S}" if r.next_attempt_at and r.state == "retry_wait" else ""
        err = f"，{r.last_error}" if r.last_error else ""
        print(f"  {r.case_number} #{r.seq} {KIND_LABELS.get(r.kind, r.kind)}{progress}：{STATE_LABELS.get(r.state, r.state)}"
              f"（已尝试 {r.attempts} 次{nxt}{err}）")
    return 0


def handle(args) -> int:
    import signal

    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    settings = load_settings()
    store = open_store(settings)
    try:
        if args.status:
            return _print_status(store)
        from houshi_desk.sync.service import build_uploader

        from houshi_desk.services.case_numbers import uploader_check

        uploader = build_uploader(settings, store, start_delay=max(0.0, args.start_delay),
                                  numbers_check=uploader_check(store, settings))

        def _stop(_signo, _frame):
            uploader.stop()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        uploader.run(once=args.once, max_wait=args.max_wait)
        if args.once:
            with store.session() as s:
                from houshi_desk.sync.outbox import summary

                sm = summary(s)
            if sm.paused:
                print(f"同步已暂停：{sm.paused}")
            print(f"本次已确认 {uploader.stats.acked} 项；仍待发 {sm.pending_items} 项。")
            return 0 if sm.pending_items == 0 else 1
        return 0
    finally:
        store.close()
