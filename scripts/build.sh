#!/usr/bin/env bash
# Configure (once) and build nirbridge into $NIRB_BUILD (default: ./build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ ! -f "$NIRB_BUILD/build.ninja" ]; then
    meson setup "$NIRB_BUILD" "$NIRB_ROOT" --buildtype=release >/dev/null
fi
ninja -C "$NIRB_BUILD" >&2
