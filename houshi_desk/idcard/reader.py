"""The one way in for ID cards: the ``CardReader`` protocol every transport implements.

A reader reports *changes* (reader plugged in or out, card placed or lifted) from
:meth:`CardReader.wait_changes`, which blocks at most ``timeout`` seconds and returns early when
:meth:`CardReader.cancel` is called from another thread; :meth:`CardReader.read_card` reads the
card on one slot and returns the parsed identity or raises a :class:`CardError`. The
:class:`~houshi_desk.idcard.watcher.CardWatcher` turns this into events for the GUI.

Polling transports (serial SAM, vendor SDK, the simulated reader) share :class:`PollingReader`,
which turns a "which card is there" poll into the same changes.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
import time
from dataclasses import dataclass
from typing import Hashable, Protocol, runtime_checkable

from houshi_desk.domain.identity import IdentityDocument


@dataclass(frozen=True)
class SlotChange:
    kind: str  # reader_added | reader_removed | card_present | card_absent
    reader: str


@runtime_checkable
class CardReader(Protocol):
    kind: str  # pcsc | serial | sdk | simulated
    label: str  # Chinese, for the status bar

    def open(self) -> None: ...

    def close(self) -> None: ...

    def cancel(self) -> None:
        """Wake a blocked :meth:`wait_changes` at once; safe from any thread."""

    def wait_changes(self, timeout: float) -> list[SlotChange]: ...

    def read_card(self, reader: str) -> IdentityDocument: ...


class PollingReader(ABC):
    """Base for transports that can only ask "is a card there?": one slot, polled."""

    kind = "polling"
    label = "读卡器"
    poll_interval = 0.25

    def __init__(self, name: str):
        self.name = name
        self._cancel = threading.Event()
        self._announced = False
        self._token: Hashable | None = None

    # Subclasses: open/close the device and say which card (any token that changes when a card
    # is replaced) is in the field, or None.
    def open(self) -> None:
        self._announced = False
        self._token = None

    def close(self) -> None:
        pass

    @abstractmethod
    def poll_card(self) -> Hashable | None: ...

    @abstractmethod
    def read_card(self, reader: str) -> IdentityDocument: ...

    def cancel(self) -> None:
        self._cancel.set()

    def wait_changes(self, timeout: float) -> list[SlotChange]:
        changes: list[SlotChange] = []
        if not self._announced:
            self._announced = True
            changes.append(SlotChange("reader_added", self.name))
        deadline = time.monotonic() + timeout
        while True:
            token = self.poll_card()
            if token != self._token:
                if self._token is not None:
                    changes.append(SlotChange("card_absent", self.name))
                if token is not None:
                    changes.append(SlotChange("card_present", self.name))
                self._token = token
            if changes:
                return changes
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return changes
            if self._cancel.wait(min(self.poll_interval, remaining)):
                self._cancel.clear()
                return changes
