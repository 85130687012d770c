"""模拟读卡器: an in-process reader for the demo when no PC/SC service is available.

It goes through the same text-block encoder and parser as a real card, so what the demo shows is
what a real read would give. ``insert(person)`` / ``remove()`` from any thread.
"""
from __future__ import annotations

import itertools
import threading

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.idcard.errors import CardRemovedError
from houshi_desk.idcard.persons import SyntheticPerson, as_person
from houshi_desk.idcard.reader import PollingReader
from houshi_desk.idcard.text_block import parse_text_block

SIMULATED_READER_NAME = "模拟读卡器"


class SimulatedReader(PollingReader):
    kind = "simulated"
    label = SIMULATED_READER_NAME

    def __init__(self, name: str = SIMULATED_READER_NAME):
        super().__init__(name)
        self._lock = threading.Lock()
        self._person: SyntheticPerson | None = None
        self._generation = 0
        self._counter = itertools.count(1)

    def insert(self, person: SyntheticPerson | IdentityDocument | str) -> None:
        p = as_person(person)
        with self._lock:
            self._person = p
            self._generation = next(self._counter)
        self.cancel()  # wake the watcher now rather than at the next poll

    def remove(self) -> None:
        with self._lock:
            self._person = None
        self.cancel()

    def poll_card(self):
        with self._lock:
            return self._generation if self._person is not None else None

    def read_card(self, reader: str) -> IdentityDocument:
        with self._lock:
            person = self._person
        if person is None:
            raise CardRemovedError("simulated card removed")
        return parse_text_block(person.text_block(), person.photo or None)
