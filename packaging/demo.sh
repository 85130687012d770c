#!/usr/bin/env bash
# The one run command (README): installs what is missing (system packages when root, .venv, the
# package), makes sure pcscd with the vpcd virtual readers runs when it can (the demo's sample ID
# cards are virtual cards behind the real pcscd; without it the demo still starts), then starts
# houshi-desk in demo mode. Arguments go to `houshi-desk demo`.
set -u -o pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." || exit 1
BS_ROOT=$PWD
BS_TAG=demo.sh
# shellcheck source=packaging/_bootstrap.sh
source packaging/_bootstrap.sh

bs_system_packages || exit 1
bs_venv || exit 1
bs_pip_install || exit 1

# pcscd is a system daemon (like on a clerk's PC). If it was not running, the demo starts it for the
# virtual card reader and stops it again when the demo ends; one that was already running is left alone.
STARTED_PCSCD=""
if [ "$(id -u)" = 0 ] && command -v pcscd >/dev/null 2>&1 && [ -f /etc/reader.conf.d/vpcd ]; then
    if ! pgrep -x pcscd >/dev/null; then
        bs_log "starting pcscd with the vpcd virtual readers"
        if pcscd </dev/null >/dev/null 2>&1; then
            sleep 0.3
            STARTED_PCSCD=$(pgrep -x pcscd | head -n1)
        else
            bs_log "pcscd did not start: the demo runs without the virtual card reader"
        fi
    fi
elif ! pgrep -x pcscd >/dev/null 2>&1; then
    bs_log "pcscd with vsmartcard-vpcd is not running: the demo runs without the virtual card reader"
fi
stop_started() {
    if [ -n "$STARTED_PCSCD" ] && kill -0 "$STARTED_PCSCD" 2>/dev/null; then
        bs_log "stopping the pcscd the demo started"
        kill "$STARTED_PCSCD" 2>/dev/null
    fi
}
trap stop_started EXIT

# The SANE test scanner in the demo's own SANE config folder, whatever the machine's dll.conf says
# (on many machines the test backend is disabled, which left the demo's scanner greyed out).
if [ -f /etc/sane.d/test.conf ] && [ -z "${SANE_CONFIG_DIR:-}" ]; then
    DEMO_SANE=$(mktemp -d "${TMPDIR:-/tmp}/houshi-demo-sane.XXXXXX")
    echo test >"$DEMO_SANE/dll.conf"
    cp /etc/sane.d/test.conf "$DEMO_SANE/"
    export SANE_CONFIG_DIR=$DEMO_SANE
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    bs_log "no DISPLAY: run it from a desktop session (or set QT_QPA_PLATFORM=offscreen to try it headless)"
fi

"$BS_VENV/bin/houshi-desk" demo "$@"
rc=$?
[ -n "${DEMO_SANE:-}" ] && rm -rf "$DEMO_SANE"
exit $rc
