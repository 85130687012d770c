"""pytest plugin: in CI (env CI=true) a skipped test turns the run red.

CI starts every real component (packaging/services.sh), so a skip there means a test silently did
not run. The only allowed skips are the ones whose reason starts with ``not on this OS:`` (backends
for another operating system, e.g. TWAIN/WIA on Windows). Outside CI skips stay skips, and their
reasons are always listed in the short summary (``-rs``).

Loaded by packaging/test.sh with ``-p tests._ci_no_skip`` (and/or from tests/conftest.py through
``pytest_plugins``; both together are fine).
"""

from __future__ import annotations

import os

import pytest

ALLOWED_PREFIX = "not on this OS:"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
    else:
        reason = str(longrepr)
    return reason.removeprefix("Skipped: ")


class _NoSkipInCI:
    def __init__(self) -> None:
        self.forbidden: list[tuple[str, str]] = []

    def _record(self, report) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        reason = _skip_reason(report)
        if not reason.startswith(ALLOWED_PREFIX):
            self.forbidden.append((report.nodeid or str(report.fspath), reason))

    def pytest_runtest_logreport(self, report) -> None:
        self._record(report)

    def pytest_collectreport(self, report) -> None:  # module-level skips, importorskip
        self._record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session) -> None:
        if self.forbidden and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.forbidden:
            return
        terminalreporter.section("skips are failures in CI (CI=true)", sep="=", red=True, bold=True)
        for nodeid, reason in self.forbidden:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(
            f"{len(self.forbidden)} test(s) skipped; every component is started in CI, so nothing may skip "
            f"(only reasons starting with {ALLOWED_PREFIX!r} are allowed).",
            red=True,
        )


def pytest_configure(config) -> None:
    # Always show skip reasons in the short summary.
    chars = getattr(config.option, "reportchars", "") or ""
    if "s" not in chars and "a" not in chars and "A" not in chars:
        config.option.reportchars = chars + "s"
    if _in_ci() and not config.pluginmanager.has_plugin("houshi-no-skip-in-ci"):
        config.pluginmanager.register(_NoSkipInCI(), "houshi-no-skip-in-ci")
