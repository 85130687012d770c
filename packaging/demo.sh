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

# pcscd is a system daemon (like on a clerk's PC): started in the background and left running.
if [ "$(id -u)" = 0 ] && command -v pcscd >/dev/null 2>&1 && [ -f /etc/reader.conf.d/vpcd ]; then
    if ! pgrep -x pcscd >/dev/null; then
        bs_log "starting pcscd with the vpcd virtual readers"
        pcscd </dev/null >/dev/null 2>&1 || bs_log "pcscd did not start: the demo runs without the virtual card reader"
    fi
elif ! pgrep -x pcscd >/dev/null 2>&1; then
    bs_log "pcscd with vsmartcard-vpcd is not running: the demo runs without the virtual card reader"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    bs_log "no DISPLAY: run it from a desktop session (or set QT_QPA_PLATFORM=offscreen to try it headless)"
fi

exec "$BS_VENV/bin/houshi-desk" demo "$@"
