"""Benchmark peer: SC-NeuroCore 3.16.0 runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with sc_neurocore.nir_bridge.from_nir (dt and reset_mode
from the file's `nirb.import.*` metadata, written by `nirb convert --to scneurocore`, else its
defaults dt = 1, "reset"); the runner steps it through the spikes x (T, B, *in). SCNetwork has
no batch axis: each batch element is its own run after reset(). It is pure NumPy (float64);
SC-NeuroCore's compiled engine package is not what from_nir builds.
"""

import h5py
import numpy as np

VERSION = "SC-NeuroCore 3.16.0"
HOW = "NumPy, per step, samples in turn"
GROUP = "numpy"
#: SCNetwork has no batch axis: B samples run one after another
BATCH_AXIS = False


def _import_kwargs(path):
    out = {}
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is None:
            return out
        if "nirb.import.dt" in meta:
            out["dt"] = float(meta["nirb.import.dt"][()])
        if "nirb.import.reset_mode" in meta:
            value = meta["nirb.import.reset_mode"][()]
            out["reset_mode"] = value.decode() if isinstance(value, bytes) else str(value)
    return out


def prepare(path, x, chunk=None):
    from sc_neurocore.nir_bridge import from_nir

    network = from_nir(str(path), **_import_kwargs(path))
    source, sink = network.input_nodes[0], network.output_nodes[0]
    xs = np.asarray(x, dtype=np.float64)
    samples = [[{source: xs[t, b].reshape(-1)} for t in range(xs.shape[0])]
               for b in range(xs.shape[1])]

    def run():
        total = 0.0
        for steps in samples:
            network.reset()
            for inputs in steps:
                total += float(np.sum(network.step(inputs)[sink]))
        return total

    return run
