"""Login and user switch (the form is ``ui/login.ui``). The password check runs off the GUI thread
(argon2 takes a moment on purpose); a wrong password, a locked or disabled account each show their
own sentence and keep the user name typed."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from houshi_desk.gui.forms import load_form
from houshi_desk.gui.ops import BackgroundOp, error_text


class LoginDialog(QDialog):
    def __init__(self, ctx, parent=None, *, switching: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("LoginDialog")
        self.form = load_form("login", self)
        f = self.form
        self.setWindowTitle(self.tr("切换用户") if switching else self.tr("登录 — 身后一件事综合窗口"))
        f.title.setObjectName("title")
        f.office.setText(ctx.settings.office_name)
        self.ok = f.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("登录"))
        f.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        f.buttons.accepted.connect(self.try_login)
        f.buttons.rejected.connect(self.reject)
        self.user = None
        self._busy = False
        demo = ctx.demo
        if demo is not None and getattr(demo, "credentials", None):
            name, password, _role = demo.credentials[0]
            f.username.setText(name)
            f.password.setText(password)
            f.message.setText(self.tr("演示模式：可用账户 {0}").format(
                "；".join(f"{u} / {p}（{r}）" for u, p, r in demo.credential_lines())))
        if ctx.store is None:
            self._waiting(True)
            ctx.store_ready.connect(lambda _s: (self._waiting(False), self._check_first_run()))
            ctx.store_failed.connect(self._store_failed)
        else:
            self._check_first_run()
        f.username.setFocus() if not f.username.text() else f.password.setFocus()

    def _waiting(self, waiting: bool) -> None:
        self.ok.setEnabled(not waiting and not self._busy)
        if waiting:
            self.ok.setText(self.tr("正在打开数据库…"))
        else:
            self.ok.setText(self.tr("登录"))

    def _check_first_run(self) -> None:
        """A fresh install has no account yet: say how the administrator creates the first one."""
        store = self.ctx.store

        def count():
            from houshi_desk.services.people import account_count

            return account_count(store)

        def show(n):
            if n == 0:
                self.form.message.setText(self.tr(
                    "本机还没有任何账户。请管理员先在命令行创建第一个管理员账户：\n"
                    "houshi-desk user add <用户名> --role admin --name <姓名>，然后用它登录并为窗口人员建账户。"))
                self.form.message.setProperty("level", "warning")

        BackgroundOp(parent=self, op=count, success=show).run()

    def _store_failed(self, exc) -> None:
        self.form.message.setText(error_text(exc))
        self.ok.setEnabled(False)

    def try_login(self) -> None:
        if self.ctx.store is None or self._busy:
            return
        f = self.form
        name, password = f.username.text().strip(), f.password.text()
        if not name:
            f.message.setText(self.tr("请输入用户名。"))
            f.username.setFocus()
            return
        if not password:
            f.message.setText(self.tr("请输入密码。"))
            f.password.setFocus()
            return
        from houshi_desk import users

        store, settings = self.ctx.store, self.ctx.settings
        self._busy = True
        self.ok.setEnabled(False)
        f.message.setText(self.tr("正在验证…"))
        BackgroundOp(parent=self, op=lambda: users.login(store, settings, name, password),
                     success=self._logged_in).failure(self._failed).writes().run()

    def _logged_in(self, user) -> None:
        self._busy = False
        self.user = user
        self.ctx.set_user(user)
        self.accept()

    def _failed(self, exc) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self.form.message.setText(error_text(exc))
        self.form.password.clear()
        self.form.password.setFocus()
        self.form.password.setEchoMode(QLineEdit.EchoMode.Password)
