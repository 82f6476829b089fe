"""Benchmark peer: SpikingJelly 2.0.0 runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with
spikingjelly.activation_based.nir_exchange.import_from_nir (dt from the file's
`nirb.import.dt` when nirb wrote it, else SpikingJelly's default 1e-4) in multi-step mode
("m": a whole (T, B, ...) tensor per call, how SpikingJelly is meant to run fast; layer-wise),
fed `chunk` steps per call with the state passed on. Graphs with a cycle only run in
single-step mode ("s": one call per step), which is then used. The runner returns the output
spikes summed. nirb runs the same file under the profile its metadata names
(`spikingjelly-import` for a file nirb converted to SpikingJelly).
"""

import h5py
import numpy as np

VERSION = "SpikingJelly 2.0.0"
HOW = "multi-step"
GROUP = "torch"
LAYERWISE = True


def _stored_dt(path):
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            return float(meta["nirb.import.dt"][()])
    return None


def prepare(path, x, chunk=None):
    import nir
    import torch
    from spikingjelly.activation_based.nir_exchange import from_nir

    graph = nir.read(str(path))
    step_mode = "s" if from_nir._has_cycle(graph) else "m"
    module = from_nir.import_from_nir(graph, dt=_stored_dt(path) or 1e-4, step_mode=step_mode)
    xs = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    windows = list(torch.split(xs, chunk or xs.shape[0])) if step_mode == "m" else list(xs)

    def run():
        state, total = None, torch.zeros(())
        with torch.no_grad():
            for xw in windows:
                out, state = module(xw, state)
                total += out.sum()
        return total

    return run
