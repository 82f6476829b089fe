"""Benchmark peer: mlx-snn 0.5.0 (MLX on CPU) runs a .nir file with its own importer.

run(path, x) loads `path` with mlxsnn.import_from_nir (dt from the file's `nirb.import.dt`,
written by `nirb convert --to mlxsnn`, else mlx-snn's default 1e-4) and runs it on the spike
array x of shape (T, B, *in), evaluating every step (MLX is lazy). Returns (best seconds over
`repeats` runs of all steps, output spike count of one run). Not a test: bench/sim runs it.
"""

import time

import h5py
import numpy as np


def _import_dt(path, default=1e-4):
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            return float(meta["nirb.import.dt"][()])
    return default


def run(path, x, repeats=1):
    import mlx.core as mx
    import mlxsnn
    import nir

    model = mlxsnn.import_from_nir(nir.read(str(path)), dt=_import_dt(path))
    xs = np.asarray(x, dtype=np.float32).reshape(x.shape[0], x.shape[1], -1)
    steps = [mx.array(xs[t]) for t in range(xs.shape[0])]
    best, count = float("inf"), 0.0
    for _ in range(max(1, repeats)):
        states = model.init_states(xs.shape[1])
        total = mx.array(0.0)
        t0 = time.perf_counter()
        for xt in steps:
            out, states = model(xt, states)
            total = total + out.sum()
            mx.eval(total, states)
        best = min(best, time.perf_counter() - t0)
        count = float(total.item())
    return best, count
