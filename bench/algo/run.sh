#!/usr/bin/env bash
# Graph algorithms benchmark and its peer, in one run (docs/performance.md, "Graph algorithms").
# Usage: bench/algo/run.sh [BUILD_DIR]   (NIRB_VENV: the Python venv with nir; default
# /work/venv-shared). Python nir is quadratic here, so it only gets the small sizes.
set -euo pipefail
build=${1:-build}
venv=${NIRB_VENV:-/work/venv-shared}
here=$(dirname "${BASH_SOURCE[0]}")
echo "## nirbridge (C++)"
"$build/bench/algo/bench-algo" 1000 10000 100000 1000000
echo "## Python nir $("$venv/bin/python" -c 'import nir; print(nir.version)')"
"$venv/bin/python" "$here/peer_nir.py" 1000 10000
