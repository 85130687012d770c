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


LOOKUP_ENTRY = "platform-lookup-key"  # the province-wide look-up key of the persons endpoints (issue 15)
MSG_NO_LOOKUP_KEY = ("尚未设置共享数据查询密钥，无法查询共享数据。请由信息科执行 "
                     "houshi-desk platform login --lookup-key-stdin 设置。")


def save_lookup_key(key: str) -> None:
    import keyring
    import keyring.errors

    require_safe_keyring(keyring)
    try:
        keyring.set_password(SERVICE, LOOKUP_ENTRY, key)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable("无法把共享查询密钥保存到系统钥匙串（钥匙串被锁定或不可用）。请解锁后重试。",
                                 detail=type(exc).__name__) from exc


def load_lookup_key() -> str:
    import keyring
    import keyring.errors

    try:
        key = keyring.get_password(SERVICE, LOOKUP_ENTRY)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable("无法从系统钥匙串读取共享查询密钥（钥匙串被锁定或不可用）。请解锁后重试。",
                                 detail=type(exc).__name__) from exc
    if not key:
        raise AuthError(MSG_NO_LOOKUP_KEY, code="no_lookup_key")
    return key
