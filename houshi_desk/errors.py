"""The one error type whose message may reach a clerk.

``message`` is a Chinese sentence saying what went wrong and what to do next; ``detail`` is for the
log (never an ID number in clear). Subsystems subclass it; the CLI and the GUI show ``message``.
"""
from __future__ import annotations


class HoushiError(Exception):
    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}（{self.hint}）"
