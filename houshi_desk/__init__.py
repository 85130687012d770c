"""houshi-desk: the counter-side program for 公民身后“一件事” (one window, every department's matter).

Layers: ``domain`` (pure rules), ``store`` (SQLAlchemy), device packages (``idcard``, ``scanning``),
``documents`` (PDFs), ``sync`` (outbox → platform), ``services`` (workflows), ``gui`` (the only Qt user).
"""
__version__ = "0.1.0"
