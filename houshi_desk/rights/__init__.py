"""Near relatives' rights over the deceased's data (个人信息保护法 arts. 49–50): export and correction.

``export_case`` gathers everything held about one case — parties, death facts, matters with their
history, materials and stored pages, tasks, prints, sync state and the case's audit entries — as a
readable JSON document (the family's copy: ID numbers are in it, on purpose). ``correct`` changes one
field with a reason. Both write an audit entry naming who did it and why; the audit text shows
changed values only masked.
"""
from houshi_desk.rights.export import RightsError, export_case, write_export
from houshi_desk.rights.correct import CORRECTABLE, correct

__all__ = ["CORRECTABLE", "RightsError", "correct", "export_case", "write_export"]
