"""The supervisor's screen: the day's report on screen and to the printer, the users, and the
audit-trail verification. Every figure comes from ``houshi_desk.reports``; every check from
``houshi_desk.audit`` and ``houshi_desk.users``."""
from __future__ import annotations

import html

from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout,
                               QWidget)

from houshi_desk.gui.ops import BackgroundOp, error_text
from houshi_desk.gui.widgets import DateEdit, cell, fit_initial, make_table, note_label


def report_html(f, tr) -> str:
    e = html.escape
    parts = [tr("<h3>{0} 至 {1} 身后一件事受理情况</h3>").format(f.start, f.end)]
    parts.append(tr("受理案件 <b>{0}</b> 件；到期事项 {1} 个，超期 <b>{2}</b> 个；退回补正 {3} 个；"
                    "未送达平台 {4} 件，平台拒收 {5} 件；补打 {6} 次，打印失败 {7} 次。").format(
        f.total_cases, f.due, f.overdue, f.returned, f.not_accepted, f.needs_attention, f.reprints, f.failed_prints))
    if f.by_clerk:
        rows = "".join(f"<tr><td>{e(c.name or c.clerk)}</td><td align=right>{c.total}</td><td align=right>{c.submitted}"
                       f"</td><td align=right>{c.draft}</td><td align=right>{c.closed}</td></tr>" for c in f.by_clerk)
        parts.append(tr("<h4>按经办人</h4>") + "<table border=1 cellspacing=0 cellpadding=3><tr><th>" +
                     "</th><th>".join([tr("经办人"), tr("合计"), tr("已受理"), tr("录入中"), tr("已办结")]) +
                     f"</th></tr>{rows}</table>")
    if f.by_matter:
        rows = "".join(f"<tr><td>{e(m.name)}</td><td align=right>{m.chosen}</td><td align=right>{m.due}</td>"
                       f"<td align=right>{m.overdue}</td></tr>" for m in f.by_matter if m.chosen or m.overdue)
        parts.append(tr("<h4>按事项</h4>") + "<table border=1 cellspacing=0 cellpadding=3><tr><th>" +
                     "</th><th>".join([tr("事项"), tr("办理"), tr("到期"), tr("超期")]) + f"</th></tr>{rows}</table>")
    if f.overdue_items:
        rows = "".join(f"<tr><td>{e(o.case_number)}</td><td>{e(o.matter_name)}</td><td>{o.due_date}</td>"
                       f"<td align=right>{o.working_days_late}</td><td>{e(o.clerk)}</td></tr>"
                       for o in f.overdue_items[:50])
        parts.append(tr("<h4>超期事项</h4>") + f"<table border=1 cellspacing=0 cellpadding=3>{rows}</table>")
    if f.evaluations or f.open_rectifications:  # 好差评 per clerk and level (issue 17)
        rows = "".join(f"<tr><td>{e(c.name or c.clerk)}</td>" + "".join(
            f"<td align=right>{c.levels.get(lv, 0)}</td>" for lv in (5, 4, 3, 2, 1)) + f"<td align=right>{c.total}</td></tr>"
            for c in f.evaluations)
        parts.append(tr("<h4>好差评（按经办人）</h4>") + "<table border=1 cellspacing=0 cellpadding=3><tr><th>" +
                     "</th><th>".join([tr("经办人"), tr("非常满意"), tr("满意"), tr("基本满意"), tr("不满意"),
                                       tr("非常不满意"), tr("合计")]) + f"</th></tr>{rows}</table>" +
                     tr("<p>待整改差评 {0} 条。</p>").format(f.open_rectifications))
    for n in f.notes:
        parts.append(f"<p>{e(n)}</p>")
    return "".join(parts)


class SupervisorDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.figures = None
        self.setObjectName("SupervisorDialog")
        self.setWindowTitle(self.tr("主管：日终报表、用户与审计"))
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        # report
        rw = QWidget()
        rl = QVBoxLayout(rw)
        row = QHBoxLayout()
        day_label = QLabel(self.tr("日期(&D)"))
        row.addWidget(day_label)
        self.day = DateEdit()
        day_label.setBuddy(self.day)
        self.day.set_value(ctx.today())
        self.day.returnPressed.connect(self.load_report)
        row.addWidget(self.day)
        show = QPushButton(self.tr("生成(&G)"))
        show.clicked.connect(self.load_report)
        self.print_button = QPushButton(self.tr("打印日终报表(&P)"))
        self.print_button.clicked.connect(self.print_report)
        self.print_button.setEnabled(False)
        for b in (show, self.print_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        rl.addLayout(row)
        self.report = QTextBrowser()
        self.report.setObjectName("report")
        rl.addWidget(self.report, 1)
        self.tabs.addTab(rw, self.tr("日终报表(&1)"))
        # users
        uw = QWidget()
        ul = QVBoxLayout(uw)
        self.users = make_table([self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("所属窗口"), self.tr("状态")],
                                stretch=1)
        ul.addWidget(self.users, 1)
        ul.addWidget(note_label(self.tr("新建、停用用户和重置密码需要管理员权限：houshi-desk user add / disable / "
                                        "reset-password。")))
        self.tabs.addTab(uw, self.tr("用户(&2)"))
        # audit
        aw = QWidget()
        al = QVBoxLayout(aw)
        verify = QPushButton(self.tr("核验审计记录(&V)"))
        verify.setAutoDefault(False)
        verify.clicked.connect(self.verify)
        al.addWidget(verify)
        self.audit_result = note_label(name="audit_result")
        al.addWidget(self.audit_result)
        self.audit_entries = make_table([self.tr("序号"), self.tr("时间"), self.tr("人员"), self.tr("操作"), self.tr("案件"),
                                         self.tr("说明")], stretch=5)
        al.addWidget(self.audit_entries, 1)
        self.tabs.addTab(aw, self.tr("审计(&3)"))
        from houshi_desk.gui.evaluation_tasks import RectificationTab  # 差评整改 (issue 17)

        self.rectifications = RectificationTab(ctx, self)
        self.tabs.addTab(self.rectifications, self.tr("差评整改(&4)"))
        self.message = note_label()
        lay.addWidget(self.message)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay.addLayout(bottom)
        fit_initial(self, 1000, 640)
        self.load_report()
        self.load_users()

    def load_report(self) -> None:
        from houshi_desk.services.supervisor import daily_report
        from houshi_desk.users import Permission, require

        try:
            require(self.ctx.user, Permission.REPORT)  # said at once; the service checks it again
            day = self.day.value() or self.ctx.today()
        except ValueError:
            self.message.setText(self.tr("日期格式不对，请写成 2026-01-20。"))
            return
        except Exception as exc:  # noqa: BLE001 - PermissionDenied / NotLoggedIn
            self.report.setPlainText(error_text(exc))
            return
        store, user = self.ctx.store, self.ctx.user
        BackgroundOp(parent=self, op=lambda: daily_report(store, user, day), success=self._report).failure(
            lambda exc: self.report.setPlainText(error_text(exc))).run()

    def _report(self, f) -> None:
        self.figures = f
        self.report.setHtml(report_html(f, self.tr))
        self.print_button.setEnabled(True)

    def print_report(self) -> None:
        f = self.figures
        if f is None:
            return
        store, settings, user = self.ctx.store, self.ctx.settings, self.ctx.user
        title = self.tr("日终报表")

        def work():
            from houshi_desk.gui.print_jobs import sender
            from houshi_desk.services.supervisor import print_daily_report

            return print_daily_report(store, settings, user, f, sender=sender(), title=title)

        def done(outcome):
            if outcome.status == "failed":
                self.message.setText(outcome.error)
            else:
                self.message.setText(self.tr("日终报表已{0}：{1}").format(
                    self.tr("打印") if outcome.status == "printed" else self.tr("保存为 PDF"), outcome.pdf_path))

        BackgroundOp(parent=self, op=work, success=done).failure(lambda exc: self.message.setText(error_text(exc))) \
            .with_progress(self.tr("正在生成报表…")).writes(one_transaction=False).run()

    def load_users(self) -> None:
        from houshi_desk.services.supervisor import account_list

        store, user = self.ctx.store, self.ctx.user
        BackgroundOp(parent=self, op=lambda: account_list(store, user), success=self._users).failure(
            lambda exc: self.message.setText(error_text(exc))).run()

    def _users(self, rows) -> None:
        self.users.setRowCount(0)
        for user, active, locked in rows:
            r = self.users.rowCount()
            self.users.insertRow(r)
            state = self.tr("正常") if active else self.tr("已停用")
            if locked:
                state += self.tr("（锁定至 {0:%H:%M}）").format(locked)
            for c, v in enumerate((user.username, user.display_name, user.role.label, user.office or self.tr("全大厅"),
                                   state)):
                self.users.setItem(r, c, cell(v))

    def verify(self) -> None:
        from houshi_desk.services.supervisor import verify_audit
        from houshi_desk.users import Permission, require

        try:
            require(self.ctx.user, Permission.AUDIT_VERIFY)  # said at once; the service checks it again
        except Exception as exc:  # noqa: BLE001
            self.audit_result.setText(error_text(exc))
            return
        store, user = self.ctx.store, self.ctx.user
        BackgroundOp(parent=self, op=lambda: verify_audit(store, user), success=self._verified).failure(
            lambda exc: self.audit_result.setText(error_text(exc))).with_progress(self.tr("正在核验…")).writes().run()

    def _verified(self, result) -> None:
        r, rows = result
        self.audit_result.setText(r.message)
        self.audit_result.setProperty("level", "ok" if r.ok else "error")
        self.audit_result.style().unpolish(self.audit_result)
        self.audit_result.style().polish(self.audit_result)
        from houshi_desk.gui.names import code_names, humanize

        names = code_names(self.ctx)
        self.audit_entries.setRowCount(0)
        for row in rows:
            seq, at, actor, action, number, detail = row
            row = (seq, at, actor, names.get(action, action), number, humanize(detail, names))
            i = self.audit_entries.rowCount()
            self.audit_entries.insertRow(i)
            for c, v in enumerate(row):
                self.audit_entries.setItem(i, c, cell(f"{v:%m-%d %H:%M:%S}" if c == 1 else v))
