#!/usr/bin/env bash
# Issue 11's CI part: the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, then
# each libFuzzer target for a short budget, all from one clang build in $NIRB_ASAN_BUILD
# (default ./build-asan). Called by scripts/test.sh; runs alone too.
#   NIRB_FUZZ_SECONDS   seconds per fuzzer (default 25)
# Fails on any sanitizer report in the unit tests, and on any crash, leak, timeout or
# out-of-memory a fuzzer finds in our code. Crashes inside libhdf5 (fuzz_nir_reader) are
# libhdf5 bugs we cannot fix; they are listed, and each crashing input is checked to be
# contained by the CLI's read supervisor (exit 1 with a message), which is what we promise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ASAN_BUILD="${NIRB_ASAN_BUILD:-$NIRB_ROOT/build-asan}"
FUZZ_SECONDS="${NIRB_FUZZ_SECONDS:-25}"
FUZZ_DIR="$NIRB_ROOT/tests/fuzz"

if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
    log "configuring the sanitizer build in $ASAN_BUILD (clang, ASan + UBSan, fuzzers)"
    CC=clang CXX=clang++ meson setup "$ASAN_BUILD" "$NIRB_ROOT" --buildtype=debugoptimized \
        -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzers=true -Dnative_arch=false \
        >/dev/null
fi
log "building the sanitizer build"
ninja -C "$ASAN_BUILD" >&2

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$FUZZ_DIR/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

log "unit tests under ASan + UBSan"
meson test -C "$ASAN_BUILD" unit --print-errorlogs --num-processes 2 --timeout-multiplier 3

fuzz_failed=0
for target in fuzz_nir_reader fuzz_json_form fuzz_pipeline_yaml fuzz_npy; do
    log "fuzzing $target for ${FUZZ_SECONDS} s"
    work=$(mktemp -d "${TMPDIR:-/tmp}/nirb-$target.XXXXXX")
    cp -r "$FUZZ_DIR/corpus/$target" "$work/corpus"
    mkdir -p "$work/artifacts"
    common=(-max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=65536
            -artifact_prefix="$work/artifacts/" -print_final_stats=1)
    if [ "$target" = fuzz_nir_reader ]; then
        # libhdf5 crashes on some corrupt files (docs/robustness.md): keep fuzzing past them.
        "$ASAN_BUILD/tests/fuzz/$target" "${common[@]}" -fork=1 -ignore_crashes=1 \
            -ignore_timeouts=1 -ignore_ooms=1 "$work/corpus" >"$work/log" 2>&1 || true
    else
        "$ASAN_BUILD/tests/fuzz/$target" "${common[@]}" "$work/corpus" >"$work/log" 2>&1 || true
    fi
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs|#[0-9]+.*DONE" "$work/log" | tail -1 >&2 || true
    shopt -s nullglob
    found=("$work"/artifacts/*)
    shopt -u nullglob
    if [ "$target" = fuzz_nir_reader ]; then
        # Fork mode keeps no stack traces: re-run each input alone. Every crash must be inside
        # libhdf5, no leak may remain after tests/fuzz/lsan.supp, and the supervised CLI must
        # turn every input into exit 0 or 1.
        for input in "${found[@]}"; do
            case "$(basename "$input")" in
            crash-* | leak-*)
                # Full stacks (the slow unwinder): libhdf5 has no frame pointers, and a short
                # stack through it hides the libhdf5 frames that classify and suppress.
                ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
                    "$ASAN_BUILD/tests/fuzz/$target" "$input" >"$work/one.log" 2>&1 || true
                if ! python3 "$FUZZ_DIR/classify_crashes.py" "$work/one.log" >&2; then
                    log "FAIL: $target: $input fails in nirbridge code (see $work/one.log)"
                    fuzz_failed=1
                fi
                ;;
            esac
            cp "$input" "$work/contained.nir"
            status=0
            "$NIRB_BUILD/tools/nirb" info "$work/contained.nir" >/dev/null 2>&1 || status=$?
            if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
                log "FAIL: nirb info on $input exited $status (not contained)"
                fuzz_failed=1
            fi
        done
        [ ${#found[@]} -gt 0 ] && log "$target: ${#found[@]} libhdf5 failure(s) checked"
    elif [ ${#found[@]} -gt 0 ] || grep -q "ERROR: " "$work/log"; then
        log "FAIL: $target found a problem; inputs and log in $work"
        fuzz_failed=1
        continue
    fi
    [ "$fuzz_failed" -eq 0 ] && rm -rf "$work"
done
exit "$fuzz_failed"
