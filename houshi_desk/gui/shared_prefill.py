"""Shared data in the new-case window (issue 15): when the deceased's card is read or the number is
typed, the platform is asked in the background (``services.shared.look_up``); what it answers fills
the interview (each fact marked with its source and date) and marks the materials it holds as
electronic licences 共享获取 (免提交). Never blocking, never an error dialog: with the platform
unreachable one line says so and the interview asks as before. An answer that comes late fills only
what the clerk has not entered; the rest is offered. Nothing is kept beyond this dialog.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from houshi_desk.gui.ops import BackgroundOp, retry_locked

log = logging.getLogger(__name__)


class SharedPrefill(QObject):
    """One per new-case dialog; ``request(id_number)`` asks, the answer goes to the interview and
    the materials step. ``state``: "" (not asked), "asking", "ok", "unavailable"."""

    answered = Signal()

    def __init__(self, dialog):
        super().__init__(dialog)
        self.dialog = dialog
        self.number: str | None = None
        self.records = None  # services.shared.SharedRecords of the open case, or None
        self.state = ""
        self.text = ""
        self._generation = 0

    def request(self, id_number: str) -> None:
        from houshi_desk.sync.lookup import normalise_id_number

        ctx = self.dialog.ctx
        try:
            number = normalise_id_number(id_number)
        except Exception:  # noqa: BLE001 - a passport or a typo: nothing to ask the platform
            return
        if number == self.number and self.state in ("asking", "ok"):
            return
        if ctx.store is None or not ctx.settings.platform_url:
            self._unavailable()
            return
        if self.number is not None and number != self.number:  # another deceased: drop the last one's data
            self.dialog.interview.clear_shared()
            self.dialog.materials.clear_licences()
        self.number = number
        self.records = None
        self._generation += 1
        generation = self._generation
        store, settings, clerk = ctx.store, ctx.settings, ctx.clerk
        self.state, self.text = "asking", self.tr("正在查询共享数据…")
        self._show(self.text, "info")

        def ask():
            from houshi_desk.services.shared import look_up

            return retry_locked(lambda: look_up(store, clerk, settings, number, with_cases=True))

        BackgroundOp(parent=self.dialog, op=ask, success=lambda r: self._arrived(generation, r)) \
            .failure(lambda exc: self._failed(generation, exc)).in_daemon_thread().run()

    def _arrived(self, generation: int, records) -> None:
        if generation != self._generation or self.dialog.number is not None:
            return  # another deceased since, or the case is already saved
        self.records = records
        self.state = "ok"
        filled, offered = self.dialog.interview.apply_shared(records.facts)
        marked = self.dialog.materials.apply_licences(records.licences)
        if records.empty:
            self.text = self.tr("平台上暂无该逝者的共享数据，按询问办理。")
        else:
            self.text = self.tr("已取得共享数据：{0} 项信息已填入，{1} 份电子证照免提交。").format(len(filled), len(marked))
            if offered:
                self.text += self.tr("另有 {0} 项与已录入的不同，未覆盖，可在“办理事项”中采用。").format(len(offered))
        level = "ok"
        if records.cases:  # open cases of this deceased elsewhere in the province
            level = "warning"
            self.text = self.duplicate_text() + self.text
        self._show(self.text, level)
        self.answered.emit()

    def _failed(self, generation: int, exc) -> None:
        if generation != self._generation:
            return
        log.info("shared look-up failed: %s", type(exc).__name__)
        self._unavailable()

    def _unavailable(self) -> None:
        self.state = "unavailable"
        self.text = self.tr("共享数据暂不可用，按询问办理")
        self._show(self.text, "warning")
        self.answered.emit()

    def _show(self, text: str, level: str) -> None:
        self.dialog.interview.set_shared_line(text, level)
        if self.dialog.current_key() in ("interview", "materials"):  # elsewhere the step's own line stays
            self.dialog.show_message(text, level)

    def duplicate_text(self) -> str:
        cases = (self.records.cases or []) if self.records is not None else []
        if not cases:
            return ""
        c = cases[0]
        return self.tr("注意：该逝者已有受理中的案件 {0}（{1}，{2}受理），不能重复受理；请核对，"
                       "确需另行受理须由主管登记原因。").format(c["case_id"], c["office"] or self.tr("其他受理点"), c["date"])

    def platform_duplicates(self) -> list[dict]:
        """The platform's open cases of this deceased, in ``DuplicateCase``'s form."""
        cases = (self.records.cases or []) if self.records is not None else []
        return [{"number": c["case_id"], "office": c["office"] or self.tr("其他受理点"), "application_date": c["date"]}
                for c in cases]

    def ask_duplicate_override(self):
        """A supervisor at this window may accept the case anyway, with a reason (audited): a
        ``DuplicateOverride``, or None (not a supervisor, or no reason given)."""
        from houshi_desk.services.cases import DuplicateOverride
        from houshi_desk.users.roles import Role

        user = self.dialog.ctx.user
        if user is None or user.role.rank < Role.SUPERVISOR.rank:
            return None
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self.dialog, self.tr("重复受理"), self.duplicate_text() + "\n" + self.tr(
            "确需另行受理（如另一位申请人办理前案未选的事项），请主管写明原因（将记入审计）："))
        text = text.strip() if ok else ""
        return DuplicateOverride(text, user.username) if text else None

    def death_date_mismatch(self) -> str:
        """The death date entered differs from the electronic death certificate's: the warning, else ""."""
        shared = (self.records.facts.get("death_date") if self.records is not None else None) or {}
        if not shared.get("value"):
            return ""
        try:
            entered = self.dialog.death.facts().died_at.date().isoformat()
        except Exception:  # noqa: BLE001 - the death step is not complete yet
            return ""
        if entered == str(shared["value"]):
            return ""
        from houshi_desk.services.shared import provenance

        return self.tr("录入的死亡日期 {0} 与电子死亡证明的 {1}（{2}）不一致，请核对死亡证明后再提交。").format(
            entered, shared["value"], provenance(shared))

    # ---------------------------------------------------------------- at save
    def after_create(self, duplicate=None):
        """A function ``write(session, row, clerk)`` (run inside the acceptance transaction) that puts the
        licences on the case, the clerk's changes of shared facts and a supervisor's acceptance of a
        deceased with open cases elsewhere (``duplicate``) on its audit trail."""
        elsewhere = self.platform_duplicates() if duplicate is not None else []
        licences = [dict(self.dialog.materials.licences[c], material=c)
                    for c, st in self.dialog.materials.material_states().items()
                    if c in self.dialog.materials.licences and st.value == "shared"]
        overrides = dict(self.dialog.interview.overrides)

        def write(session, row, clerk: str) -> None:
            """Inside the acceptance transaction (``services.accept.accept_case``), before its submit,
            so the payload carries the licences and the override."""
            from houshi_desk.services.shared import audit_duplicate_override, audit_fact_override, mark_licences

            if elsewhere:
                audit_duplicate_override(session, row.number, duplicate, elsewhere)
            if licences:
                mark_licences(session, row, licences, clerk=clerk)
            for name, (item, value, reason) in overrides.items():
                audit_fact_override(session, row.number, clerk=clerk, fact=name, shared=item, value=value,
                                    reason=reason)
        return write
