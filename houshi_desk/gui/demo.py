"""Demo mode at run time: sample accounts, the reference platform in a child process, a card reader with
sample cards, and the "放置样例卡" panel.

The reader is the real PC/SC stack with the virtual ID card (pcscd + vsmartcard-vpcd) when
``smartcard.System.readers()`` lists a "Virtual PCD" reader; otherwise the in-process simulated
reader, clearly labelled 模拟读卡器. The platform runs on loopback with fast simulated
departments, so a submitted case comes back with department results within seconds.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

SAMPLE_CARDS = (  # labels marked for lupdate, translated where shown
    ("applicant", QT_TRANSLATE_NOOP("", "申请人（王测试）"), "Ctrl+1"),
    ("deceased", QT_TRANSLATE_NOOP("", "逝者（测试）"), "Ctrl+2"),
    ("foreign_2023", QT_TRANSLATE_NOOP("", "外国人永久居留证（样本约翰）"), "Ctrl+3"),
    ("hmt_permit", QT_TRANSLATE_NOOP("", "港澳台居民居住证（陈样本）"), "Ctrl+4"),
)
DEMO_PASSWORD = "demo1234"
DEMO_APP_KEY = "demo-terminal"


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate's context for a bare tr("…")


def vpcd_reader_name() -> str | None:
    """The first "Virtual PCD" reader pcscd lists, or None (no pcscd, no vpcd, no pyscard)."""
    try:
        from smartcard.System import readers

        for r in readers():
            if "Virtual PCD" in str(r):
                return str(r)
    except Exception:  # noqa: BLE001 - any failure means: use the simulated reader
        log.info("PC/SC not available for the demo", exc_info=True)
    return None


class DemoEnvironment:
    def __init__(self, home: Path, *, keyring_note: str = "", vpcd_port: int | None = None,
                 use_platform: bool = True, step_seconds: float = 1.5):
        self.home = Path(home)
        self.keyring_note = keyring_note
        self.vpcd_port = vpcd_port or int(os.environ.get("HOUSHI_TEST_VPCD_PORT") or 35963)
        self.use_platform = use_platform
        self.step_seconds = step_seconds
        self.credentials = [("demo", DEMO_PASSWORD, "clerk"), ("zhuguan", DEMO_PASSWORD, "supervisor")]
        self.reader = None
        self.reader_kind = ""  # "vpcd" | "simulated"
        self.reader_label = ""
        self._card = None  # the VirtualCard in the reader
        self.platform_url = ""
        self._platform_stop = None
        self.queue_url = ""
        self._queue_stop = None
        self.accounts_created = False

    def credential_lines(self):
        labels = {"clerk": tr("窗口人员"), "supervisor": tr("主管")}
        return [(u, p, labels.get(r, r)) for u, p, r in self.credentials]

    def banner(self) -> str:
        text = tr("演示模式：数据在 {0}；账户 {1}").format(
            self.home, "，".join(f"{u}/{p}" for u, p, _r in self.credentials))
        if self.reader_kind == "simulated":
            text += tr("；未检测到 pcscd+vpcd，使用模拟读卡器")
        if self.keyring_note:
            text += "；" + self.keyring_note
        return text

    # ---------------------------------------------------------------- accounts (writer thread)
    def prepare_store(self, store) -> None:
        from houshi_desk import users

        with store.session() as s:
            if users.count_users(s) == 0:
                users.add_user(s, username="demo", password=DEMO_PASSWORD, role="clerk", actor="demo",
                               display_name="演示窗口人员")
                users.add_user(s, username="zhuguan", password=DEMO_PASSWORD, role="supervisor", actor="demo",
                               display_name="演示主管")
                self.accounts_created = True

    # ---------------------------------------------------------------- platform (background)
    def start_platform(self, settings) -> str:
        from houshi_desk.platform_ref.process import spawn
        from houshi_desk.sync.credentials import save_secret

        secret_file = self.home / "platform" / "demo-secret"
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        if secret_file.exists():
            secret = secret_file.read_text().strip()
        else:
            secret = secrets.token_urlsafe(24)
            secret_file.write_text(secret)
            os.chmod(secret_file, 0o600)
        # a process of its own, as the real platform is remote: in the window's process its work on
        # every uploaded chunk would compete with the window for the interpreter lock
        running = spawn(secret_file.parent, clients={DEMO_APP_KEY: secret}, step_seconds=self.step_seconds)
        self._platform_stop = running.stop
        self.platform_url = url = running.url
        save_secret(DEMO_APP_KEY, secret)
        from houshi_desk.platform_ref.persons import lookup_key
        from houshi_desk.sync.credentials import save_lookup_key

        save_lookup_key(lookup_key(secret_file.parent))  # shared records prefill the demo's cases (issue 15)
        settings.set("platform.url", url)
        settings.set("platform.app_key", DEMO_APP_KEY)
        return url

    # ---------------------------------------------------------------- 叫号 (background)
    def start_queue(self, settings, *, waiting: int = 3) -> str:
        """The built-in reference queue server in a child process (as ``houshi-desk queue serve`` runs it
        in a hall), this window connected to it, and a few families already holding tickets."""
        from houshi_desk.queue.http import take_ticket
        from houshi_desk.queue_ref.process import spawn

        running = spawn(self.home / "queue")
        self._queue_stop = running.stop
        self.queue_url = running.url
        settings.set("queue.kind", "reference")
        settings.set("queue.url", running.url)
        for _ in range(waiting):
            take_ticket(running.url)
        return running.url

    def take_ticket(self) -> str:
        """A family takes a ticket at the hall's ticket machine (demo panel: 群众取号)."""
        from houshi_desk.queue.http import take_ticket

        return take_ticket(self.queue_url)

    # ---------------------------------------------------------------- card reader
    def make_reader(self):
        name = vpcd_reader_name()
        if name is not None:
            from houshi_desk.idcard.pcsc_reader import PcscReader

            self.reader = PcscReader(name)
            self.reader_kind = "vpcd"
            self.reader_label = tr("{0}（虚拟身份证，pcscd）").format(name)
        else:
            from houshi_desk.idcard import SIMULATED_READER_NAME, SimulatedReader

            self.reader = SimulatedReader()
            self.reader_kind = "simulated"
            self.reader_label = SIMULATED_READER_NAME
        return self.reader

    def place(self, key: str) -> None:
        """Put a sample card on the reader (replacing the one there)."""
        if self._card is not None:
            self.remove()
            time.sleep(0.6)  # let pcscd report the card gone, so the next one is read as a new card
        if self.reader_kind == "vpcd":
            from houshi_desk.idcard import VirtualCard

            self._card = VirtualCard(key, port=self.vpcd_port).insert()
        elif self.reader is not None:
            self.reader.insert(key)

    def remove(self) -> None:
        if self._card is not None:
            card, self._card = self._card, None
            card.remove()
        elif self.reader_kind == "simulated" and self.reader is not None:
            self.reader.remove()

    def stop(self) -> None:
        try:
            self.remove()
        except Exception:  # noqa: BLE001
            log.debug("removing the demo card failed", exc_info=True)
        for attr, what in (("_platform_stop", "reference platform"), ("_queue_stop", "reference queue")):
            stop = getattr(self, attr)
            if stop is None:
                continue
            setattr(self, attr, None)
            try:
                stop()
            except Exception:  # noqa: BLE001
                log.debug("stopping the %s failed", what, exc_info=True)


class SampleCardPanel(QDockWidget):
    """放置样例卡: put one of the sample cards on the reader, or take it away."""

    placed = Signal(str)

    def __init__(self, demo: DemoEnvironment, parent=None):
        super().__init__(tr("放置样例卡"), parent)
        self.setObjectName("SampleCardPanel")
        self.demo = demo
        w = QWidget()
        lay = QVBoxLayout(w)
        reader = QLabel(tr("读卡器：{0}").format(demo.reader_label or "—"))
        reader.setWordWrap(True)
        reader.setObjectName("note")
        lay.addWidget(reader)
        self.buttons = {}
        for key, label, shortcut in SAMPLE_CARDS:
            b = QPushButton(f"{tr(label)}  {shortcut}")
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # placing a card must not steal the clerk's focus
            b.clicked.connect(lambda _=False, k=key: self.place(k))
            self._shortcut(shortcut, lambda k=key: self.place(k))
            lay.addWidget(b)
            self.buttons[key] = b
        rm = QPushButton(tr("拿走卡片") + "  Ctrl+0")
        rm.setAutoDefault(False)
        rm.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        rm.clicked.connect(self.remove)
        self._shortcut("Ctrl+0", self.remove)
        lay.addWidget(rm)
        self.buttons["remove"] = rm
        # 叫号: the hall's ticket machine, for the demo's families (the window calls them with F2)
        self.ticket_note = QLabel(tr("叫号：参考叫号服务启动中…"))
        self.ticket_note.setWordWrap(True)
        self.ticket_note.setObjectName("note")
        lay.addWidget(self.ticket_note)
        take = QPushButton(tr("群众取号") + "  Ctrl+9")
        take.setAutoDefault(False)
        take.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        take.setEnabled(False)
        take.clicked.connect(self.take_ticket)
        self._shortcut("Ctrl+9", self.take_ticket)
        lay.addWidget(take)
        self.buttons["take_ticket"] = take
        lay.addStretch(1)
        self.setWidget(w)
        ctx = getattr(parent, "ctx", None)
        if demo.use_platform and ctx is not None:  # the demo's hall has a queue system as it has a platform
            self.start_queue(ctx)
        else:
            self.ticket_note.setText(tr("叫号：演示未接叫号系统，不带号办理。"))
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable)

    def start_queue(self, ctx) -> None:
        """Start the demo's reference queue server in the background; when it answers, the window's
        叫号 panel connects to it (F2 calls the next family)."""
        from houshi_desk.gui.ops import BackgroundOp, error_text

        def up(url) -> None:
            from houshi_desk.queue import queue_for_settings

            panel = getattr(self.parent(), "queue_panel", None)
            if panel is not None:
                panel.set_queue(queue_for_settings(ctx.settings))
            self.buttons["take_ticket"].setEnabled(True)
            self.ticket_note.setText(tr("叫号：已有 3 位群众取号等候，按 F2 叫下一号。"))

        def failed(exc) -> None:
            self.ticket_note.setText(tr("叫号：参考叫号服务未能启动（{0}），本窗口不带号办理。").format(error_text(exc)))

        BackgroundOp(parent=self, op=lambda: self.demo.start_queue(ctx.settings), success=up) \
            .failure(failed).in_daemon_thread().run()

    def take_ticket(self) -> None:
        from houshi_desk.gui.ops import BackgroundOp, error_text

        if not self.demo.queue_url:
            return

        def taken(number) -> None:
            self.ticket_note.setText(tr("叫号：群众取到 {0} 号，按 F2 叫下一号。").format(number))

        BackgroundOp(parent=self, op=self.demo.take_ticket, success=taken) \
            .failure(lambda exc: self.ticket_note.setText(error_text(exc))).in_daemon_thread().run()

    def _shortcut(self, keys: str, slot) -> None:
        # application-wide, so Ctrl+1 works while the new-case dialog has the focus
        sc = QShortcut(QKeySequence(keys), self)
        sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
        sc.activated.connect(slot)

    def place(self, key: str) -> None:
        from houshi_desk.gui.ops import BackgroundOp, device_pool

        # connecting a virtual card to vpcd takes a moment: never on the GUI thread
        BackgroundOp(parent=self, op=lambda: self.demo.place(key), success=lambda _r: self.placed.emit(key)) \
            .in_pool(device_pool()).run()

    def remove(self) -> None:
        from houshi_desk.gui.ops import BackgroundOp, device_pool

        BackgroundOp(parent=self, op=self.demo.remove).in_pool(device_pool()).run()
