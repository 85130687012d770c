"""叫号: the window's side of the hall's queue system, behind one interface.

``QueueSystem`` is what the window needs of any queue system — call the next ticket, recall it, skip
it (the family did not come), pause and resume the window, finish the ticket when the family has been
served. ``HttpQueue`` speaks the JSON protocol of resources/openapi/queue.yaml, which the built-in
reference server (``houshi_desk.queue_ref``, ``queue.kind = "reference"``) and a vendor's adapter
(``queue.kind = "http"``) both serve. ``queue.kind = "none"``: no queue, the clerk works without
tickets. Every call may fail with ``QueueUnavailable``; the window runs them in the background and
carries on without a ticket (see gui/queue_panel.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from houshi_desk.errors import HoushiError


class QueueUnavailable(HoushiError):
    """The queue system did not answer (or answered nonsense); the clerk works on without tickets."""


class QueueRefused(HoushiError):
    """The queue system refused the request (e.g. the window is paused); the message says why."""


@dataclass(frozen=True)
class Ticket:
    number: str  # e.g. A012
    called_at: datetime | None = None
    recalls: int = 0
    state: str = "called"  # waiting | called | skipped | finished


@dataclass(frozen=True)
class WindowState:
    window: str
    paused: bool
    current: str | None
    waiting: int


class QueueSystem(Protocol):
    def call_next(self) -> Ticket | None:
        """Call the next waiting ticket to this window; None when nobody is waiting."""

    def recall(self, ticket: str) -> Ticket: ...

    def skip(self, ticket: str) -> None: ...

    def pause(self) -> WindowState: ...

    def resume(self) -> WindowState: ...

    def finish(self, ticket: str) -> None: ...

    def state(self) -> WindowState: ...


def window_name(settings) -> str:
    return (settings.queue_window or settings.office_terminal_id).strip()


def queue_for_settings(settings, *, timeout: float = 3.0) -> QueueSystem | None:
    """The configured queue system, or None for ``queue.kind = "none"`` (or no URL set)."""
    kind = settings.queue_kind
    url = settings.queue_url.strip()
    if kind == "none" or not url:
        return None
    from houshi_desk.queue.http import HttpQueue

    return HttpQueue(url, window_name(settings), timeout=timeout)
