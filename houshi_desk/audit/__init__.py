"""The audit trail: who created, viewed, changed, printed, exported or sent which case, and why.

Append-only and hash-chained (each entry carries the hash of the one before), so an edited, removed
or inserted row is detected by :func:`verify`, which names the first broken entry. ID numbers never
appear in clear: :func:`record` masks anything ID-like in the detail text.

    from houshi_desk import audit
    audit.record(session, actor="zhangsan", action="view", case_number=no, detail="窗口查询")
    result = audit.verify(session)   # VerifyResult(ok, count, broken_seq, message)
"""
from houshi_desk.audit.chain import GENESIS, entry_hash
from houshi_desk.audit.log import ACTIONS, AuditError, VerifyResult, entries, record, verify
from houshi_desk.audit.scrub import scrub

__all__ = ["ACTIONS", "GENESIS", "AuditError", "VerifyResult", "entries", "entry_hash", "record", "scrub", "verify"]
