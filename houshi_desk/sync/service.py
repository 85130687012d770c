"""Wiring an uploader from the settings: platform URL, app key, secret from the keyring, signing
scheme, CA file, chunk size, the terminal's file store. Used by ``houshi-desk sync`` and the GUI."""
from __future__ import annotations

from houshi_desk.sync.client import PlatformClient
from houshi_desk.sync.credentials import load_secret
from houshi_desk.sync.errors import MSG_NOT_CONFIGURED, NotConfigured


def client_from_settings(settings, **kw) -> PlatformClient:
    url = settings.platform_url
    if not url:
        raise NotConfigured(MSG_NOT_CONFIGURED)
    app_key = settings.platform_app_key
    return PlatformClient(url, app_key, load_secret(app_key), signer=settings.platform_signing,
                          ca_file=settings.platform_ca_file, **kw)


def default_filestore(settings):
    from houshi_desk.scanning.filestore import FileStore

    return FileStore.for_settings(settings)


def build_uploader(settings, store, *, filestore=None, **kw):
    from houshi_desk.sync.uploader import Uploader

    return Uploader(store, client_factory=lambda: client_from_settings(settings),
                    filestore=filestore if filestore is not None else default_filestore(settings),
                    chunk_size=settings.sync_chunk_size,
                    pull_interval=float(settings.sync_interval_seconds), **kw)
