"""Benchmark peer: SC-NeuroCore 3.16.0 runs a .nir file with its own importer.

run(path, x) loads `path` with sc_neurocore.nir_bridge.from_nir (dt and reset_mode from the
file's `nirb.import.*` metadata, written by `nirb convert --to scneurocore`, else its defaults
dt = 1, "reset") and runs it on the spike array x of shape (T, B, *in). SCNetwork has no batch
axis: each batch element is its own run after reset(). Returns (best seconds over `repeats`
runs of all samples and steps, output spike count of one run). Not a test: bench/sim runs it.
"""

import time

import h5py
import numpy as np

#: SCNetwork has no batch axis: run_peers.py estimates batch 64 from batch 1 when slow.
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


def run(path, x, repeats=1):
    from sc_neurocore.nir_bridge import from_nir

    network = from_nir(str(path), **_import_kwargs(path))
    source, sink = network.input_nodes[0], network.output_nodes[0]
    xs = np.asarray(x, dtype=np.float64)
    steps, batch = xs.shape[:2]
    best, count = float("inf"), 0.0
    for _ in range(max(1, repeats)):
        total = 0.0
        t0 = time.perf_counter()
        for b in range(batch):
            network.reset()
            for t in range(steps):
                total += float(np.sum(network.step({source: xs[t, b].reshape(-1)})[sink]))
        best = min(best, time.perf_counter() - t0)
        count = total
    return best, count
