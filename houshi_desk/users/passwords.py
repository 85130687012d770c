"""Password hashing (argon2id via argon2-cffi: salted, slow, memory-hard) and the password rule."""
from __future__ import annotations

from functools import lru_cache

from houshi_desk.users.errors import UserError

MIN_LENGTH = 8


@lru_cache(maxsize=1)
def hasher():
    from argon2 import PasswordHasher

    # argon2-cffi's defaults follow RFC 9106's second recommendation (64 MiB, t=3, p=4): ~50–100 ms.
    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored_hash)
    except Exception:  # an unreadable hash is replaced at the next good login anyway
        return True


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    # Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
    return hash_password("houshi-desk: no such user")


def check_policy(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise UserError(f"密码太短：至少需要 {MIN_LENGTH} 个字符。请换一个更长的密码。")
    if username and password.strip().lower() == username.strip().lower():
        raise UserError("密码不能与用户名相同。请换一个密码。")
    if len(set(password)) < 3:
        raise UserError("密码过于简单（重复字符）。请换一个不易猜到的密码。")
