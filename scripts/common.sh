# Shared by the scripts in this folder: paths and the project's Python environment.
# Sourced, not run.
NIRB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NIRB_BUILD="${NIRB_BUILD:-$NIRB_ROOT/build}"
NIRB_VENV="${NIRB_VENV:-$NIRB_ROOT/.venv}"
export NIRB_ROOT NIRB_BUILD NIRB_VENV
log() { printf '\033[1m[nirb]\033[0m %s\n' "$*" >&2; }
