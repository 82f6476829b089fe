#!/usr/bin/env bash
# Installs the SDK to a temporary folder (meson install --destdir), builds
# examples/minimal-plugin out of tree with pkg-config against it, validates the plugin, runs
# its pass with the installed nirb on a model it changes and checks the changed values (so a
# plugin that does nothing fails this test). Needs jq.
set -euo pipefail
build="$1"; source_root="$2"
example=minimal-plugin
source "$source_root/tests/sdk/install_example.sh"
export LD_LIBRARY_PATH="$libdir:${LD_LIBRARY_PATH:-}" NIRB_PLUGIN_PATH="$tmp/plugin"
"$nirb" plugins | grep -q "org.example.minimal 0.1.0"
"$nirb" plugin validate "$tmp/plugin/nirb_minimal.so" >/dev/null
# A model the pass really changes: Affine (float32), Linear (float64) and an Affine whose
# weight and bias differ in dtype, with LIF/LI nodes it must leave alone.
cp "$source_root/tests/fixtures/reference/dtypes_mixed.nir" "$tmp/plugin/model.nir"
cat > "$tmp/plugin/affine.yaml" <<'YAML'
nirb_pipeline: 1
input: model.nir
steps:
  - run: example.scale-weights
    with: {factor: 0.5, bias_too: true}
output: {path: out.nir}
YAML
"$nirb" run "$tmp/plugin/affine.yaml" | grep -q "wrote"
"$nirb" info "$tmp/plugin/out.nir" >/dev/null
# Check the values: every Linear/Affine weight (and Affine bias) is exactly half the input's, in
# the same dtype; every other field is unchanged; the pass left its metadata trace.
"$nirb" convert "$tmp/plugin/model.nir" "$tmp/in.json" >/dev/null
"$nirb" convert "$tmp/plugin/out.nir" "$tmp/out.json" >/dev/null
jq -e -n --slurpfile a "$tmp/in.json" --slurpfile b "$tmp/out.json" '
  def tensor: .["$tensor"];
  def scaled($n; $f): ($n.type == "Linear" or $n.type == "Affine")
      and ($f == "weight" or ($f == "bias" and $n.type == "Affine"));
  $a[0].node.nodes as $in | $b[0].node.nodes as $out
  | [$in | to_entries[] | .key as $name | .value as $node | $node.fields | to_entries[]
     | select(.value | type == "object" and has("$tensor"))
     | {name: $name, field: .key, scaled: scaled($node; .key),
        before: (.value | tensor), after: ($out[$name].fields[.key] | tensor)}] as $fields
  | ([$fields[] | select(.scaled)] | length) >= 4
    and ([$fields[] | select(.scaled) | .before.data[] | select(. != 0)] | length) > 0
    and all($fields[]; .before.dtype == .after.dtype and .before.shape == .after.shape
        and (if .scaled then [.before.data[] * 0.5] == .after.data
             else .before.data == .after.data end))
    and $b[0].node.metadata["example.scaled_by"] == 0.5' >/dev/null ||
    { echo "example.scale-weights did not halve the weights of $tmp/plugin/model.nir" >&2; exit 1; }
"$nirb" run "$tmp/plugin/pipeline.yaml" >/dev/null
test -f "$tmp/plugin/model.scaled.nir"
echo "installed SDK: example plugin built, validated and run; weights halved"
