#!/usr/bin/env bash
# Install everything nirbridge needs on a fresh Debian machine: system packages (apt-get,
# only those missing) and a project-local Python virtual environment with the real
# frameworks used by the interop tests. Safe to run again; does nothing already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SYSTEM_PACKAGES=(
    g++ pkg-config ninja-build meson
    libhdf5-dev hdf5-tools libssl-dev
    libboost-dev libboost-filesystem-dev libboost-graph-dev
    libyaml-cpp-dev doctest-dev libcli11-dev libfmt-dev nlohmann-json3-dev libeigen3-dev
    clang-format jq libgraphviz-dev
    clang libclang-rt-dev
)

missing_packages() {
    for p in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

install_system_packages() {
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    log "installing system packages: $(echo $missing)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

install_python_env() {
    local stamp="$NIRB_VENV/.nirb-requirements"
    local req="$NIRB_ROOT/scripts/requirements.txt"
    local nodeps="$NIRB_ROOT/scripts/requirements-nodeps.txt"
    if [ -f "$stamp" ] && cat "$req" "$nodeps" | cmp -s "$stamp" -; then
        return 0
    fi
    log "creating Python environment in $NIRB_VENV"
    python3 -m venv "$NIRB_VENV"
    # torch first, pinned: the CPU build this machine provides. An unpinned torch pulled in by
    # a framework would fetch gigabytes of GPU packages.
    "$NIRB_VENV/bin/pip" install -q "torch==2.13.0"
    "$NIRB_VENV/bin/pip" install -q -r "$req"
    "$NIRB_VENV/bin/pip" install -q --no-deps -r "$nodeps"
    "$NIRB_VENV/bin/python" -c "import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__"
    cat "$req" "$nodeps" >"$stamp"
}

install_system_packages
if [ "${NIRB_SKIP_PYTHON:-0}" != "1" ]; then
    install_python_env
fi
