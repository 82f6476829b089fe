#!/usr/bin/env bash
# The README's main job: set up, build, then move a bundled snnTorch model to Norse with
# nirbridge and prove it:
#   1. nirb detect: which exporter wrote the bundled file, with evidence;
#   2. nirb convert --from snntorch --to norse --verify: the conversion, its verdict, and the
#      simulator's spike agreement between the source and the result;
#   3. the real frameworks: the same model run natively in snnTorch and the converted file
#      imported by Norse's own from_nir, on the same random spikes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$NIRB_ROOT/scripts/setup.sh"
bash "$NIRB_ROOT/scripts/build.sh"

nirb="$NIRB_BUILD/tools/nirb"
model="$NIRB_ROOT/examples/models/snntorch_mlp.nir"
out_dir="$NIRB_BUILD/demo"
out="$out_dir/snntorch_mlp.norse.nir"
mkdir -p "$out_dir"
rm -f "$out"

log "1/3 nirb detect $model"
"$nirb" detect "$model"

log "2/3 nirb convert (snnTorch -> Norse) with simulation verification"
"$nirb" convert "$model" "$out" --from snntorch --to norse --verify

log "3/3 real frameworks: snnTorch native vs Norse's from_nir on the converted file"
"$NIRB_VENV/bin/python" "$NIRB_ROOT/examples/models/snntorch_mlp.py" check "$out"
