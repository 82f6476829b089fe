#!/usr/bin/env bash
# Golden test of `nirb validate`: runs it on every fixture in tests/fixtures/{real,reference}
# from inside the fixture folder (so outputs carry no absolute paths) and compares stdout +
# stderr + exit status with tests/golden/validate/<fixture>.txt.
# Usage: check_validate.sh NIRB FIXTURES_DIR GOLDEN_DIR [--update]
set -uo pipefail
nirb=$(realpath "$1"); fixtures=$2; golden=$3; update=${4:-}
status=0
for dir in real reference; do
    for path in "$fixtures/$dir"/*.nir; do
        name=$(basename "$path" .nir)
        actual=$(cd "$fixtures/$dir" && "$nirb" validate "$name.nir" 2>&1; echo "exit status: $?")
        if [ "$update" = "--update" ]; then
            printf '%s\n' "$actual" >"$golden/$name.txt"
        elif ! diff -u "$golden/$name.txt" <(printf '%s\n' "$actual"); then
            echo "MISMATCH: $dir/$name.nir" >&2
            status=1
        fi
    done
done
exit $status
