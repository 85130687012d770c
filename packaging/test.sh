#!/usr/bin/env bash
# The one test command (README): on a fresh Debian 12 / Ubuntu machine it installs what is missing
# (system packages when root, .venv, the package with all extras), starts the real components
# (packaging/services.sh), runs pytest against them and stops them again, even when tests fail.
#
#     bash packaging/test.sh                 # default: -m "not slow"
#     bash packaging/test.sh tests/domain -x # any pytest arguments instead of the default
#
# Always loads the tests._ci_no_skip plugin: with CI=true a skipped test fails the run.
# Exit code: pytest's; "no tests collected" (5) counts as a failure too.
set -u -o pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." || exit 1
BS_ROOT=$PWD
BS_TAG=test.sh
# shellcheck source=packaging/_bootstrap.sh
source packaging/_bootstrap.sh
# shellcheck source=packaging/services.sh
source packaging/services.sh

bs_phase "system packages"
bs_system_packages || exit 1
bs_phase "venv"
bs_venv || exit 1
bs_phase "pip install"
bs_pip_install || exit 1

bs_phase "services"
svc_user=$$
on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    bs_phase "stop services"
    svc_down "$svc_user"
    bs_phase_report
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
svc_up "$svc_user" || exit 1
# shellcheck disable=SC1090
source "$SVC_ENV"
sed -n 's/^export /[test.sh]   /p' "$SVC_ENV" >&2
# Headless by default; GUI tests that want the X server use $HOUSHI_TEST_DISPLAY.
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

bs_phase "pytest"
if [ $# = 0 ]; then set -- -m "not slow"; fi
.venv/bin/python -m pytest -p tests._ci_no_skip "$@"
rc=$?
if [ $rc = 5 ]; then bs_log "pytest collected no tests: that is a failure here"; fi
exit $rc
