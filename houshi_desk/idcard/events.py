"""Frozen events the card watcher publishes; the GUI turns them into Qt signals.

Every event names its ``reader`` and carries ``at`` (``time.monotonic()``) so latencies can be
measured. A ``CardRead`` holds the validated identity; a ``ReadFailed`` a Chinese message and hint.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from houshi_desk.domain.identity import IdentityDocument, Problem, check_document


@dataclass(frozen=True, kw_only=True)
class CardEvent:
    reader: str
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, kw_only=True)
class ReaderAdded(CardEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class ReaderRemoved(CardEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class CardInserted(CardEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class CardRemoved(CardEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class CardRead(CardEvent):
    document: IdentityDocument
    problems: tuple[Problem, ...] = ()  # those that hold whatever the role (see problems_for)
    elapsed_ms: float = 0.0  # connect → parsed

    def problems_for(self, role: str, today: date | None = None) -> list[Problem]:
        """All problems for a role: an expired card is an error for the applicant, a warning for the deceased."""
        return check_document(self.document, today or date.today(), role=role)


@dataclass(frozen=True, kw_only=True)
class ReadFailed(CardEvent):
    message: str
    hint: str = ""
    code: str = ""
    retryable: bool = True


@dataclass(frozen=True, kw_only=True)
class ServiceProblem(CardEvent):
    """The reader service or device is missing; the watcher keeps trying to reconnect."""

    message: str
    hint: str = ""


def role_independent_problems(doc: IdentityDocument, today: date) -> tuple[Problem, ...]:
    return tuple(p for p in check_document(doc, today, role="deceased") if p.code != "expired")
