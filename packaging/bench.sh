#!/usr/bin/env bash
# Runs every benchmark (tests/bench/bench_*.py) at full size against the real components and
# rewrites README.md's benchmark table from the rows they print (tests/bench/benchrows.py: metric,
# baseline measured in the same run, now, ratio, goal). Numbers, never pass/fail.
#
#     bash packaging/bench.sh                  # all of them, then the README table
#     bash packaging/bench.sh store checklist  # only bench_store.py and bench_checklist.py
#     HOUSHI_BENCH_QUICK=1 bash packaging/bench.sh   # every bench with --quick (what CI runs)
#
# Each bench's output is kept in build/bench/bench_<name>.log; the README table is made from every
# log there, so running one bench refreshes its rows and keeps the others'. A quick run does not
# touch README.md. Same install and service steps as packaging/test.sh (services it started itself
# are stopped again; ones already running are reused).
# Exit code: non-zero if a benchmark crashed or printed no rows.
set -u -o pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." || exit 1
BS_ROOT=$PWD
BS_TAG=bench.sh
source packaging/_bootstrap.sh
source packaging/services.sh

bs_system_packages || exit 1
bs_venv || exit 1
bs_pip_install || exit 1
svc_user=$$
trap 'svc_down "$svc_user"' EXIT
svc_up "$svc_user" || exit 1
source "$SVC_ENV"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

quick=()
if [ "${HOUSHI_BENCH_QUICK:-}" = 1 ]; then quick=(--quick); fi
if [ $# = 0 ]; then set -- $(ls tests/bench/bench_*.py | sed 's|.*/bench_||; s|\.py$||'); fi
logs=build/bench
mkdir -p "$logs"
failed=0
for name in "$@"; do
    script=tests/bench/bench_$name.py
    log=$logs/bench_$name.log
    [ ${#quick[@]} = 0 ] || log=$logs/quick_$name.log
    echo
    echo "=== $script ${quick[*]} ==="
    start=$(date +%s)
    if ! timeout "${HOUSHI_BENCH_TIMEOUT:-2400}" .venv/bin/python "$script" "${quick[@]}" 2>&1 | tee "$log.new"; then
        echo "!!! $script failed"
        failed=1
    elif ! grep -q '^| ' "$log.new"; then
        echo "!!! $script printed no rows"
        failed=1
    fi
    mv "$log.new" "$log"
    echo "--- $script took $(( $(date +%s) - start )) s"
done

if [ ${#quick[@]} = 0 ]; then
    cpu=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)
    note="Last regenerated $(date -u +%Y-%m-%d) by \`bash packaging/bench.sh\` on $(nproc) CPUs ($cpu), real services; each row's baseline is measured in the same run."
    .venv/bin/python tests/bench/benchrows.py README.md "--note=$note" "$logs"/bench_*.log || failed=1
    echo "README.md benchmark table regenerated from $logs/bench_*.log"
fi
exit $failed
