#!/usr/bin/env bash
# The README's test command: set up, build, and run every test (doctest units through meson,
# then the pytest suites against the real Python packages).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$NIRB_ROOT/scripts/setup.sh"
bash "$NIRB_ROOT/scripts/build.sh"
log "unit and golden tests (meson test)"
meson test -C "$NIRB_BUILD" --print-errorlogs --num-processes 2
if [ "${NIRB_SKIP_SANITIZERS:-0}" != "1" ]; then
    log "sanitizers and fuzzers (scripts/test-sanitizers.sh)"
    bash "$NIRB_ROOT/scripts/test-sanitizers.sh"
fi
if [ -d "$NIRB_ROOT/tests/python" ] || [ -d "$NIRB_ROOT/tests/interop" ]; then
    log "Python tests (pytest)"
    export NIRB_BIN="$NIRB_BUILD/tools/nirb"
    dirs=()
    for d in tests/python tests/interop; do [ -d "$NIRB_ROOT/$d" ] && dirs+=("$NIRB_ROOT/$d"); done
    "$NIRB_VENV/bin/python" -m pytest -q "${dirs[@]}"
fi
log "Python package: wheel built, installed into .venv-pypkg, tested (scripts/test-pypkg.sh)"
NIRB_BIN="$NIRB_BUILD/tools/nirb" bash "$NIRB_ROOT/scripts/test-pypkg.sh"
