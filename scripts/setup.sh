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

# Lava (lava-nc, lava-dl's netx) runs only on Python 3.10 (its compiler fails on 3.11), so the
# Loihi 2 target's tests drive it in its own environment .venv-lava, through a subprocess.
# lava-dl is installed without dependencies: its pinned torch is a GPU build, and netx (the
# part used) needs only h5py besides lava-nc.
install_lava_env() {
    local venv="$NIRB_ROOT/.venv-lava"
    local want="lava-nc==0.10.0 lava-dl==0.6.0 h5py==3.11.0"
    if [ -f "$venv/.nirb-lava" ] && [ "$(cat "$venv/.nirb-lava")" = "$want" ]; then
        return 0
    fi
    local python310
    python310=$(pyenv root 2>/dev/null)/versions/3.10.13/bin/python3.10
    if [ ! -x "$python310" ]; then
        log "Python 3.10 not found (pyenv 3.10.13): skipping the Lava environment"
        return 0
    fi
    log "creating the Lava environment in $venv"
    "$python310" -m venv "$venv"
    "$venv/bin/pip" install -q "lava-nc==0.10.0" "h5py==3.11.0"
    "$venv/bin/pip" install -q --no-deps "lava-dl==0.6.0"
    echo "$want" >"$venv/.nirb-lava"
}

install_system_packages
if [ "${NIRB_SKIP_PYTHON:-0}" != "1" ]; then
    install_python_env
    install_lava_env
fi
