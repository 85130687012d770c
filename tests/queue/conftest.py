from __future__ import annotations

import httpx
import pytest


@pytest.fixture
def queue_server(tmp_path):
    """The reference queue server in its own process on loopback; yields (url, kiosk) where
    ``kiosk()`` takes a ticket as the hall's ticket machine would."""
    from houshi_desk.queue_ref.process import spawn

    proc = spawn(tmp_path / "queue")

    def kiosk(service: str = "身后一件事") -> str:
        return httpx.post(f"{proc.url}/api/queue/v1/tickets", json={"service": service}, timeout=5).json()["ticket"]["ticket"]

    proc.kiosk = kiosk
    yield proc
    proc.stop()
