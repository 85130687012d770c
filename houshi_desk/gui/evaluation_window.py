"""好差评 at the window (issue 17): after acceptance (and after 办结) the family is asked to rate the
service — on a window of its own on the second, family-facing monitor when one is present, else on a
printed paper slip (5-level form), or through a vendor evaluator (``evaluation.channel``).

The family-facing window shows no personal data (case number, matters and the clerk only): five large
buttons 5 非常满意 … 1 非常不满意; a level of 1–2 asks for the reasons and lets them write; 提交 saves the
evaluation with its outbox item in the background (houshi_desk/services/evaluations.py) and thanks
them. The choice of screen is ``family_screen(screens, primary)``, tested with a faked list of screens.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QGridLayout, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from houshi_desk.gui.ops import BackgroundOp, error_text

log = logging.getLogger(__name__)


def family_screen(screens, primary):
    """The monitor facing the family: the first screen that is not the clerk's (primary) one, or None
    when there is only one."""
    for screen in screens:
        if screen is not primary and screen != primary:
            return screen
    return None


class EvaluationWindow(QWidget):
    """The family-facing evaluation form for one case."""

    recorded = Signal(int)  # the evaluation's id
    failed = Signal(str)

    def __init__(self, ctx, number: str, stage: str = "accepted", *, matters: str = "", clerk: str = ""):
        super().__init__(None, Qt.WindowType.Window)
        from houshi_desk.services.evaluations import LEVELS, LOW_REASONS

        level_text = {5: self.tr("非常满意"), 4: self.tr("满意"), 3: self.tr("基本满意"), 2: self.tr("不满意"),
                      1: self.tr("非常不满意")}
        reason_text = {"guide": self.tr("办事指南不清楚、不准确"), "waiting": self.tr("等候或办理时间过长"),
                       "materials": self.tr("要求的材料过多或重复提交"), "attitude": self.tr("工作人员服务态度不好"),
                       "result": self.tr("对办理结果不满意"), "other": self.tr("其他")}
        self.ctx, self.number, self.stage = ctx, number, stage
        self.evaluation_id: int | None = None
        self.setObjectName("EvaluationWindow")
        self.setWindowTitle(self.tr("请您评价本次服务"))
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("请您对本次服务作出评价"))
        title.setObjectName("heading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        title.setFont(font)
        lay.addWidget(title)
        info = QLabel(self.tr("受理编号：{0}").format(number) + ("\n" + self.tr("办理事项：{0}").format(matters) if matters else "")
                      + ("\n" + self.tr("经办人：{0}").format(clerk) if clerk else ""))
        info.setWordWrap(True)
        info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(info)
        grid = QGridLayout()
        self.levels = QButtonGroup(self)
        self.level_buttons = {}
        for col, level in enumerate(sorted(LEVELS, reverse=True)):
            b = QPushButton(level_text[level] + "\n" + "★" * level)
            b.setObjectName(f"level_{level}")
            b.setCheckable(True)
            b.setMinimumHeight(90)
            bf = b.font()
            bf.setPointSize(bf.pointSize() + 4)
            b.setFont(bf)
            self.levels.addButton(b, level)
            self.level_buttons[level] = b
            grid.addWidget(b, 0, col)
        lay.addLayout(grid)
        self.levels.idClicked.connect(self._level_chosen)
        self.reasons_label = QLabel(self.tr("请告诉我们哪里做得不好（可多选）："))
        lay.addWidget(self.reasons_label)
        self.reason_boxes = {}
        for code, label in LOW_REASONS.items():
            box = QCheckBox(reason_text.get(code, label))
            box.setObjectName(f"reason_{code}")
            self.reason_boxes[code] = box
            lay.addWidget(box)
        self.text = QPlainTextEdit()
        self.text.setObjectName("evaluation_text")
        self.text.setPlaceholderText(self.tr("您的意见和建议（可不填）"))
        self.text.setMaximumHeight(100)
        lay.addWidget(self.text)
        self.submit_button = QPushButton(self.tr("提交评价"))
        self.submit_button.setObjectName("primary")
        self.submit_button.setEnabled(False)
        self.submit_button.setMinimumHeight(60)
        self.submit_button.clicked.connect(self.submit)
        lay.addWidget(self.submit_button)
        self.message = QLabel()
        self.message.setObjectName("note")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.message)
        self._show_reasons(False)

    def _show_reasons(self, shown: bool) -> None:
        self.reasons_label.setVisible(shown)
        for box in self.reason_boxes.values():
            box.setVisible(shown)

    def _level_chosen(self, level: int) -> None:
        from houshi_desk.services.evaluations import BAD

        self._show_reasons(level in BAD)
        self.submit_button.setEnabled(True)
        self.message.clear()

    def level(self) -> int | None:
        level = self.levels.checkedId()
        return level if level > 0 else None

    def submit(self) -> None:
        from houshi_desk.services.evaluations import BAD, record_evaluation

        level = self.level()
        if level is None:
            self.message.setText(self.tr("请先点选一个评价等级。"))
            return
        reasons = [c for c, b in self.reason_boxes.items() if b.isChecked()] if level in BAD else []
        text = self.text.toPlainText().strip()
        if level in BAD and not reasons and not text:
            self.message.setText(self.tr("请勾选不满意的原因，或写下您的意见，以便我们整改。"))
            return
        store, settings, number, stage = self.ctx.store, self.ctx.settings, self.number, self.stage
        self.submit_button.setEnabled(False)

        def work():
            return record_evaluation(store, settings, case_number=number, level=level, channel="window",
                                     stage=stage, reasons=reasons, text=text)

        BackgroundOp(parent=self, op=work, success=self._saved).failure(self._failed).writes().run()

    def _saved(self, eid: int) -> None:
        self.evaluation_id = eid
        self.message.setText(self.tr("谢谢您的评价！"))
        for b in self.level_buttons.values():
            b.setEnabled(False)
        self.recorded.emit(eid)
        if self.ctx.sync is not None:
            self.ctx.sync.wake()
        QTimer.singleShot(3000, self.close)

    def _failed(self, exc) -> None:
        self.submit_button.setEnabled(True)
        text = self.tr("评价未能保存：{0}请告知窗口工作人员。").format(error_text(exc))
        self.message.setText(text)
        self.failed.emit(text)


def show_on_screen(ctx, number: str, stage: str, screen) -> EvaluationWindow:
    """The evaluation window, full screen on the family's monitor ``screen``."""
    try:
        from houshi_desk.services.evaluations import evaluation_case_info

        matters, clerk = evaluation_case_info(ctx.store, ctx.user, number, settings=ctx.settings)
    except Exception:  # noqa: BLE001 - the form works without the names
        log.info("evaluation: case details not shown", exc_info=True)
        matters, clerk = "", ""
    win = EvaluationWindow(ctx, number, stage, matters=matters, clerk=clerk)
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    win.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # the clerk's keyboard stays at the counter
    win.setScreen(screen)
    win.setGeometry(screen.availableGeometry())
    win.showFullScreen()
    return win


def offer_evaluation(ctx, number: str, stage: str = "accepted", *, parent=None, screens=None, primary=None):
    """Offer the evaluation of case ``number`` as ``evaluation.channel`` says. Returns the
    EvaluationWindow when one was shown, else None (a slip is printed, an evaluator asked, in the
    background). ``screens``/``primary``: the monitors (tests pass a faked list)."""
    channel = ctx.settings.evaluation_channel
    if channel == "none" or ctx.store is None:
        return None
    if channel == "evaluator":
        _ask_evaluator(ctx, number, stage, parent)
        return None
    if channel == "screen":
        if screens is None:
            screens, primary = QGuiApplication.screens(), QGuiApplication.primaryScreen()
        screen = family_screen(screens, primary)
        if screen is not None:
            win = show_on_screen(ctx, number, stage, screen)
            if parent is not None:
                parent.evaluation_windows = [w for w in getattr(parent, "evaluation_windows", []) if w.isVisible()]
                parent.evaluation_windows.append(win)
            return win
    _print_slip(ctx, number, stage, parent)
    return None


def _note(parent, text: str) -> None:
    if parent is not None and hasattr(parent, "statusBar"):
        parent.statusBar().showMessage(text, 15000)


def _print_slip(ctx, number: str, stage: str, parent) -> None:
    from houshi_desk.services.evaluations import print_slip

    store, settings, user = ctx.store, ctx.settings, ctx.clerk

    def done(outcome) -> None:
        if outcome.status == "printed":
            _note(parent, QCoreApplication.translate("EvaluationWindow", "评价单已打印，请交给群众填写。"))
        elif outcome.status == "saved":
            _note(parent, QCoreApplication.translate("EvaluationWindow", "未设置评价单打印机，评价单已保存为 PDF，请从文书目录打印后交给群众。"))
        else:
            _note(parent, QCoreApplication.translate("EvaluationWindow", "评价单未能打印：{0}请检查打印机后重新打印。").format(outcome.error))

    def failed(exc) -> None:
        log.info("evaluation slip not printed: %s", type(exc).__name__)
        _note(parent, QCoreApplication.translate("EvaluationWindow", "评价单未能生成：{0}").format(error_text(exc)))

    BackgroundOp(parent=parent, op=lambda: print_slip(store, settings, number, user=user, stage=stage),
                 success=done).failure(failed).writes().run()


def _ask_evaluator(ctx, number: str, stage: str, parent) -> None:
    from houshi_desk.services.evaluations import evaluate_on_device

    store, settings = ctx.store, ctx.settings

    def done(eid) -> None:
        if eid is None:
            _note(parent, QCoreApplication.translate("EvaluationWindow", "群众未在评价器上评价。"))

    def failed(exc) -> None:
        log.info("evaluator unavailable: %s", type(exc).__name__)
        _note(parent, QCoreApplication.translate("EvaluationWindow", "评价器未连接，本次评价改用纸质评价单。"))
        _print_slip(ctx, number, stage, parent)

    BackgroundOp(parent=parent, op=lambda: evaluate_on_device(store, settings, number, stage=stage),
                 success=done).failure(failed).in_daemon_thread().run()
