"""Scanning: paper in, small encrypted pages attached to a case's materials out.

Sources (one ``ScanSource`` interface, :mod:`.source`): SANE in a worker process (:mod:`.sane_source`),
file import (:mod:`.fileimport`), a watched folder (:mod:`.watch`), WIA on Windows (:mod:`.wia`) and
the document camera (``houshi_desk.gui.camera``, Qt Multimedia). Every page goes through the Pillow
pipeline (:mod:`.pipeline`), is stored encrypted by SHA-256 (:mod:`.filestore`), attached to a
material all-or-nothing (:mod:`.attach`) and exported as one PDF per material (:mod:`.export`).
No Qt here.
"""
