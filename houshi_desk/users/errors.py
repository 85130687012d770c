"""Errors of the users area; every message says what happened and what to do next."""
from __future__ import annotations

from houshi_desk.errors import HoushiError


class UserError(HoushiError):
    """A user-management request that cannot be done as asked (unknown user, weak password…)."""


class LoginFailed(UserError):
    """Wrong user name or password (deliberately the same message for both)."""


class AccountLocked(UserError):
    pass


class AccountDisabled(UserError):
    pass


class NotLoggedIn(UserError):
    pass


class PermissionDenied(UserError):
    pass
