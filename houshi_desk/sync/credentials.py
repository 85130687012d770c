"""The platform credential (app key + secret) lives in the OS keyring only.

Settings hold the (non-secret) app key and URL; the secret is the keyring entry
``platform-secret:<app_key>`` under the service ``houshi-desk``. Nothing here logs the secret.
"""
from __future__ import annotations

from houshi_desk.store.keys import SERVICE, KeyringUnavailable, require_safe_keyring
from houshi_desk.sync.errors import MSG_NO_CREDENTIALS, AuthError


def _entry(app_key: str) -> str:
    return f"platform-secret:{app_key}"


def save_secret(app_key: str, secret: str) -> None:
    import keyring
    import keyring.errors

    require_safe_keyring(keyring)
    try:
        keyring.set_password(SERVICE, _entry(app_key), secret)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable("无法把平台密钥保存到系统钥匙串（钥匙串被锁定或不可用）。请解锁后重试。",
                                 detail=type(exc).__name__) from exc


def load_secret(app_key: str) -> str:
    import keyring
    import keyring.errors

    if not app_key:
        raise AuthError(MSG_NO_CREDENTIALS, code="no_credentials")
    try:
        secret = keyring.get_password(SERVICE, _entry(app_key))
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable("无法从系统钥匙串读取平台密钥（钥匙串被锁定或不可用）。请解锁后重试。",
                                 detail=type(exc).__name__) from exc
    if not secret:
        raise AuthError(MSG_NO_CREDENTIALS, code="no_credentials")
    return secret


def forget_secret(app_key: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(SERVICE, _entry(app_key))
    except keyring.errors.PasswordDeleteError:
        pass
