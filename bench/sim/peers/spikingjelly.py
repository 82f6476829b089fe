"""Benchmark peer: SpikingJelly 2.0.0 runs a .nir file with its own importer.

`run(path, x, dt=None, step_mode="m", repeats=1)` loads `path` with
spikingjelly.activation_based.nir_exchange.import_from_nir (dt from the file's
`nirb.import.dt` when nirb wrote it, else SpikingJelly's default 1e-4) and runs it on the
spike array x of shape (T, B, *input) under torch.no_grad(). Returns (seconds, output spike
counts per output neuron summed over time and batch): seconds is the best of `repeats` runs
of the whole sequence, each from the initial state.

step_mode "m" (SpikingJelly's multi-step mode, the whole (T, B, ...) tensor in one call) is
how SpikingJelly is meant to run fast; graphs with a cycle only run in "s" (one call per step,
passing the state back), which is then used whatever was asked. Compare against
`nirb simulate --profile spikingjelly` on a SpikingJelly export, or `spikingjelly-import` on a
file nirb converted to SpikingJelly.
"""

import time

import h5py
import numpy as np
import torch


def _stored_dt(path):
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            return float(meta["nirb.import.dt"][()])
    return None


def run(path, x, dt=None, step_mode="m", repeats=1):
    import nir
    from spikingjelly.activation_based.nir_exchange import from_nir

    graph = nir.read(str(path))
    if from_nir._has_cycle(graph):
        step_mode = "s"
    dt = dt or _stored_dt(path) or 1e-4
    module = from_nir.import_from_nir(graph, dt=dt, step_mode=step_mode)
    xs = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    best, out = float("inf"), None
    with torch.no_grad():
        for _ in range(max(1, repeats)):
            t0 = time.perf_counter()
            if step_mode == "m":
                out, _ = module(xs, None)
            else:
                state, steps = None, []
                for t in range(xs.shape[0]):
                    y, state = module(xs[t], state)
                    steps.append(y)
                out = torch.stack(steps)
            best = min(best, time.perf_counter() - t0)
    counts = out.reshape(out.shape[0], out.shape[1], -1).sum(dim=(0, 1)).numpy()
    return best, counts
