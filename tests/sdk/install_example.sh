# Sourced by the SDK tests: install nirbridge to a temporary folder (meson install --destdir)
# and build examples/$example out of tree with pkg-config against the installed SDK only.
# Needs: build, source_root, example. Sets: tmp (removed on exit), nirb, libdir.
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --quiet >/dev/null
pc="$(dirname "$(find "$tmp/root" -name nirb-sdk.pc | head -1)")"
cp -r "$source_root/examples/$example" "$tmp/plugin"
PKG_CONFIG_PATH="$pc" make -s -C "$tmp/plugin"
nirb="$(find "$tmp/root" -path '*/bin/nirb' | head -1)"
libdir="$(dirname "$(find "$tmp/root" -name 'libnirb.so*' | head -1)")"
