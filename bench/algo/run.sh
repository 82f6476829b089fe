#!/usr/bin/env bash
# Graph algorithms benchmark and its peer, in one run (docs/performance.md, "Graph algorithms").
# Usage: bench/algo/run.sh [BUILD_DIR]   (NIRB_VENV: the Python venv with nir; default the
# project's ./.venv made by scripts/setup.sh). Python nir is quadratic here, so it only gets
# the small sizes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
build=${1:-$NIRB_BUILD}
venv=$NIRB_VENV
here=$(dirname "${BASH_SOURCE[0]}")
echo "## nirbridge (C++)"
"$build/bench/algo/bench-algo" 1000 10000 100000 1000000
echo "## Python nir $("$venv/bin/python" -c 'import nir; print(nir.version)')"
"$venv/bin/python" "$here/peer_nir.py" 1000 10000
