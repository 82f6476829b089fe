#!/usr/bin/env python3
"""Build tests/data/bad/: one small malformed .nir file per kind of bad input, plus
expectations.json (the message each must produce). Run with the project venv:

    .venv/bin/python tests/data/make_bad_corpus.py

The generated files are committed so the C++ tests need no Python.
"""
import io
import json
import pathlib
import zipfile

import h5py
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent / "bad"
STR = h5py.string_dtype("utf-8")
EXPECT = {}


def expect(name, *fragments):
    EXPECT[name] = {"exit": 1, "message": list(fragments)}


def graph_file(name, build):
    """A minimal valid graph (input -> lif -> output), then `build(f)` breaks it."""
    with h5py.File(OUT / name, "w") as f:
        f.create_dataset("version", data="1.0.7", dtype=STR)
        node = f.create_group("node")
        node.create_dataset("type", data="NIRGraph", dtype=STR)
        node.create_dataset("edges", data=[["input", "lif"], ["lif", "output"]], dtype=STR)
        nodes = node.create_group("nodes")
        for io_name, kind in (("input", "Input"), ("output", "Output")):
            g = nodes.create_group(io_name)
            g.create_dataset("type", data=kind, dtype=STR)
            g.create_dataset("shape", data=np.array([2], dtype=np.int64))
        lif = nodes.create_group("lif")
        lif.create_dataset("type", data="LIF", dtype=STR)
        for p in ("tau", "r", "v_leak", "v_threshold", "v_reset"):
            lif.create_dataset(p, data=np.ones(2))
        build(f)


def main():
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.nir"):
        old.unlink()

    # A torch.save archive renamed .nir: a ZIP file, not HDF5.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        z.writestr("archive/version", b"3\n")
    (OUT / "torch_checkpoint.nir").write_bytes(buf.getvalue())
    expect("torch_checkpoint.nir", "not an HDF5 file", "ZIP archive", "NIRB-E101")

    (OUT / "empty.nir").write_bytes(b"")
    expect("empty.nir", "not an HDF5 file", "empty")

    graph_file("truncated.nir", lambda f: f["node/nodes/lif"].create_dataset(
        "big", data=np.arange(4096, dtype=np.float64)))
    data = (OUT / "truncated.nir").read_bytes()
    (OUT / "truncated.nir").write_bytes(data[: len(data) // 2])
    # libhdf5's own reason is kept in the message (it was lost once: closing the file access
    # property list before reading the error stack cleared it).
    expect("truncated.nir", "truncated", "truncated file: eof = ")

    graph_file("no_node.nir", lambda f: f.__delitem__("node"))
    expect("no_node.nir", "/node", "missing", "NIRB-E103")

    def string_weight(f):
        del f["node/nodes/lif/tau"]
        f["node/nodes/lif"].create_dataset("tau", data="fast", dtype=STR)
    graph_file("string_parameter.nir", string_weight)
    expect("string_parameter.nir", "/node/nodes/lif/tau", "holds strings",
           "expected a numeric array")

    def int_type(f):
        del f["node/nodes/lif/type"]
        f["node/nodes/lif"].create_dataset("type", data=3)
    graph_file("type_not_string.nir", int_type)
    expect("type_not_string.nir", "/node/nodes/lif/type", "expected a scalar string")

    def compound(f):
        del f["node/nodes/lif/r"]
        f["node/nodes/lif"].create_dataset(
            "r", data=np.zeros(2, dtype=[("a", "f8"), ("b", "i4")]))
    graph_file("compound_parameter.nir", compound)
    expect("compound_parameter.nir", "/node/nodes/lif/r", "unsupported datatype (compound)")

    graph_file("missing_required.nir", lambda f: f["node/nodes/lif"].__delitem__("tau"))
    expect("missing_required.nir", "missing required field 'tau' of LIF", "NIRB-E106")

    graph_file("missing_type.nir", lambda f: f["node/nodes/lif"].__delitem__("type"))
    expect("missing_type.nir", "/node/nodes/lif", "no 'type'", "NIRB-E104")

    def unknown_type(f):
        del f["node/nodes/lif/type"]
        f["node/nodes/lif"].create_dataset("type", data="Spike", dtype=STR)
    graph_file("unknown_type.nir", unknown_type)
    expect("unknown_type.nir", "unknown node type 'Spike'", "NIRB-E112")

    def overflow(f):
        f["node/nodes/lif"].create_dataset("huge", shape=(2**31, 2**31, 2**31), dtype="f8")
    graph_file("shape_overflow.nir", overflow)
    expect("shape_overflow.nir", "/node/nodes/lif/huge", "overflows 64 bits")

    def too_large(f):
        del f["node/nodes/lif/r"]
        f["node/nodes/lif"].create_dataset("r", shape=(2**38,), dtype="f8")
    graph_file("too_large.nir", too_large)
    expect("too_large.nir", "/node/nodes/lif/r", "larger than 1 TiB")

    def external_values(name, shape, dtype, source):
        """lif.r keeps its values in another file (HDF5 external storage)."""
        def build(f):
            del f["node/nodes/lif/r"]
            nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
            f["node/nodes/lif"].create_dataset("r", shape=shape, dtype=dtype,
                                               external=[(source, 0, nbytes)])
        graph_file(name, build)
        expect(name, "/node/nodes/lif/r", "outside this file")

    # A raw file that does not exist, and a host file that exists everywhere: reading the
    # latter would copy it into whatever nirb writes, so both are refused alike.
    external_values("external_missing.nir", (2,), "f8", "nirb-missing-external.raw")
    external_values("external_host_file.nir", (16,), "u1", "/etc/passwd")

    # External storage whose layout also names an address in this file (HDF5 writes none;
    # a crafted file can): HDF5 still reads the external file, so an address alone does not
    # prove the values are here.
    name = "external_with_address.nir"
    external_values(name, (16,), "u1", "/etc/passwd")
    with h5py.File(OUT / name, "r") as f:
        inside = f["node/nodes/lif/tau"].id.get_offset()
    data = (OUT / name).read_bytes()
    # Layout message version 3, class 1 (contiguous): the address (8 bytes, undefined), then
    # the size (16 bytes of r).
    layout = b"\x03\x01" + b"\xff" * 8 + (16).to_bytes(8, "little")
    assert data.count(layout) == 1, "expected one contiguous layout without an address"
    (OUT / name).write_bytes(data.replace(layout, layout[:2] + inside.to_bytes(8, "little")
                                          + layout[10:]))

    # A virtual dataset: values mapped from another HDF5 file.
    def virtual_values(f):
        del f["node/nodes/lif/r"]
        layout = h5py.VirtualLayout(shape=(2,), dtype="f8")
        layout[:] = h5py.VirtualSource("nirb-missing-source.h5", "values", shape=(2,))
        f["node/nodes/lif"].create_virtual_dataset("r", layout, fillvalue=0)
    graph_file("virtual_values.nir", virtual_values)
    expect("virtual_values.nir", "/node/nodes/lif/r", "outside this file")

    def slash(f):
        g = f["node/nodes"].create_group("a/b")  # h5py nests: group a holding group b
        g.create_dataset("type", data="Input", dtype=STR)
        g.create_dataset("shape", data=np.array([2], dtype=np.int64))
    graph_file("slash_in_name.nir", slash)
    expect("slash_in_name.nir", "/node/nodes/a", "a/b", "nested groups", "NIRB-E107")

    def cycle(f):
        sub = f["node/nodes"].create_group("sub")
        sub.create_dataset("type", data="NIRGraph", dtype=STR)
        sub.create_dataset("edges", data=np.zeros(0))
        inner = sub.create_group("nodes")
        inner["again"] = sub  # hard link: the group contains itself
    graph_file("link_cycle.nir", cycle)
    expect("link_cycle.nir", "/node/nodes/sub/nodes/again", "link cycle")

    def soft(f):
        f["node/nodes/alias"] = h5py.SoftLink("/node/nodes/lif")
    graph_file("soft_link.nir", soft)
    expect("soft_link.nir", "/node/nodes/alias", "soft or external link")

    def deep(f):
        g = f["node/nodes"]
        for level in range(100):
            sub = g.create_group(f"g{level}")
            sub.create_dataset("type", data="NIRGraph", dtype=STR)
            sub.create_dataset("edges", data=np.zeros(0))
            g = sub.create_group("nodes")
    graph_file("deep_nesting.nir", deep)
    expect("deep_nesting.nir", "nested deeper than 64", "NIRB-E109")

    def bad_edges(f):
        del f["node/edges"]
        f["node"].create_dataset("edges", data=["input", "lif", "output"], dtype=STR)
    graph_file("edges_wrong_shape.nir", bad_edges)
    expect("edges_wrong_shape.nir", "/node/edges", "expected (N, 2)", "NIRB-E113")

    def float_edges(f):
        del f["node/edges"]
        f["node"].create_dataset("edges", data=np.ones((2, 2)))
    graph_file("edges_float.nir", float_edges)
    expect("edges_float.nir", "/node/edges", "float64 numbers", "NIRB-E113")

    # Declared but never written: HDF5 would allocate and fill 1 GiB from a 14 KB file.
    def unwritten(f):
        del f["node/nodes/lif/r"]
        f["node/nodes/lif"].create_dataset("r", shape=(1 << 27,), dtype="f8")
    graph_file("unwritten_dataset.nir", unwritten)
    expect("unwritten_dataset.nir", "/node/nodes/lif/r", "refused before allocating",
           "NIRB-E115")

    # 400 million variable-length strings declared, none written: HDF5's string conversion
    # alone took gigabytes.
    def unwritten_strings(f):
        f["node"].create_dataset("notes", shape=(400_000_000,), dtype=STR)
    graph_file("unwritten_strings.nir", unwritten_strings)
    expect("unwritten_strings.nir", "/node/notes", "refused before allocating", "NIRB-E115")

    (OUT / "expectations.json").write_text(json.dumps(EXPECT, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
