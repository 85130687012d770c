"""Case numbers never repeat after a lost or restored database (issue 14, "Nothing lost silently").

The day's sequence lives in the local database (``case_number_sequences``); the keyring marker and a
backup's manifest bring back what this PC knew. What neither knows — a new PC after a lost keyring
and no backup, or a backup older than the day's last case — the platform does: it holds every case
this terminal sent. :func:`recover_sequence` asks it for this terminal's highest number of the day
(``GET /api/v1/case-numbers/latest``) and raises the local sequence to at least that, never lower,
with an audit entry naming the old and new values. Offline, nothing blocks the clerk: a clear line
says the number could not be checked and which number comes next; the uploader checks again as soon
as the platform answers.

Called by the uploader when sync starts (through the ``numbers_check`` hook the front-ends pass, see
:func:`uploader_check`), and synchronously, with a short timeout, by ``backup restore`` and
``key import`` (:func:`check_with_platform`) and by ``houshi-desk case new`` before the day's numbers
were checked (:func:`check_before_new_case`: no sync need be running on a PC that only uses the
command line). A successful check is remembered per terminal in ``sync_state`` (the day it covered),
so the command asks once a day, not before every case.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import select

from houshi_desk.domain.case import format_case_number
from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)

AUDIT_ACTION = "case_sequence"
CHECK_TIMEOUT = 3.0  # seconds: a restore, key import or ``case new`` waits no longer for the platform
CHECKED_STATE = "case_numbers_checked:"  # + region-terminal (sync_state): the day prefix last checked


@dataclass(frozen=True)
class SequenceCheck:
    prefix: str  # region-terminal-YYYYMMDD
    checked: bool  # the platform answered
    platform_number: str | None  # the platform's highest number of the day for this terminal
    before: int  # the local sequence before
    after: int  # and after (>= before)
    next_number: str  # what the next case of the day gets
    message: str  # one Chinese line for the clerk / supervisor

    @property
    def raised(self) -> bool:
        return self.after > self.before


def day_prefix(settings, today: date) -> str:
    """``150702-W03-20260122``: the numbers of this terminal on ``today``."""
    return format_case_number(settings.office_region_code, settings.office_terminal_id, today, 0).rsplit("-", 1)[0]


def _checked_name(prefix: str) -> str:
    return CHECKED_STATE + prefix.rsplit("-", 1)[0]  # one per terminal: a hall's windows share sync_state


def checked_today(store, prefix: str) -> bool:
    """True when this terminal's numbers of the day ``prefix`` were checked with the platform."""
    from houshi_desk.sync.outbox import get_state

    with store.session() as s:
        return get_state(s, _checked_name(prefix)) == prefix


def _local_last(store, prefix: str) -> int:
    from houshi_desk.store.models import CaseNumberSequenceRow

    with store.session() as s:
        return s.execute(select(CaseNumberSequenceRow.last).where(
            CaseNumberSequenceRow.prefix == prefix)).scalar_one_or_none() or 0


def recover_sequence(store, settings, client, today: date | None = None, *, actor: str = "system") -> SequenceCheck:
    """Raise today's local sequence to at least this terminal's highest number on the platform.

    ``client`` is a :class:`~houshi_desk.sync.client.PlatformClient` (or None when the platform is not
    configured or the credential cannot be read). Any failure to ask — offline, timeout, refused
    credential — leaves the local sequence as it is and says so; it never raises."""
    from houshi_desk import audit
    from houshi_desk.services.cases import raise_case_sequence

    today = today or date.today()
    prefix = day_prefix(settings, today)
    number, reason = None, ""
    if client is None:
        reason = "未配置平台或读不到平台凭据"
    else:
        try:
            number = client.latest_case_number(prefix)
        except HoushiError as exc:
            reason = exc.message.rstrip("。")
    if reason:
        last = _local_last(store, prefix)
        nxt = format_case_number(settings.office_region_code, settings.office_terminal_id, today, last + 1)
        msg = (f"未能向平台核对今天的受理编号（{reason}），按本机记录继续编号，下一个受理编号为 {nxt}；"
               "联网后程序会自动向平台核对，若平台上已有更大的编号会自动接续。")
        log.info("case numbers of %s not checked with the platform", prefix)
        return SequenceCheck(prefix, False, None, last, last, nxt, msg)
    platform_last = int(number.rsplit("-", 1)[1]) if number else 0
    from houshi_desk.sync.outbox import set_state

    with store.session(write=True) as s:
        before, after = raise_case_sequence(s, prefix, platform_last)
        set_state(s, _checked_name(prefix), prefix)
        if after > before:
            audit.record(s, actor=actor, action=AUDIT_ACTION, case_number=number,
                         detail=f"受理编号序号按平台记录接续：{prefix} 的序号由 {before} 提高到 {after}"
                                f"（平台上本终端当天最大的编号为 {number}）")
    nxt = format_case_number(settings.office_region_code, settings.office_terminal_id, today, after + 1)
    if after > before:
        msg = (f"已向平台核对受理编号：平台上本终端今天最大的编号是 {number}，本机编号已接续，"
               f"下一个受理编号为 {nxt}。")
        log.warning("case number sequence %s raised from %d to %d after the platform's %s", prefix, before, after,
                    number)
    else:
        msg = f"已向平台核对受理编号，下一个受理编号为 {nxt}。"
    return SequenceCheck(prefix, True, number, before, after, nxt, msg)


def check_with_platform(store, settings, today: date | None = None, *, timeout: float = CHECK_TIMEOUT,
                        actor: str = "system") -> SequenceCheck:
    """:func:`recover_sequence` with a client built from the settings and a short timeout (``backup
    restore``, ``key import``): the command never waits long, and offline it only says so."""
    from houshi_desk.sync.service import client_from_settings

    client = None
    try:
        client = client_from_settings(settings, timeout=timeout)
    except HoushiError as exc:
        log.info("case numbers: no platform client (%s)", getattr(exc, "code", type(exc).__name__))
    try:
        return recover_sequence(store, settings, client, today, actor=actor)
    finally:
        if client is not None:
            client.close()


def check_before_new_case(store, settings, today: date, *, actor: str,
                          timeout: float = CHECK_TIMEOUT) -> SequenceCheck | None:
    """Before ``houshi-desk case new`` hands out a number: when sync is configured (``platform.url``)
    and this terminal's numbers of ``today`` have not been checked with the platform yet (by this
    command or by a sync), ask it once, with a short timeout — a fresh or restored database would
    otherwise start the day at 0001, which the platform refuses (409 ``case_number_taken``). None
    when nothing was asked; else the check, whose message the command shows (``checked`` False:
    it could not ask, and the local number is used)."""
    if not settings.platform_url:
        return None
    if checked_today(store, day_prefix(settings, today)):
        return None
    return check_with_platform(store, settings, today, timeout=timeout, actor=actor)


def uploader_check(store, settings, today: Callable[[], date] = date.today, *,
                   on_raised: Callable[[SequenceCheck], None] | None = None) -> Callable[[object], bool]:
    """The uploader's ``numbers_check`` hook: once the platform answers at the start of sync, today's
    numbering continues after the platform's; True when the platform answered (checked).
    ``on_raised``: told (on the uploader's thread) when the local sequence was raised, so the window
    can say so to the clerk — the next receipt carries a number that skips the ones before it."""

    def check(client) -> bool:
        result = recover_sequence(store, settings, client, today(), actor="sync")
        if result.raised:
            log.warning("sync: %s", result.message)
            if on_raised is not None:
                on_raised(result)
        return result.checked

    return check
