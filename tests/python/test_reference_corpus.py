"""The committed reference corpus is what make_reference.py makes with the real nir 1.0.7.

tests/fixtures/reference/make_reference.py regenerates every file and manifest.json into a
temporary folder; each regenerated file must hold exactly what the committed one holds
(groups, datasets with dtype, shape and exact values, attributes), and the regenerated
manifest must equal the committed one except for the fields that describe the bytes (HDF5
bytes depend on the h5py/HDF5 build) or the run (environment, generator path).
"""

import hashlib
import json
import pathlib
import shutil
import sys

import h5py
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "fixtures" / "reference"
sys.path.insert(0, str(REFERENCE))

import compare  # noqa: E402
import make_reference  # noqa: E402


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    return out, make_reference.generate(out)


def committed_manifest():
    return json.loads((REFERENCE / "manifest.json").read_text())


def test_same_file_list(regenerated):
    out, _ = regenerated
    assert sorted(p.name for p in out.glob("*.nir")) == sorted(
        p.name for p in REFERENCE.glob("*.nir"))


@pytest.mark.parametrize("name", sorted(p.name for p in REFERENCE.glob("*.nir")))
def test_regenerated_file_holds_what_the_committed_one_holds(regenerated, name):
    out, _ = regenerated
    assert compare.diff_nir(out / name, REFERENCE / name) == []


def test_regenerated_manifest_equals_committed(regenerated):
    _, manifest = regenerated
    assert compare.diff_manifests(manifest, committed_manifest()) == []


def test_committed_manifest_describes_the_committed_bytes():
    for name, entry in committed_manifest()["files"].items():
        blob = (REFERENCE / name).read_bytes()
        assert len(blob) == entry["file_size"], name
        assert hashlib.sha256(blob).hexdigest() == entry["file_sha256"], name


def test_legacy_file_has_no_v_reset(regenerated):
    out, _ = regenerated
    with h5py.File(out / "legacy_no_v_reset.nir", "r") as f:
        found = []
        f.visit(lambda n: found.append(n) if n.endswith("v_reset") else None)
    assert found == []


# The comparison itself must see a change: one value, one dtype, one removed dataset, one edge.
def _edited_copy(tmp_path, name, edit):
    copy = tmp_path / name
    shutil.copy(REFERENCE / name, copy)
    with h5py.File(copy, "r+") as f:
        edit(f)
    return copy


def _bump_first_value(f):
    data = f["node/nodes/lif/tau"][()]
    data[0] = np.nextafter(data[0], 1.0)
    f["node/nodes/lif/tau"][...] = data


def _retype(f):
    data = f["node/nodes/lif/r"][()]
    del f["node/nodes/lif/r"]
    f.create_dataset("node/nodes/lif/r", data=data.astype(np.float32))


@pytest.mark.parametrize("edit", [
    _bump_first_value,
    _retype,
    lambda f: f.__delitem__("node/nodes/lif/v_reset"),
    lambda f: f["node/edges"].__setitem__(0, ["input", "output"]),
])
def test_diff_nir_sees_every_kind_of_change(tmp_path, edit):
    edited = _edited_copy(tmp_path, "prim_LIF.nir", edit)
    assert compare.diff_nir(edited, REFERENCE / "prim_LIF.nir") != []


def test_diff_manifests_sees_a_changed_checksum():
    a = committed_manifest()
    b = committed_manifest()
    entry = b["files"]["prim_LIF.nir"]["datasets"]["/node/nodes/lif/tau"]
    entry["sha256"] = "0" * 64
    assert compare.diff_manifests(a, b) != []
