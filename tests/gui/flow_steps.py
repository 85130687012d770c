"""Walking the new-case dialog to a step with the simulated reader's sample cards (shared by the
window tests; each test then asserts what its step is about)."""
from __future__ import annotations


def reach_interview(qtbot, dlg, reader, *, relationship: int = 2, proof_number: str = "Z1") -> None:
    """Applicant and deceased from their cards, death facts typed: the interview step is current."""
    reader.insert("applicant")
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=5000)
    dlg.applicant.person.relationship.setCurrentIndex(relationship)
    dlg.go_next()
    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.proof_number.setText(proof_number)
    dlg.go_next()
    assert dlg.current_key() == "interview", dlg.form.message.text()


def reach_materials(qtbot, dlg, reader) -> None:
    reach_interview(qtbot, dlg, reader, proof_number="Z150702202600001")
    dlg.go_next()
    assert dlg.current_key() == "materials"
