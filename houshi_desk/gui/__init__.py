"""The window (PySide6): the only package that imports Qt.

Widgets stay thin: every rule comes from ``houshi_desk.services`` and ``houshi_desk.domain``; work
that may block (database, rendering, printing, card reads, uploads) runs off the GUI thread through
:mod:`houshi_desk.gui.ops`, and device events arrive as Qt signals (:mod:`houshi_desk.gui.bridges`).
"""
