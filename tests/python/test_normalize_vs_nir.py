"""`nirb normalize` against the real reference package (nir 1.0.7).

nir.read silently adds an Input node before every node without incoming edges and an Output
node after every node without outgoing edges. `nirb normalize --io` makes that explicit, so
nir.read of our output must give exactly the graph nir.read gives for the original, and no
further node may be added.
"""
import json
import subprocess

import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, assert_same, nirb


def lif(n):
    return nir.LIF(tau=np.full(n, 0.01), r=np.ones(n), v_leak=np.zeros(n),
                   v_threshold=np.ones(n), v_reset=np.zeros(n))


def graphs_without_io():
    rng = np.random.default_rng(3)
    w = rng.standard_normal((3, 5)).astype(np.float32)
    yield "linear_lif", {"w": nir.Linear(weight=w), "n": lif(3)}, [("w", "n")]
    yield "two_sources", {"a": nir.Linear(weight=w), "b": nir.Affine(weight=w, bias=np.ones(3)),
                          "n": lif(3)}, [("a", "n"), ("b", "n")]
    conv = nir.Conv2d(input_shape=np.array([8, 8]), weight=rng.standard_normal((4, 2, 3, 3)),
                      stride=1, padding=0, dilation=1, groups=1, bias=np.zeros(4))
    yield "conv_flatten", {"c": conv, "f": nir.Flatten(input_type={"input": np.array([4, 6, 6])},
                                                       start_dim=0, end_dim=-1)}, [("c", "f")]


@pytest.mark.parametrize("name,nodes,edges", list(graphs_without_io()),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_io_matches_what_nir_read_adds(name, nodes, edges, tmp_path):
    original = tmp_path / f"{name}.nir"
    nir.write(str(original), nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))
    ours = tmp_path / "normalized.nir"
    nirb("normalize", original, ours, "--io")
    expected = nir.read(str(original))
    got = nir.read(str(ours))
    assert len(expected.nodes) > len(nodes)  # the reference really adds nodes here
    assert sorted(got.nodes) == sorted(expected.nodes)
    assert sorted(map(tuple, got.edges)) == sorted(map(tuple, expected.edges))
    for key in expected.nodes:
        assert_same(expected.nodes[key].to_dict(), got.nodes[key].to_dict(), key)


def test_recurrence_becomes_the_canonical_subgraph(tmp_path):
    n = 4
    nodes = {"input": nir.Input(input_type={"input": np.array([n])}),
             "lif": lif(n), "w_rec": nir.Linear(weight=np.eye(n)),
             "output": nir.Output(output_type={"output": np.array([n])})}
    edges = [("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")]
    original = tmp_path / "flat.nir"
    nir.write(str(original), nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))
    ours = tmp_path / "canonical.json"
    nirb("normalize", original, ours, "--recurrence")
    info = subprocess.run([NIRB, "info", ours, "--json"], check=True, capture_output=True,
                          text=True)
    recurrences = json.loads(info.stdout)["recurrences"]
    assert [r["form"] for r in recurrences] == ["paper subgraph"]
    assert recurrences[0]["group"] != ""


def test_bad_input_writes_nothing(tmp_path):
    bad = tmp_path / "not_hdf5.nir"
    bad.write_bytes(b"PK\x03\x04 a torch.save archive, not HDF5")
    out = tmp_path / "out.nir"
    r = subprocess.run([NIRB, "normalize", bad, out], capture_output=True, text=True)
    assert r.returncode == 1 and "not_hdf5.nir" in r.stderr
    assert not out.exists()
    r = subprocess.run([NIRB, "normalize", bad, tmp_path / "x.json", "--compress"],
                       capture_output=True, text=True)
    assert r.returncode == 2
