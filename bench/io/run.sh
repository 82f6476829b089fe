#!/usr/bin/env bash
# Reading/writing benchmark (docs/performance.md, "Reading and writing").
# Usage: bench/io/run.sh [--sizes 10 1000 100000] [--big] [--repeat N]
# Needs a build (scripts/build.sh) and the project venv (nir, h5py). Files go to
# ${TMPDIR:-/tmp}/nirb-bench-io (the 1 GiB one too); nothing is committed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
walk="$NIRB_BUILD/h5walk"
cc -O2 -o "$walk" "$NIRB_ROOT/bench/io/h5walk.c" $(pkg-config --cflags --libs hdf5)
rw="$NIRB_BUILD/nirb_rw"
c++ -std=c++20 -O2 -o "$rw" "$NIRB_ROOT/bench/io/nirb_rw.cpp" -I"$NIRB_ROOT/core/include" \
    -L"$NIRB_BUILD/core" -lnirb -Wl,-rpath,"$NIRB_BUILD/core"
exec "$NIRB_VENV/bin/python" "$NIRB_ROOT/bench/io/run.py" \
    --nirb "$NIRB_BUILD/tools/nirb" --h5walk "$walk" --rw "$rw" "$@"
