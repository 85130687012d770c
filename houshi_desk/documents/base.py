"""What every document renderer shares: the case with its catalog and checklist, the office, the
texts, and building the PDF (fonts embedded, every page inside its size, geometry recorded).
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from houshi_desk.documents.fonts import FontSet, font_set
from houshi_desk.documents.layout import Geometry, Ink
from houshi_desk.documents.texts import Texts, load_texts
from houshi_desk.domain.case import Case, MatterStatus
from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)


class DocumentError(HoushiError):
    """A document cannot be made for this case (e.g. a 委托书 without a proxy)."""


@dataclass(frozen=True)
class Office:
    name: str = ""
    phone: str = ""
    sms_notify: bool = False  # the platform texts the applicant (setting platform.sms_notify)

    @classmethod
    def from_settings(cls, settings=None) -> "Office":
        if settings is None:
            from houshi_desk.config import load_settings

            settings = load_settings()
        return cls(settings.office_name, settings.office_phone, bool(settings.platform_sms_notify))


@dataclass
class Context:
    kind: str
    case: Case
    catalog: object  # houshi_desk.domain.catalog.Catalog
    office: Office
    today: date
    texts: Texts
    ink: Ink
    _checklist: object = field(default=None, repr=False)
    draft: bool = False  # a preview of a case not yet accepted: every page is marked 草稿

    @property
    def fonts(self) -> FontSet:
        return self.ink.fonts

    # -- catalog look-ups that never drop a case's matter (a code the catalog no longer has is shown)
    def matter_name(self, code: str) -> str:
        try:
            m = self.catalog.matter(code)
        except KeyError:
            return code
        return m.extra.get("form_label") or m.name

    def department_name(self, code: str) -> str:
        try:
            return self.catalog.departments[self.catalog.matter(code).department].name
        except KeyError:
            return ""

    def checklist(self):
        """The checklist the family was told at acceptance (kept on the case), so a reprint says what
        the first print said; for a case not yet accepted, the catalog's checklist for its facts
        (cached). ``DocumentError`` if the facts cannot be evaluated."""
        if self._checklist is None and self.case.checklist:
            from houshi_desk.domain.checklist import ChecklistResult

            self._checklist = ChecklistResult.from_json(self.case.checklist)
        if self._checklist is None:
            from houshi_desk.domain.case import derive_facts
            from houshi_desk.domain.checklist import evaluate
            from houshi_desk.domain.facts import validate_facts

            facts = derive_facts(self.case, self.application_date)
            try:
                self._checklist = evaluate(self.catalog, validate_facts(facts, read=self.catalog.facts_read()),
                                           self.application_date)
            except HoushiError as exc:
                raise DocumentError(f"案件事实不完整，无法生成{KIND_LABELS.get(self.kind, '文书')}：{exc.message}",
                                    hint="请在案件中补全相关情况后重试") from None
        return self._checklist

    @property
    def application_date(self) -> date:
        return self.case.application_date or self.today

    def accepted_matters(self):
        """The case's matters the window took on (chosen and applicable, not withdrawn)."""
        out = []
        for m in self.case.matters:
            if m.chosen and m.applicable and m.status not in (MatterStatus.WITHDRAWN, MatterStatus.NOT_APPLICABLE,
                                                              MatterStatus.NOT_CHOSEN):
                out.append(m)
        return out


KIND_LABELS = {
    "application": "申请表",
    "promise": "承诺书",
    "proxy": "授权委托书",
    "notice": "一次性告知单",
    "receipt": "受理回执",
    "receipt-roll": "受理回执（小票）",
    "completion": "办结通知书",
    "referral": "分别办理指引",
}


def fmt_date(d: date | datetime | None, with_time: bool = False) -> str:
    if d is None:
        return ""
    if with_time and isinstance(d, datetime):
        return f"{d.year}年{d.month}月{d.day}日 {d.hour:02d}:{d.minute:02d}"
    return f"{d.year}年{d.month}月{d.day}日"


DRAFT_MARK = "草稿"
DRAFT_NOTE = "草稿：案件尚未受理，仅供核对，不作受理凭证"


def make_context(kind: str, case: Case, *, catalog=None, office=None, today=None, font_path=None,
                 draft: bool = False) -> Context:
    if catalog is None:
        from houshi_desk.domain.catalog import load_catalog

        catalog = load_catalog(case.region)
    fonts = font_set(font_path)
    return Context(kind=kind, case=case, catalog=catalog, office=office or Office.from_settings(),
                   today=today or date.today(), texts=load_texts(case.region, kind),
                   ink=Ink(fonts, Geometry()), draft=draft)


def _draft_mark(canv: Canvas, font: str, pagesize) -> None:
    """A large light-grey 草稿 across the page (under the content) and a line at its top saying why."""
    w, h = pagesize
    canv.saveState()
    canv.setFillColorRGB(0.86, 0.86, 0.86)
    size = min(w, h) / 3
    canv.setFont(font, size)
    canv.translate(w / 2, h / 2)
    canv.rotate(35 if h > w else 0)
    canv.drawCentredString(0, -size / 3, DRAFT_MARK)
    canv.restoreState()
    canv.saveState()
    canv.setFillColorRGB(0.45, 0.45, 0.45)
    note = min(8.0, w / (len(DRAFT_NOTE) + 2))
    canv.setFont(font, note)
    canv.drawCentredString(w / 2, h - note * 1.6, DRAFT_NOTE)
    canv.restoreState()


def build(ctx: Context, story: list, *, pagesize=A4, margins=(15 * mm, 15 * mm, 15 * mm, 15 * mm),
          footer: bool = True) -> tuple[bytes, int]:
    """Build the PDF; returns (bytes, page count). The canvas's first font is the CJK font, so no
    non-embedded base-14 font ends up in the file."""
    buf = io.BytesIO()
    left, right, top, bottom = margins
    title = KIND_LABELS.get(ctx.kind, ctx.kind)
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                            bottomMargin=bottom, title=title, author=ctx.office.name or "houshi-desk",
                            # the real CreationDate; SOURCE_DATE_EPOCH pins it where output must repeat (tests)
                            subject=ctx.case.number, creator="houshi-desk", invariant=0,
                            initialFontName=ctx.fonts.main)
    pages = [0]
    main = ctx.fonts.main
    header = getattr(ctx.catalog, "header", {}) or {}
    draft_note = header.get("papers_note") if ctx.kind in ("application", "promise", "proxy") else None
    number = ctx.case.number

    draft = ctx.draft

    def on_page(canv: Canvas, _doc) -> None:
        pages[0] = canv.getPageNumber()
        if draft:
            _draft_mark(canv, main, pagesize)
        if footer:
            canv.saveState()
            canv.setFont(main, 7.5)
            canv.drawRightString(pagesize[0] - right, bottom / 2, f"{number}  第 {canv.getPageNumber()} 页")
            canv.restoreState()

    if draft_note:  # e.g. NX publishes no forms: the paper says it follows the NM form as a draft
        from reportlab.platypus import Spacer

        story = [*story, Spacer(1, 4), ctx.ink.para(draft_note, 7.5)]
    ctx.ink.geometry.page_size = pagesize
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue(), pages[0]
