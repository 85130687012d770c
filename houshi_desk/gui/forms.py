"""The one place Qt Designer forms (``ui/*.ui``) are loaded.

A form is loaded into a plain widget that its owner holds as a member (``self.form``) and puts in
its layout, as Picard does: screens are not subclasses of generated classes, so a form can be
redesigned in Designer without touching the code that drives it. Strings in a ``.ui`` file go
through Qt's translator with the form's class name as context (``pyside6-lupdate`` reads them).
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QFile, QIODevice
from PySide6.QtWidgets import QVBoxLayout, QWidget

from houshi_desk.resources import resource_path


class FormError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _loader():
    from PySide6.QtUiTools import QUiLoader

    # QUiLoader() loads every Qt Designer widget plugin on the library path at once (PySide's own,
    # QtWebEngine's, QQuickWidget's: ~20-70 ms of the login's start-up, issue 19); our forms use
    # only standard widgets, so build it with an empty library path.
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        return QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)


def load_form(name: str, host: QWidget) -> QWidget:
    """Load ``ui/<name>.ui`` and place it as the only content of ``host``; returns the form, whose
    children are reachable as attributes by object name (``form.username``)."""
    path = resource_path("ui", f"{name}.ui")
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(QCoreApplication.translate("forms", "界面文件缺失：{0}。安装可能不完整，请重新安装 houshi-desk。")
                        .format(path))
    try:
        form = _loader().load(f, host)
    finally:
        f.close()
    if form is None:
        raise FormError(QCoreApplication.translate("forms", "界面文件无法读取：{0}（{1}）")
                        .format(path, _loader().errorString()))
    layout = host.layout()
    if layout is None:
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(form)
    return form
