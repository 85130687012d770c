#!/usr/bin/env bash
# Runs every benchmark (tests/bench/bench_*.py) against the real components and prints their
# tables: numbers and ratios against a baseline measured in the same run (never pass/fail).
#
#     bash packaging/bench.sh                  # all of them
#     bash packaging/bench.sh store checklist  # only bench_store.py and bench_checklist.py
#
# Same install and service steps as packaging/test.sh. Exit code: non-zero if a benchmark crashed.
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

if [ $# = 0 ]; then set -- $(ls tests/bench/bench_*.py | sed 's|.*/bench_||; s|\.py$||'); fi
failed=0
for name in "$@"; do
    script=tests/bench/bench_$name.py
    echo
    echo "=== $script ==="
    start=$(date +%s)
    if ! timeout "${HOUSHI_BENCH_TIMEOUT:-900}" .venv/bin/python "$script"; then
        echo "!!! $script failed"
        failed=1
    fi
    echo "--- $script took $(( $(date +%s) - start )) s"
done
exit $failed
