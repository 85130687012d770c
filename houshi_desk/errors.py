"""The one error type whose message may reach a clerk.

``message`` is a Chinese sentence saying what went wrong and what to do next; ``detail`` is for the
log (never an ID number in clear). Subsystems subclass it; the CLI and the GUI show ``message``.

Every error class carries a stable ``code`` (``<area>.<ClassName>``, e.g. ``sync.RejectedError``), and
an error may carry ``params`` (the values in its sentence). The codes are listed in the window's
translation catalogue (context ``errors``): a second language (the Mongolian catalogue) translates by
code and fills in the params, so core errors are not stuck in Chinese; without a translation the
Chinese sentence is shown as it is. Printed documents stay Chinese by design.
"""
from __future__ import annotations

from typing import Any, ClassVar


class HoushiError(Exception):
    code: ClassVar[str] = "core.HoushiError"

    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None,
                 params: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint
        self.params = dict(params or {})

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:  # stable and unique: the area it lives in and its class name
            parts = cls.__module__.split(".")
            area = parts[1] if len(parts) > 1 and parts[0] == "houshi_desk" else parts[0]
            cls.code = f"{area}.{cls.__name__}"

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}（{self.hint}）"


def error_classes() -> list[type[HoushiError]]:
    """Every HoushiError class of the program below the window (imports each module to find them)."""
    import importlib
    import pkgutil

    import houshi_desk

    for info in pkgutil.walk_packages(houshi_desk.__path__, "houshi_desk."):
        name = info.name
        if name.startswith(("houshi_desk.gui", "houshi_desk.platform_ref", "houshi_desk.queue_ref")) \
                or ".migrations" in name or name.endswith("__main__"):
            continue
        try:
            importlib.import_module(name)
        except ImportError as exc:  # an optional third-party package (rapidocr, sane…) not installed here
            if (exc.name or "").startswith("houshi_desk"):
                raise  # one of ours missing is a bug, not an option
            continue
    out, todo = [], [HoushiError]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted({c for c in out if c.__module__.startswith("houshi_desk")}, key=lambda c: c.code)
