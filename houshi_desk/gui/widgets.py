"""Small widgets and helpers the screens share (date fields, combo boxes of enums, tables)."""
from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem


def tr(text: str) -> str:
    # pyside6-lupdate files a bare tr("…") under the empty context, so look it up there
    return QCoreApplication.translate("", text)


def parse_date(text: str) -> date | None:
    """``2026-01-20``, ``2026.1.20``, ``20260120`` or ``2026年1月20日``; None if empty; ValueError if wrong."""
    t = text.strip()
    if not t:
        return None
    m = re.fullmatch(r"(\d{4})\D?(\d{1,2})\D?(\d{1,2})日?", t) if not re.fullmatch(r"\d{8}", t) else \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)
    if not m:
        raise ValueError(t)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_datetime(text: str) -> datetime | None:
    """``2026-01-20 08:30`` (time optional: midnight)."""
    t = text.strip()
    if not t:
        return None
    m = re.fullmatch(r"(.+?)(?:[ T](\d{1,2})[:：](\d{2}))?", t)
    d = parse_date(m.group(1))
    if d is None:
        return None
    h, mi = (int(m.group(2)), int(m.group(3))) if m.group(2) else (0, 0)
    return datetime(d.year, d.month, d.day, h, mi)


class DateEdit(QLineEdit):
    """A date typed as digits (keyboard-first; blank allowed, unlike QDateEdit)."""

    def __init__(self, parent=None, *, with_time: bool = False):
        super().__init__(parent)
        self.with_time = with_time
        self.setPlaceholderText("YYYY-MM-DD HH:MM" if with_time else "YYYY-MM-DD")
        self.setMaximumWidth(170)

    def value(self):
        return parse_datetime(self.text()) if self.with_time else parse_date(self.text())

    def set_value(self, value) -> None:
        if value is None:
            self.clear()
        elif isinstance(value, datetime):
            self.setText(f"{value:%Y-%m-%d %H:%M}")
        else:
            self.setText(value.isoformat())

    def valid(self) -> bool:
        try:
            self.value()
            return True
        except ValueError:
            return False


def enum_combo(values: dict, *, placeholder: str | None = None, parent=None) -> QComboBox:
    """A combo of ``value → label``; ``currentData()`` is the value (None for the placeholder)."""
    box = QComboBox(parent)
    if placeholder is not None:
        box.addItem(placeholder, None)
    for value, label in values.items():
        box.addItem(label, value)
    return box


def select_data(box: QComboBox, value) -> None:
    i = box.findData(value)
    box.setCurrentIndex(i if i >= 0 else 0)


def note_label(text: str = "", *, name: str = "note") -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setObjectName(name)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def make_table(headers: list[str], *, stretch: int | None = None) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    h = t.horizontalHeader()
    h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        h.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def cell(text, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


# Window sizes are designed for the smallest counter screen: 1366×768 (also a 150 % display whose
# logical size is that), minus a taskbar and the title bar.
DESIGN_SCREEN = (1366, 768)


def fit_initial(widget, width: int, height: int) -> None:
    """Resize to the designed size, shrunk to the screen the widget is on when that is smaller."""
    widget.preferred_size = (width, height)
    screen = widget.screen() if hasattr(widget, "screen") else None
    if screen is not None:
        avail = screen.availableGeometry()
        width, height = min(width, avail.width() - 20), min(height, avail.height() - 50)
    widget.resize(width, height)


class WheelGuard:
    """App-wide: the mouse wheel changes a combo box, spin box or date field only when the clerk
    has put the focus there (clicked or tabbed into it); over any other such field it scrolls the
    panel around it, so scrolling down the interview never turns a 是 into a 否 unnoticed.

    Installed once on the QApplication (``install_wheel_guard``); fields polished afterwards also
    stop taking the focus from the wheel (StrongFocus instead of WheelFocus)."""

    @classmethod
    def install(cls, app) -> None:
        if app is None or getattr(app, "_houshi_wheel_guard", None) is not None:
            return
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox

        wheel, polish = QEvent.Type.Wheel, QEvent.Type.Polish
        guarded = (QComboBox, QAbstractSpinBox)
        strong = Qt.FocusPolicy.StrongFocus

        class _Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                t = event.type()
                if t == polish:
                    if isinstance(obj, guarded) and obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                        obj.setFocusPolicy(strong)
                    return False
                if t != wheel or not isinstance(obj, guarded) or obj.hasFocus():
                    return False
                if isinstance(obj, QComboBox) and obj.view().isVisible():
                    return False  # its list is open: the wheel moves through the list
                area = obj.parentWidget()
                while area is not None and not isinstance(area, QAbstractScrollArea):
                    area = area.parentWidget()
                if area is not None:
                    from PySide6.QtCore import QPointF
                    from PySide6.QtWidgets import QApplication
                    from PySide6.QtGui import QWheelEvent

                    vp = area.viewport()
                    pos = QPointF(vp.mapFromGlobal(event.globalPosition().toPoint()))
                    QApplication.sendEvent(vp, QWheelEvent(
                        pos, event.globalPosition(), event.pixelDelta(), event.angleDelta(), event.buttons(),
                        event.modifiers(), event.phase(), event.inverted()))
                event.ignore()
                return True

        f = _Filter(app)
        app.installEventFilter(f)
        app._houshi_wheel_guard = f


def install_wheel_guard(app=None) -> None:
    """See ``WheelGuard``; safe to call more than once."""
    from PySide6.QtWidgets import QApplication

    WheelGuard.install(app or QApplication.instance())
