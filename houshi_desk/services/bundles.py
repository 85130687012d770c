"""Import a USB bundle (离线包): the use case behind ``houshi-desk bundle import``.

A bundle is trusted only from the signer provincial IT set in the lockable setting
``sync.bundle_signer`` (the exporting terminal's fingerprint, shown when it exports). Naming another
signer for one import (``expect_signer``) is an administrator's decision; without a configured signer
nothing is imported (issue 14: a bundle re-signed with another key was accepted unless the clerk
happened to pass ``--expect-signer``).
"""
from __future__ import annotations

from pathlib import Path

from houshi_desk.errors import HoushiError
from houshi_desk.users.roles import Permission, Role
from houshi_desk.users.sessions import require, require_role


class BundleSignerRefused(HoushiError):
    """The bundle's signer is not one this PC may trust."""


def _norm(fpr: str) -> str:
    return (fpr or "").replace("-", "").replace(":", "").replace(" ", "").upper()


def import_usb_bundle(store, settings, path: Path, passphrase: str, *, user, filestore,
                      expect_signer: str | None = None):
    """Import ``path`` if it is signed by the configured signer (or, for an administrator, by
    ``expect_signer``). Returns the bundle's ImportResult."""
    from houshi_desk.sync.bundle import import_bundle

    require(user, Permission.CASE_SUBMIT)
    configured = (settings.sync_bundle_signer or "").strip()
    asked = (expect_signer or "").strip()
    if asked and _norm(asked) != _norm(configured):
        require_role(user, Role.ADMIN)  # trusting another signer than the configured one
    signer = asked or configured
    if not signer:
        raise BundleSignerRefused(
            "本机尚未设置可信的离线包签名者，未导入任何内容。",
            hint="请信息科在设置 sync.bundle_signer 中填写导出终端的签名指纹（导出时显示）并锁定；"
                 "临时导入须由管理员用 --expect-signer 指定")
    return import_bundle(store, filestore, Path(path), passphrase, expect_signer=signer)
