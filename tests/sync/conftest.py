"""Fixtures for the sync tests: a real reference platform on loopback, a terminal store with the
platform credential in its (private, file-based) keyring, and cases with real attachments in the
terminal's encrypted FileStore."""
from __future__ import annotations

import os
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

APP_KEY = "terminal-w01"


@dataclass
class RefPlatform:
    url: str
    stop: object
    secret: str
    data_dir: Path

    @property
    def platform(self):
        return self.stop.platform

    def dump(self) -> dict:
        return self.platform.store.dump()


@pytest.fixture
def ref_platform(tmp_path):
    from houshi_desk.platform_ref.server import run_in_thread

    secret = secrets.token_urlsafe(24)
    data = tmp_path / "platform"
    url, stop = run_in_thread(data, clients={APP_KEY: secret})
    stop.platform.processing.step_seconds = 0.3
    yield RefPlatform(url, stop, secret, data)
    stop()


@pytest.fixture
def terminal(settings, ref_platform):
    """The terminal: encrypted store, FileStore, platform settings + credential in the keyring."""
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.db import open_store
    from houshi_desk.sync.credentials import save_secret

    settings.set("platform.url", ref_platform.url)
    settings.set("platform.app_key", APP_KEY)
    save_secret(APP_KEY, ref_platform.secret)
    store = open_store(settings)
    t = Terminal(settings, store, FileStore.for_settings(settings), ref_platform)
    yield t
    store.close()


class Terminal:
    def __init__(self, settings, store, filestore, ref):
        self.settings, self.store, self.filestore, self.ref = settings, store, filestore, ref

    def client(self, **kw):
        from houshi_desk.sync.client import PlatformClient

        return PlatformClient(self.ref.url, APP_KEY, self.ref.secret, **kw)

    def uploader(self, **kw):
        """An uploader on a fake clock (backoff waits take no time); HTTP signing uses real time."""
        from houshi_desk.sync.clock import FakeClock
        from houshi_desk.sync.uploader import Uploader

        kw.setdefault("clock", FakeClock())
        kw.setdefault("start_delay", 0.0)
        kw.setdefault("link_return_delay", 0.0)
        kw.setdefault("chunk_size", 64 * 1024)
        kw.setdefault("pull_interval", 0.5)
        client_kw = kw.pop("client_kw", {})
        return Uploader(self.store, client_factory=lambda: self.client(**client_kw), filestore=self.filestore, **kw)

    def new_case(self, attachments: list[int] = (), *, seed: int = 0, submit: bool = True) -> str:
        return make_case(self.store, self.settings, self.filestore, attachments, seed=seed, submit=submit)


def make_case(store, settings, filestore, attachments=(), *, seed=0, submit=True, today=date(2026, 1, 23)) -> str:
    """A synthetic case; ``attachments`` are sizes in bytes, each stored as one imported PDF of a
    material (random bytes: scans do not compress)."""
    from houshi_desk.services.cases import case_from_dict, create_case, get_case_row, sample_case_dict, submit_case
    from houshi_desk.store.models import MaterialFileRow

    from sqlalchemy import func, select

    from houshi_desk.store.models import CaseRow

    # one deceased has one case: the store's first case is the published sample, later ones other
    # synthetic deceased
    with store.session() as s:
        existing = s.execute(select(func.count()).select_from(CaseRow)).scalar_one()
    data = sample_case_dict() if existing == 0 else sample_case_dict(deceased_seq=existing + seed)
    number = create_case(store, case_from_dict(data), settings=settings, today=today, clerk="测试员")
    rng = random.Random(seed)
    with store.session() as s:
        row = get_case_row(s, number)
        for size, material in zip(attachments, row.materials):
            data = b"%PDF-1.4\n" + rng.randbytes(max(0, size - 9))
            sha = filestore.put(data)
            material.files.append(MaterialFileRow(page_no=1, sha256=sha, mime="application/pdf", size=len(data),
                                                  source="import", created_at=datetime.now()))
            material.state = "scanned"
    if submit:
        submit_case(store, number, clerk="测试员")
    return number


def outbox_rows(store, number=None):
    from sqlalchemy import select

    from houshi_desk.store.models_sync import SyncOutboxRow

    with store.session() as s:
        q = select(SyncOutboxRow).order_by(SyncOutboxRow.case_number, SyncOutboxRow.seq)
        if number:
            q = q.where(SyncOutboxRow.case_number == number)
        return list(s.execute(q).scalars())


def drain(uploader, *, max_steps=20_000, until=None, start=True):
    """Step the uploader until nothing is left to send (or ``until()`` is true); waits go through
    the uploader's clock (instant on a FakeClock)."""
    if start:
        uploader.start()
    for _ in range(max_steps):
        r = uploader.step()
        if until is not None and until():
            return
        if r == "worked":
            continue
        hint = uploader._wait_hint()
        if hint is None and until is None and r == "idle":
            return
        uploader.clock.sleep(max(0.01, hint if hint is not None else 0.05))
    raise AssertionError("outbox did not drain")
