"""Roles and what each may do — the one place the permission matrix is written down.

Three roles, each including everything of the one before:

| permission            | clerk 窗口工作人员 | supervisor 主管 | admin 管理员 |
| --------------------- | :---: | :---: | :---: |
| case.create / view / print / submit (own office's cases) | ✓ | ✓ | ✓ |
| case.reprint_any  补打他人经办的文书                        |   | ✓ | ✓ |
| report            日终报表、周/月报表                       |   | ✓ | ✓ |
| audit.verify      核验、查阅审计链                          |   | ✓ | ✓ |
| rights            近亲属权利：导出、更正                    |   | ✓ | ✓ |
| users.manage      新建/停用用户、重置密码                   |   |   | ✓ |
| retention         到期删除个人数据                          |   |   | ✓ |
| settings          修改设置                                  |   |   | ✓ |

A user with an ``office`` sees only that office's cases (``can_see_office``); an empty office
means hall-wide (e.g. the administrator, or a supervisor over several windows).
"""
from __future__ import annotations

import enum


class Role(str, enum.Enum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"clerk": "窗口工作人员", "supervisor": "主管", "admin": "管理员"}[self.value]

    @property
    def rank(self) -> int:
        return {"clerk": 1, "supervisor": 2, "admin": 3}[self.value]

    @classmethod
    def parse(cls, value: "str | Role") -> "Role":
        if isinstance(value, Role):
            return value
        v = str(value).strip().lower()
        aliases = {"administrator": "admin", "管理员": "admin", "主管": "supervisor", "窗口工作人员": "clerk"}
        try:
            return cls(aliases.get(v, v))
        except ValueError:
            from houshi_desk.users.errors import UserError

            raise UserError(f"未知的角色“{value}”。可用角色：clerk（窗口工作人员）、supervisor（主管）、admin（管理员）。") from None


class Permission(str, enum.Enum):
    CASE_CREATE = "case.create"
    CASE_VIEW = "case.view"
    CASE_PRINT = "case.print"
    CASE_SUBMIT = "case.submit"
    CASE_REPRINT_ANY = "case.reprint_any"
    REPORT = "report"
    AUDIT_VERIFY = "audit.verify"
    RIGHTS = "rights"
    USERS_MANAGE = "users.manage"
    RETENTION = "retention"
    SETTINGS = "settings"

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS = {
    Permission.CASE_CREATE: "新建案件",
    Permission.CASE_VIEW: "查看案件",
    Permission.CASE_PRINT: "打印文书",
    Permission.CASE_SUBMIT: "提交受理",
    Permission.CASE_REPRINT_ANY: "补打他人经办的文书",
    Permission.REPORT: "查看和打印报表",
    Permission.AUDIT_VERIFY: "核验审计记录",
    Permission.RIGHTS: "办理近亲属导出和更正",
    Permission.USERS_MANAGE: "管理用户",
    Permission.RETENTION: "到期删除个人数据",
    Permission.SETTINGS: "修改设置",
}

# The least role that holds each permission (roles are cumulative).
MIN_ROLE: dict[Permission, Role] = {
    Permission.CASE_CREATE: Role.CLERK,
    Permission.CASE_VIEW: Role.CLERK,
    Permission.CASE_PRINT: Role.CLERK,
    Permission.CASE_SUBMIT: Role.CLERK,
    Permission.CASE_REPRINT_ANY: Role.SUPERVISOR,
    Permission.REPORT: Role.SUPERVISOR,
    Permission.AUDIT_VERIFY: Role.SUPERVISOR,
    Permission.RIGHTS: Role.SUPERVISOR,
    Permission.USERS_MANAGE: Role.ADMIN,
    Permission.RETENTION: Role.ADMIN,
    Permission.SETTINGS: Role.ADMIN,
}


def allows(role: Role | str, permission: Permission) -> bool:
    return Role.parse(role).rank >= MIN_ROLE[permission].rank


def permissions_of(role: Role | str) -> frozenset[Permission]:
    return frozenset(p for p in Permission if allows(role, p))


def can_see_office(user_office: str, case_office: str) -> bool:
    return not user_office or user_office == case_office
