#!/usr/bin/env bash
# Starts and stops the real components the test suite talks to (PostgreSQL, pcscd with the vpcd
# virtual readers, cupsd with a cups-pdf queue, a private SANE config, Xvfb) and publishes where
# they are through the HOUSHI_TEST_* contract variables (notes/COMMON.md).
#
# By hand, from the checkout (as root; without root only PostgreSQL, SANE and Xvfb are started):
#
#     source "$(bash packaging/services.sh start)"    # starts (or reuses) them, exports the variables
#     python -m pytest ...
#     bash packaging/services.sh stop                  # stops everything, restores the configs
#
#   start   prints the path of <tmp>/env.sh (everything else goes to stderr). Running it again while
#           the services are up prints the same path. $HOUSHI_TEST_TMP, if set, is used as <tmp>.
#   stop    stops every daemon by PID, waits for it, puts the printer set-up back, removes <tmp>
#           (kept when HOUSHI_KEEP_TMP=1, or when $HOUSHI_TEST_TMP named a dir that already existed).
#   env     prints the path of env.sh of the running set (exit 1 when nothing is running).
#   status  one line per service.
#
# packaging/test.sh sources this file and uses svc_up/svc_down, so that a test run started while
# a developer's set is up reuses it and does not stop it.
#
# How it works: a small "keeper" process (this script with `_keeper`) owns the daemons as its own
# children, so it can stop them by PID and reap them (on hosts whose PID 1 does not reap, daemons
# killed from elsewhere linger as zombies). pcscd and cupsd are machine singletons: when systemd
# runs them we stop its units and start them again afterwards; when one is already running without
# systemd (e.g. started by hand) and healthy we reuse it and leave it running, and a dead or
# unhealthy one is killed by PID. PostgreSQL and Xvfb are private to <tmp>.
# cups-pdf's output directory is set through a per-instance config /etc/cups/cups-pdf-houshi.conf
# (device URI cups-pdf:/houshi), so /etc/cups/cups-pdf.conf itself is never edited.

SVC_SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"
SVC_REGISTRY="${TMPDIR:-/tmp}/houshi-services-$(id -u)"
SVC_PG_PORT=54329
SVC_VPCD_PORT=35963
SVC_PRINTER=PDF
SVC_CUPSPDF_INSTANCE=houshi
SVC_CUPSPDF_CONF=/etc/cups/cups-pdf-${SVC_CUPSPDF_INSTANCE}.conf
SVC_SYSTEMD_UNITS="pcscd.socket pcscd.service cups.socket cups.path cups.service"

declare -A SVC_COMM=([postgres]=postgres [pcscd]=pcscd [cupsd]=cupsd [xvfb]=Xvfb)

svc_log() { printf '[services] %s\n' "$*" >&2; }

svc_is_root() { [ "$(id -u)" = 0 ]; }

# True when something listens on TCP port $1 (read from /proc, so iproute2 is not needed).
svc_port_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p && $4 == "0A" { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Alive and not a zombie (a zombie still answers kill -0 until its parent reaps it).
svc_alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
    [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]
}

# Wait until command "$@" succeeds, polling every 0.05 s, at most $SVC_WAIT seconds.
svc_wait_for() {
    local deadline=$((SECONDS + ${SVC_WAIT:-30}))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

# Stop a PID: TERM (or the given signal), wait up to 10 s, then KILL. Reaps it when it is our child.
svc_kill_pid() {
    local pid=$1 sig=${2:-TERM} i
    svc_alive "$pid" || return 0
    kill -s "$sig" "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
        svc_alive "$pid" || break
        sleep 0.05
    done
    svc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null   # reaps it when it is our child
    return 0
}

svc_dead() { ! svc_alive "$1"; }

# PIDs of live (non-zombie) processes named exactly $1.
svc_pgrep() {
    local p out=
    for p in $(pgrep -x "$1"); do svc_alive "$p" && out="$out $p"; done
    echo $out
}

svc_has_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# The keeper: starts each daemon as its child and records it in <tmp>/pids/<name>.

svc_pg_bin() {
    local v
    for v in 15 $(ls /usr/lib/postgresql 2>/dev/null | sort -rV); do
        [ -x "/usr/lib/postgresql/$v/bin/postgres" ] && { echo "/usr/lib/postgresql/$v/bin"; return 0; }
    done
    command -v postgres >/dev/null 2>&1 && { dirname "$(command -v postgres)"; return 0; }
    return 1
}

svc_as_postgres() {
    if svc_is_root; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}
svc_exec_as_postgres() {
    if svc_is_root; then
        exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        exec "$@"
    fi
}

svc_start_postgres() {
    local T=$1 bin
    bin=$(svc_pg_bin) || { svc_log "PostgreSQL not installed: HOUSHI_TEST_PG_URL not set"; return 0; }
    if svc_is_root && ! id postgres >/dev/null 2>&1; then
        svc_log "no postgres user: HOUSHI_TEST_PG_URL not set"; return 0
    fi
    mkdir -p "$T/pg" "$T/pgsock"
    svc_is_root && chown postgres: "$T/pg" "$T/pgsock"
    if ! svc_as_postgres "$bin/initdb" -D "$T/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            --no-sync >"$T/pg/initdb.log" 2>&1; then
        svc_log "initdb failed (see $T/pg/initdb.log)"; return 1
    fi
    # exec'd in place (setpriv does not fork either), so $! is the postmaster's PID.
    (svc_exec_as_postgres "$bin/postgres" -D "$T/pg/data" -k "$T/pgsock" -c listen_addresses= \
        -c port=$SVC_PG_PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=200) >"$T/pg/log" 2>&1 &
    echo $! >"$T/pids/postgres"
    if ! svc_wait_for "$bin/pg_isready" -q -h "$T/pgsock" -p $SVC_PG_PORT; then
        svc_log "PostgreSQL did not come up (see $T/pg/log)"; return 1
    fi
    echo "export HOUSHI_TEST_PG_URL=$(printf '%q' "postgresql+psycopg://postgres@/postgres?host=$T/pgsock&port=$SVC_PG_PORT")" >>"$T/env.part"
}

svc_pcscd_healthy() { [ -S /run/pcscd/pcscd.comm ] && svc_port_listening $SVC_VPCD_PORT; }

svc_start_pcscd() {
    local T=$1 pids
    if ! svc_is_root; then svc_log "not root: pcscd not started, HOUSHI_TEST_VPCD_PORT not set"; return 0; fi
    command -v pcscd >/dev/null 2>&1 || { svc_log "pcscd not installed: HOUSHI_TEST_VPCD_PORT not set"; return 0; }
    [ -f /etc/reader.conf.d/vpcd ] || { svc_log "vsmartcard-vpcd not installed (/etc/reader.conf.d/vpcd): HOUSHI_TEST_VPCD_PORT not set"; return 0; }
    pids=$(svc_pgrep pcscd)
    if [ -n "$pids" ]; then
        if svc_pcscd_healthy; then
            svc_log "reusing the pcscd already running (pid $pids); it is left running on stop"
            echo "export HOUSHI_TEST_VPCD_PORT=$SVC_VPCD_PORT" >>"$T/env.part"
            return 0
        fi
        svc_log "killing an unhealthy pcscd (pid $pids)"
        for p in $pids; do svc_kill_pid "$p"; done
    fi
    mkdir -p "$T/pcscd"
    pcscd -f >"$T/pcscd/log" 2>&1 &
    echo $! >"$T/pids/pcscd"
    if ! SVC_WAIT=15 svc_wait_for svc_pcscd_healthy; then
        svc_log "pcscd did not come up with the vpcd readers (see $T/pcscd/log)"; return 1
    fi
    echo "export HOUSHI_TEST_VPCD_PORT=$SVC_VPCD_PORT" >>"$T/env.part"
}

svc_cupsd_healthy() { LC_ALL=C lpstat -r 2>/dev/null | grep -q 'scheduler is running'; }

svc_start_cupsd() {
    local T=$1 pids old_uri old_default
    if ! svc_is_root; then svc_log "not root: cupsd not started, HOUSHI_TEST_PRINTER not set"; return 0; fi
    command -v cupsd >/dev/null 2>&1 || { svc_log "cups not installed: HOUSHI_TEST_PRINTER not set"; return 0; }
    [ -e /usr/lib/cups/backend/cups-pdf ] && [ -f /etc/cups/cups-pdf.conf ] || {
        svc_log "printer-driver-cups-pdf not installed: HOUSHI_TEST_PRINTER not set"; return 0; }
    pids=$(svc_pgrep cupsd)
    if [ -n "$pids" ]; then
        if svc_cupsd_healthy; then
            svc_log "reusing the cupsd already running (pid $pids); it is left running on stop"
        else
            svc_log "killing an unhealthy cupsd (pid $pids)"
            for p in $pids; do svc_kill_pid "$p"; done
            pids=
        fi
    fi
    mkdir -p "$T/cups"
    if [ -z "$pids" ]; then
        cupsd -f >"$T/cups/log" 2>&1 &
        echo $! >"$T/pids/cupsd"
        if ! svc_wait_for svc_cupsd_healthy; then svc_log "cupsd did not come up (see $T/cups/log)"; return 1; fi
    fi
    # cups-pdf drops to the submitting user (or AnonUser) to write: the directory must be writable
    # by anyone, like /var/spool/cups-pdf/ANONYMOUS.
    mkdir -p "$T/pdf" && chmod 1777 "$T/pdf"
    sed -e "s|^#\?Out .*|Out $T/pdf|" -e "s|^#\?AnonDirName .*|AnonDirName $T/pdf|" \
        /etc/cups/cups-pdf.conf >"$SVC_CUPSPDF_CONF"
    # Remember what the printer set-up was, to put it back on stop.
    old_uri=$(LC_ALL=C lpstat -v "$SVC_PRINTER" 2>/dev/null | sed -n "s/^device for $SVC_PRINTER: //p")
    old_default=$(LC_ALL=C lpstat -d 2>/dev/null | sed -n 's/^system default destination: //p')
    printf '%s\n' "$old_uri" >"$T/cups/old_uri"
    printf '%s\n' "$old_default" >"$T/cups/old_default"
    if ! lpadmin -p "$SVC_PRINTER" -v "cups-pdf:/$SVC_CUPSPDF_INSTANCE" -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd \
            -E >>"$T/cups/lpadmin.log" 2>&1 || ! lpadmin -d "$SVC_PRINTER" >>"$T/cups/lpadmin.log" 2>&1; then
        svc_log "lpadmin failed (see $T/cups/lpadmin.log)"; return 1
    fi
    {
        echo "export HOUSHI_TEST_PRINTER=$SVC_PRINTER"
        echo "export HOUSHI_TEST_PRINT_OUT=$(printf '%q' "$T/pdf")"
    } >>"$T/env.part"
}

svc_restore_cups() {
    local T=$1 old_uri old_default
    [ -f "$T/cups/old_uri" ] || return 0
    old_uri=$(cat "$T/cups/old_uri"); old_default=$(cat "$T/cups/old_default" 2>/dev/null)
    if svc_cupsd_healthy; then
        if [ -n "$old_uri" ]; then
            lpadmin -p "$SVC_PRINTER" -v "$old_uri" 2>/dev/null
        else
            lpadmin -x "$SVC_PRINTER" 2>/dev/null
        fi
        [ -n "$old_default" ] && lpadmin -d "$old_default" 2>/dev/null
    fi
    rm -f "$T/cups/old_uri"
}

svc_start_sane() {
    local T=$1
    [ -f /etc/sane.d/test.conf ] || { svc_log "SANE test backend config missing (sane-utils/libsane1): SANE_CONFIG_DIR not set"; return 0; }
    mkdir -p "$T/sane"
    echo test >"$T/sane/dll.conf"
    cp /etc/sane.d/test.conf "$T/sane/"
    echo "export SANE_CONFIG_DIR=$(printf '%q' "$T/sane")" >>"$T/env.part"
}

svc_start_xvfb() {
    local T=$1 n pid
    command -v Xvfb >/dev/null 2>&1 || { svc_log "Xvfb not installed: HOUSHI_TEST_DISPLAY not set"; return 0; }
    mkdir -p "$T/xvfb"
    for ((n = 99; n < 140; n++)); do
        [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
        Xvfb ":$n" -screen 0 1366x768x24 -nolisten tcp >"$T/xvfb/log" 2>&1 &
        pid=$!
        if SVC_WAIT=10 svc_wait_for test -S "/tmp/.X11-unix/X$n" && svc_alive "$pid"; then
            echo "$pid" >"$T/pids/xvfb"
            echo "export HOUSHI_TEST_DISPLAY=:$n" >>"$T/env.part"
            return 0
        fi
        svc_kill_pid "$pid"   # lost a race for :$n, try the next one
    done
    svc_log "Xvfb did not start (see $T/xvfb/log)"; return 1
}

svc_stop_systemd_units() {
    local T=$1 u active=
    svc_is_root && svc_has_systemd || return 0
    for u in $SVC_SYSTEMD_UNITS; do
        systemctl is-active --quiet "$u" 2>/dev/null && active="$active $u"
    done
    if [ -n "$active" ]; then
        svc_log "stopping systemd units:$active (started again on stop)"
        systemctl stop $active
    fi
    echo "$active" >"$T/systemd_units"
}

svc_keeper_stop() {
    local T=$1 name pid
    trap '' TERM INT HUP
    svc_restore_cups "$T"
    for name in xvfb cupsd pcscd postgres; do
        pid=$(cat "$T/pids/$name" 2>/dev/null) || continue
        # PostgreSQL: SIGINT is the "fast" shutdown.
        if [ "$name" = postgres ]; then svc_kill_pid "$pid" INT; else svc_kill_pid "$pid"; fi
        rm -f "$T/pids/$name"
    done
    rm -f "$SVC_CUPSPDF_CONF"
    if [ -s "$T/systemd_units" ] && svc_has_systemd; then
        systemctl start $(cat "$T/systemd_units") || true
    fi
    rm -f "$T/systemd_units"
    [ -n "${SVC_SLEEP_PID:-}" ] && svc_kill_pid "$SVC_SLEEP_PID"
}

svc_keeper() {
    local T=$1 s
    echo $$ >"$T/keeper.pid"
    mkdir -p "$T/pids"
    : >"$T/env.part"
    trap 'svc_keeper_stop "$T"; exit 0' TERM INT HUP
    svc_stop_systemd_units "$T"
    for s in postgres pcscd cupsd sane xvfb; do
        if ! "svc_start_$s" "$T"; then
            touch "$T/failed"
            svc_keeper_stop "$T"
            exit 1
        fi
    done
    {
        echo "# written by packaging/services.sh; source it"
        echo "export HOUSHI_TEST_TMP=$(printf '%q' "$T")"
        cat "$T/env.part"
    } >"$T/env.sh.new" && mv "$T/env.sh.new" "$T/env.sh"
    touch "$T/ready"
    # Sleep in a child so the TERM trap runs at once.
    while :; do
        sleep 3600 &
        SVC_SLEEP_PID=$!
        wait "$SVC_SLEEP_PID"
    done
}

# ---------------------------------------------------------------------------------------------
# The caller's side: svc_up / svc_down keep a list of users so that overlapping runs share a set.

svc_lock() {
    mkdir -p "$(dirname "$SVC_REGISTRY")"
    exec 9>"$SVC_REGISTRY.lock"
    flock 9
}
svc_unlock() { flock -u 9; exec 9>&-; }

svc_current_dir() {
    local T
    if [ -n "${HOUSHI_TEST_TMP:-}" ]; then T=$HOUSHI_TEST_TMP; else T=$(cat "$SVC_REGISTRY.current" 2>/dev/null); fi
    [ -n "$T" ] && printf '%s\n' "$T"
}

# The running set's dir: its keeper and every daemon it started are alive.
svc_running_dir() {
    local T f
    T=$(svc_current_dir) || return 1
    [ -f "$T/ready" ] && svc_alive "$(cat "$T/keeper.pid" 2>/dev/null)" || return 1
    for f in "$T"/pids/*; do
        [ -e "$f" ] || continue
        svc_alive "$(cat "$f")" || { svc_log "${f##*/} in $T has died"; return 1; }
    done
    printf '%s\n' "$T"
}

# A dead keeper leaves daemons behind only if it was KILLed: stop what its pid files name.
svc_cleanup_stale() {
    local T=$1 name pid
    [ -d "$T/pids" ] || return 0
    for name in xvfb cupsd pcscd postgres; do
        pid=$(cat "$T/pids/$name" 2>/dev/null) || continue
        # The PID may have been reused since: only stop it if it is still that daemon.
        if svc_alive "$pid" && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "${SVC_COMM[$name]}" ]; then
            svc_log "stopping $name left over from an earlier run (pid $pid)"
            if [ "$name" = postgres ]; then svc_kill_pid "$pid" INT; else svc_kill_pid "$pid"; fi
        fi
        rm -f "$T/pids/$name"
    done
    svc_restore_cups "$T"
    rm -f "$SVC_CUPSPDF_CONF"
    if [ -s "$T/systemd_units" ] && svc_has_systemd; then systemctl start $(cat "$T/systemd_units") || true; fi
    rm -f "$T/systemd_units" "$T/ready" "$T/failed" "$T/keeper.pid"
}

# svc_up USER: start (or join) the set; sets SVC_ENV to env.sh and SVC_KEEPER to the keeper's PID
# when this shell started it. USER names who uses it (a PID, or "manual").
svc_up() {
    local user=$1 T created=0
    SVC_KEEPER=
    svc_lock
    if T=$(svc_running_dir); then
        svc_log "services already running in $T: reusing them"
    else
        if T=$(svc_current_dir) && [ -d "$T" ]; then
            local kpid
            kpid=$(cat "$T/keeper.pid" 2>/dev/null)
            if svc_alive "$kpid"; then   # a set with a dead daemon: stop it all and start afresh
                kill -TERM "$kpid"; SVC_WAIT=60 svc_wait_for svc_dead "$kpid"
            fi
            svc_cleanup_stale "$T"
            [ -f "$T/created" ] && [ "${HOUSHI_KEEP_TMP:-0}" != 1 ] && rm -rf "$T"
        fi
        if [ -n "${HOUSHI_TEST_TMP:-}" ]; then
            T=$HOUSHI_TEST_TMP
            [ -d "$T" ] || created=1   # made here, so removed on stop
            mkdir -p "$T"
        else
            T=$(mktemp -d "${TMPDIR:-/tmp}/houshi-test.XXXXXX"); created=1
        fi
        T=$(readlink -f "$T")
        chmod 755 "$T"   # the postgres user must reach its data and socket dirs
        rm -rf "$T/users" "$T/env.sh" "$T/pids"
        [ $created = 1 ] && touch "$T/created"
        printf '%s\n' "$T" >"$SVC_REGISTRY.current"
        # setsid: a Ctrl-C in the caller's terminal must not reach the daemons; 9>&-: the lock
        # must not be inherited.
        setsid bash "$SVC_SCRIPT" _keeper "$T" 9>&- </dev/null >>"$T/keeper.log" 2>&1 &
        SVC_KEEPER=$!
        until [ -f "$T/ready" ] || [ -f "$T/failed" ] || ! svc_alive "$SVC_KEEPER"; do sleep 0.05; done
        if [ ! -f "$T/ready" ]; then
            svc_log "services failed to start; keeper log:"; sed 's/^/    /' "$T/keeper.log" >&2
            wait "$SVC_KEEPER" 2>/dev/null
            svc_unlock
            return 1
        fi
        [ -s "$T/keeper.log" ] && cat "$T/keeper.log" >&2
    fi
    mkdir -p "$T/users" && touch "$T/users/$user"
    svc_unlock
    SVC_ENV="$T/env.sh"
}

# svc_down USER [force]: leave the set; stop it when no other live user remains (or when forced).
svc_down() {
    local user=$1 force=${2:-} T f kpid
    svc_lock
    T=$(svc_current_dir) || { svc_unlock; return 0; }
    [ -d "$T" ] || { svc_unlock; return 0; }
    rm -f "$T/users/$user"
    for f in "$T"/users/*; do
        [ -e "$f" ] || continue
        case ${f##*/} in manual) ;; *) svc_alive "${f##*/}" || rm -f "$f" ;; esac
    done
    if [ -z "$force" ] && [ -n "$(ls -A "$T/users" 2>/dev/null)" ]; then
        svc_log "services in $T are still used by: $(ls "$T/users" | tr '\n' ' ')- left running"
        svc_unlock; return 0
    fi
    kpid=$(cat "$T/keeper.pid" 2>/dev/null)
    if svc_alive "$kpid"; then
        kill -TERM "$kpid" 2>/dev/null
        # Reap it if it is our child; otherwise poll until it is gone.
        if [ -n "${SVC_KEEPER:-}" ] && [ "$SVC_KEEPER" = "$kpid" ]; then
            wait "$kpid" 2>/dev/null
        else
            SVC_WAIT=60 svc_wait_for svc_dead "$kpid"
        fi
    fi
    svc_cleanup_stale "$T"
    rm -f "$SVC_REGISTRY.current"
    if [ -f "$T/created" ] && [ "${HOUSHI_KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$T"
    else
        rm -rf "$T/users" "$T/ready"
    fi
    svc_unlock
}

svc_status() {
    local T name pid
    T=$(svc_running_dir) || { echo "not running"; return 1; }
    echo "dir: $T (users: $(ls "$T/users" 2>/dev/null | tr '\n' ' '))"
    for name in postgres pcscd cupsd xvfb; do
        pid=$(cat "$T/pids/$name" 2>/dev/null)
        if [ -n "$pid" ]; then
            svc_alive "$pid" && echo "$name: pid $pid" || echo "$name: DEAD (pid $pid)"
        else
            echo "$name: not ours (reused or not started)"
        fi
    done
    sed -n 's/^export //p' "$T/env.sh"
}

# ---------------------------------------------------------------------------------------------
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    case "${1:-}" in
        start) svc_up manual && printf '%s\n' "$SVC_ENV" ;;
        stop) svc_down manual force ;;
        env) T=$(svc_running_dir) && printf '%s\n' "$T/env.sh" ;;
        status) svc_status ;;
        _keeper) svc_keeper "$2" ;;
        *) echo "usage: $0 start|stop|env|status   (see the top of this file)" >&2; exit 2 ;;
    esac
fi
