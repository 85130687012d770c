# Install steps shared by packaging/test.sh and packaging/demo.sh (sourced, not run): system
# packages when root and something is missing, the checkout's .venv, and the package in it.
# Each step is cheap when there is nothing to do, so a repeat run starts the tests within seconds.

# Debian 12 / Ubuntu names. "a|b": either is enough (Ubuntu 24.04 renamed some libraries to *t64);
# the first one is installed when none is.
BS_SYSTEM_PACKAGES=(
    # devices and services the tests use for real
    pcscd libpcsclite-dev swig vsmartcard-vpcd pcsc-tools
    sane-utils libsane1 libsane-dev
    cups cups-client printer-driver-cups-pdf
    postgresql
    xvfb xauth x11-utils
    # fonts for Chinese documents and screens; PDF and barcode checks
    fonts-wqy-microhei fonts-arphic-uming fonts-noto-cjk poppler-utils zbar-tools
    # what PySide6 6.x loads offscreen and under xcb (ldd of libqxcb.so, libqoffscreen.so, QtPrintSupport)
    libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 "libglib2.0-0t64|libglib2.0-0" "libcups2t64|libcups2"
    libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
    libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
    libxcb-xfixes0 libxcb-xkb1 libxcb-xinerama0
    libpulse0  # QtMultimedia (document camera) links it; PyInstaller bundles against it
    # building pyscard and python-sane; the venv; the scripts themselves
    python3-venv python3-dev build-essential ca-certificates iproute2 procps util-linux
)

BS_ROOT=${BS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BS_VENV=$BS_ROOT/.venv
BS_TAG=${BS_TAG:-bootstrap}

bs_log() { printf '[%s] %s\n' "$BS_TAG" "$*" >&2; }

# Phase timing: bs_phase NAME ends the previous phase and starts NAME; bs_phase_report prints all.
BS_PHASES=()
BS_PHASE=
bs_now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
bs_phase() {
    local now
    now=$(bs_now_ms)
    if [ -n "$BS_PHASE" ]; then
        BS_PHASES+=("$(printf '%-16s %7.1f s' "$BS_PHASE" "$(((now - BS_PHASE_T0) / 100))e-1")")
        bs_log "$BS_PHASE: done in $(((now - BS_PHASE_T0) / 1000)).$((((now - BS_PHASE_T0) % 1000) / 100)) s"
    fi
    BS_PHASE=${1:-}
    BS_PHASE_T0=$now
    [ -n "$BS_PHASE" ] && bs_log "$BS_PHASE ..."
    return 0
}
bs_phase_report() {
    local line
    bs_phase ""
    bs_log "timings:"
    for line in "${BS_PHASES[@]}"; do bs_log "  $line"; done
}

bs_pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

bs_system_packages() {
    local spec alt ok missing=()
    command -v dpkg-query >/dev/null 2>&1 || { bs_log "not a Debian/Ubuntu system: system packages not checked"; return 0; }
    for spec in "${BS_SYSTEM_PACKAGES[@]}"; do
        ok=0
        IFS='|' read -ra alts <<<"$spec"
        for alt in "${alts[@]}"; do bs_pkg_installed "$alt" && { ok=1; break; }; done
        if [ $ok = 0 ]; then
            # Install the first alternative apt knows (the last one when it knows none yet).
            local pick=${alts[-1]}
            for alt in "${alts[@]}"; do
                apt-cache show "$alt" >/dev/null 2>&1 && { pick=$alt; break; }
            done
            missing+=("$pick")
        fi
    done
    [ ${#missing[@]} = 0 ] && { bs_log "system packages: all present"; return 0; }
    if [ "$(id -u)" != 0 ]; then
        bs_log "missing system packages (run as root to install them, or: sudo apt-get install ${missing[*]})"
        bs_log "tests that need them will be skipped with the reason printed"
        return 0
    fi
    bs_log "installing: ${missing[*]}"
    # Keep apt from starting pcscd/cupsd/postgresql itself: services.sh starts its own.
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e $policy ]; then
        printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && made_policy=1
    fi
    local rc=0
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || rc=$?
    if [ $rc = 0 ]; then
        apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null >/tmp/houshi-apt.log 2>&1 || rc=$?
        if [ $rc = 0 ]; then rm -f /tmp/houshi-apt.log; else bs_log "apt-get install failed:"; tail -30 /tmp/houshi-apt.log >&2; fi
    fi
    [ $made_policy = 1 ] && rm -f $policy
    return $rc
}

bs_venv() {
    local py
    if [ -x "$BS_VENV/bin/python" ] && "$BS_VENV/bin/python" -c 'import sys' 2>/dev/null; then
        return 0
    fi
    py=$(command -v python3) || { bs_log "python3 not found"; return 1; }
    if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        bs_log "houshi-desk needs Python >= 3.11; $py is $("$py" -V 2>&1)"; return 1
    fi
    bs_log "creating $BS_VENV"
    "$py" -m venv "$BS_VENV" || { bs_log "python3 -m venv failed (apt-get install python3-venv)"; return 1; }
}

# Installs the package editable with all extras unless pyproject.toml, setup.py and the Python
# version are unchanged since the last install (stamp in .venv) and the package is importable.
bs_pip_install() {
    local stamp_file=$BS_VENV/.houshi-install-stamp stamp
    stamp=$(cat "$BS_ROOT/pyproject.toml" "$BS_ROOT/setup.py" 2>/dev/null | sha256sum | cut -d' ' -f1)
    stamp="$stamp $("$BS_VENV/bin/python" -V 2>&1) $BS_ROOT"
    if [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ] &&
        "$BS_VENV/bin/python" -c 'import houshi_desk, PySide6, pytest' 2>/dev/null; then
        bs_log "package: up to date"
        return 0
    fi
    bs_log "pip install -e '.[gui,sane,test]'"
    if ! "$BS_VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$BS_ROOT[gui,sane,test]" </dev/null; then
        bs_log "pip install failed"; return 1
    fi
    printf '%s\n' "$stamp" >"$stamp_file"
}
