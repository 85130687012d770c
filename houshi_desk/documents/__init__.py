"""The documents the window prints for a case, as PDF bytes (reportlab; no Qt here).

``render(kind, case, *, catalog=None, office=None, today=None) -> bytes`` with ``kind`` one of
``KINDS``; ``render_document(...)`` returns the same PDF with its page count, the characters no
font could draw (printed as □ — the clerk must write them in by hand) and the layout geometry the
tests check. Fonts: ``houshi_desk.documents.fonts`` (TrueType, embedded as subsets).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from houshi_desk.documents.base import KIND_LABELS, DocumentError, Office
from houshi_desk.documents.layout import Geometry
from houshi_desk.domain.case import Case

log = logging.getLogger(__name__)

KINDS = ("application", "promise", "proxy", "notice", "receipt", "receipt-roll", "completion")

__all__ = ["KINDS", "KIND_LABELS", "DocumentError", "Office", "RenderedDocument", "render", "render_document"]


@dataclass
class RenderedDocument:
    kind: str
    pdf: bytes
    pages: int
    missing_chars: list[str] = field(default_factory=list)
    geometry: Geometry = field(default_factory=Geometry)

    @property
    def warnings(self) -> list[str]:
        """Sentences for the clerk (Chinese)."""
        if not self.missing_chars:
            return []
        return [f"生僻字无法打印：{'、'.join(self.missing_chars)}（已印为“□”），请在打印件上手写补充。"]


_RENDERERS = {
    "application": ("application", "render"),
    "promise": ("promise", "render"),
    "proxy": ("proxy", "render"),
    "notice": ("notice", "render"),
    "receipt": ("receipt", "render_a4"),
    "receipt-roll": ("receipt", "render_roll"),
    "completion": ("completion", "render"),
}


def _renderer(kind: str):
    import importlib

    module, func = _RENDERERS[kind]
    return getattr(importlib.import_module(f"houshi_desk.documents.{module}"), func)


def render_document(kind: str, case: Case, *, catalog=None, office: Office | None = None,
                    today: date | None = None, font_path: str | None = None, draft: bool = False) -> RenderedDocument:
    """``draft=True``: a preview of a case not yet accepted — every page carries a large 草稿 and a
    line saying it is no receipt (the window's 预览; printing a draft's receipt stays refused)."""
    from houshi_desk.documents.base import make_context

    if kind not in KINDS:
        raise DocumentError(f"不认识的文书类型“{kind}”，可选：{'、'.join(KINDS)}。")
    if kind == "proxy" and case.proxy is None:
        raise DocumentError("本案没有受托人，不需要授权委托书。",
                            hint="只有委托他人代办时才打印授权委托书；如需委托，请先在案件中录入受托人")
    ctx = make_context(kind, case, catalog=catalog, office=office, today=today, font_path=font_path, draft=draft)
    pdf, pages = _renderer(kind)(ctx)
    doc = RenderedDocument(kind, pdf, pages, list(ctx.ink.missing), ctx.ink.geometry)
    if doc.missing_chars:
        # code points only: the characters belong to a person's name or address
        log.warning("%s %s: %d character(s) without a glyph printed as placeholder: %s", case.number, kind,
                    len(doc.missing_chars), " ".join(f"U+{ord(c):04X}" for c in doc.missing_chars))
    return doc


def render(kind: str, case: Case, *, catalog=None, office: Office | None = None, today: date | None = None,
           draft: bool = False) -> bytes:
    """The PDF of one document of ``case`` (see ``render_document`` for warnings and page count)."""
    return render_document(kind, case, catalog=catalog, office=office, today=today, draft=draft).pdf
