"""Sending cases to the provincial platform: the outbox, the uploader, the results inbox, the
offline bundle. No Qt here: the GUI drives the uploader through its own thread and signals, and
``houshi-desk sync`` runs it headless. The design is /work/shared/design/SYNC.md.
"""
