#!/usr/bin/env bash
# Installs the SDK to a temporary folder (meson install --destdir), builds
# examples/minimal-plugin out of tree with pkg-config against it, validates the plugin and
# runs a pipeline that uses it with the installed nirb.
set -euo pipefail
build="$1"; source_root="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --quiet >/dev/null
pc="$(dirname "$(find "$tmp/root" -name nirb-sdk.pc | head -1)")"
cp -r "$source_root/examples/minimal-plugin" "$tmp/plugin"
PKG_CONFIG_PATH="$pc" make -s -C "$tmp/plugin"
nirb="$(find "$tmp/root" -path '*/bin/nirb' | head -1)"
libdir="$(dirname "$(find "$tmp/root" -name 'libnirb.so*' | head -1)")"
export LD_LIBRARY_PATH="$libdir:${LD_LIBRARY_PATH:-}" NIRB_PLUGIN_PATH="$tmp/plugin"
"$nirb" plugins | grep -q "org.example.minimal 0.1.0"
"$nirb" plugin validate "$tmp/plugin/nirb_minimal.so" >/dev/null
cp "$source_root/tests/configs/model.nir" "$tmp/plugin/model.nir"
cat > "$tmp/plugin/affine.yaml" <<'YAML'
nirb_pipeline: 1
input: model.nir
steps:
  - run: example.scale-weights
    with: {factor: 0.5}
output: {path: out.nir}
YAML
"$nirb" run "$tmp/plugin/affine.yaml" | grep -q "wrote"
"$nirb" info "$tmp/plugin/out.nir" >/dev/null
"$nirb" run "$tmp/plugin/pipeline.yaml" >/dev/null
test -f "$tmp/plugin/model.scaled.nir"
echo "installed SDK: example plugin built, validated and run"
