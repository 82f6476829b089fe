#!/usr/bin/env bash
# The Python package nirb (docs/python.md): build the wheel from the repository root with pip
# (meson-python, pinned in pyproject.toml), install it into the fresh virtual environment
# .venv-pypkg, and run tests/pypkg against the installed package. The frameworks the interop
# tests need (torch, nir, snnTorch, Norse) are borrowed from .venv through one .pth line
# instead of being installed a second time; nirb itself exists only in .venv-pypkg.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PYPKG_VENV="${NIRB_PYPKG_VENV:-$NIRB_ROOT/.venv-pypkg}"

if [ ! -x "$PYPKG_VENV/bin/pip" ]; then
    log "creating $PYPKG_VENV"
    # The interpreter of .venv, so that the borrowed packages below fit it.
    "$NIRB_VENV/bin/python" -m venv "$PYPKG_VENV"
fi
borrowed=$("$NIRB_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
own=$("$PYPKG_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$borrowed" >"$own/nirb-test-dependencies.pth"

log "building the wheel and installing it (pip install . into $PYPKG_VENV)"
pip_log=$(mktemp)
# The build backend as pinned in pyproject.toml, installed once: builds without isolation
# then reuse build-python/ (a second run rebuilds only what changed).
"$PYPKG_VENV/bin/pip" install -q meson-python==0.22.1 meson==1.12.1 nanobind==3.1.0 2>&1 |
    grep -v "^WARNING: Location" || true
if ! "$PYPKG_VENV/bin/pip" install -q --no-deps --force-reinstall --no-build-isolation "$NIRB_ROOT" \
    -Cbuild-dir="$NIRB_ROOT/build-python" >"$pip_log" 2>&1; then
    cat "$pip_log" >&2
    exit 1
fi
rm -f "$pip_log"

log "Python package tests (tests/pypkg, against the installed wheel)"
cd "$NIRB_ROOT"
NIRB_BIN="${NIRB_BIN:-$NIRB_BUILD/tools/nirb}" "$PYPKG_VENV/bin/python" -m pytest -q tests/pypkg
