"""Retention: after ``retention.years`` a closed (or cancelled) case loses its scans and personal data.

What goes: the stored page files (encrypted scans), saved PDFs of printed documents, the parties'
names (→ "（已删除）"), ID numbers, card data and photos, addresses, phones, employers and bank
details, the death proof and bank details, free-text notes, department result texts and the
platform payloads already delivered. What stays, for the reports' anonymous counts: the case
number, region, office, clerk account, dates, status, matters with their statuses and due dates,
material codes and states, the print log (without file), the audit trail.

A dry run lists what would go (ID numbers masked) and changes nothing. The database is changed
first, in one transaction; files are deleted after it commits (a crash in between leaves only
unreferenced encrypted files, which ``FileStore.collect`` or the next run removes).
"""
from houshi_desk.retention.policy import Candidate, RetentionResult, candidates, cutoff_date, run

__all__ = ["Candidate", "RetentionResult", "candidates", "cutoff_date", "run"]
