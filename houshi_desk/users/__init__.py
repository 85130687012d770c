"""Users and roles: local accounts (argon2id hashes, lock-out), logins per terminal, permission checks.

    from houshi_desk import users
    user = users.login(store, settings, "zhangsan", password)       # switch user: just log in again
    users.current_user(settings)                                    # -> User | None
    users.require(settings, users.Permission.REPORT)                # raises PermissionDenied / NotLoggedIn
    users.require_role(settings, "supervisor")

The role matrix is in :mod:`houshi_desk.users.roles`.
"""
from houshi_desk.users.accounts import (
    User,
    add_user,
    bootstrap_allowed,
    change_password,
    count_users,
    list_users,
    reset_password,
    set_active,
)
from houshi_desk.users.errors import (
    AccountDisabled,
    AccountLocked,
    LoginFailed,
    NotLoggedIn,
    PermissionDenied,
    UserError,
)
from houshi_desk.users.roles import MIN_ROLE, Permission, Role, allows, can_see_office, permissions_of
from houshi_desk.users.scope import case_filter, check_case_access, report_office
from houshi_desk.users.sessions import current_user, current_user_in, login, logout, require, require_role

__all__ = [
    "AccountDisabled", "AccountLocked", "LoginFailed", "MIN_ROLE", "NotLoggedIn", "Permission", "PermissionDenied",
    "Role", "User", "UserError", "add_user", "allows", "bootstrap_allowed", "can_see_office", "case_filter", "change_password", "check_case_access",
    "count_users", "current_user", "current_user_in", "list_users", "login", "logout", "permissions_of", "report_office",
    "require", "require_role", "reset_password", "set_active",
]
