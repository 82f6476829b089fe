#!/usr/bin/env bash
# Installs nirbridge to a temporary folder (meson install --destdir), builds
# examples/framework-plugin (the imaginary framework "toyfw") out of tree with pkg-config
# against the installed SDK only, and proves it gets the contract of the first-party plugins:
# listed and validated, `nirb convert --from snntorch --to toyfw --verify` and back are exact
# with full spike agreement, its fingerprint names it, its importer argument reaches the file,
# and a source it cannot express is refused with the reason and nothing written.
set -euo pipefail
build="$1"; source_root="$2"
example=framework-plugin
source "$source_root/tests/sdk/install_example.sh"
# The first-party plugins of the same install (a --destdir install is not where nirb looks).
plugins="$(dirname "$(find "$tmp/root" -name nirb_snntorch.so | head -1)")"
export LD_LIBRARY_PATH="$libdir:${LD_LIBRARY_PATH:-}" NIRB_PLUGIN_PATH="$tmp/plugin:$plugins"
cd "$tmp"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exact LOG: the verdict is exact and --verify measured identical spikes.
expect_exact() {
    grep -q "^verdict: exact" "$1" || fail "$(cat "$1")"
    grep -q "spike agreement 1.000000 (0 of" "$1" || fail "verify disagrees: $(cat "$1")"
}

"$nirb" plugins | grep -q "org.example.toyfw 0.1.0" || fail "toyfw is not listed"
"$nirb" plugin validate "$tmp/plugin/nirb_toyfw.so" >/dev/null || fail "toyfw does not validate"

model="$source_root/examples/models/snntorch_mlp.nir"
"$nirb" convert "$model" toy.nir --from snntorch --to toyfw --verify >to.log 2>&1 ||
    fail "snntorch -> toyfw: $(cat to.log)"
expect_exact to.log
grep -q "result: toyfw" to.log || fail "the result was not simulated under toyfw's profile"
grep -q "import with: dt=0.0001" to.log || fail "toyfw's importer argument is missing"
"$nirb" detect toy.nir | grep -q "most likely exported by toyfw" || fail "fingerprint"

"$nirb" convert toy.nir back.nir --from toyfw --to snntorch --verify >back.log 2>&1 ||
    fail "toyfw -> snntorch: $(cat back.log)"
expect_exact back.log
grep -q "import with" back.log && fail "stale importer arguments of the toyfw conversion"

# snnTorch's zero reset cannot be expressed by toyfw (it only subtracts): refused, no output.
if "$nirb" convert "$model" zero.nir --from snntorch --to toyfw \
    --from-option reset_mechanism=zero >zero.log 2>&1; then
    fail "a zero-reset source was accepted"
fi
grep -q "^verdict: impossible.*toyfw only subtracts" zero.log || fail "$(cat zero.log)"
test ! -e zero.nir || fail "an impossible conversion wrote its output"
echo "installed SDK: example framework plugin toyfw converts to and from snnTorch, verified"
