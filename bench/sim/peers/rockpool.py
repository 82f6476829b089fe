"""Benchmark peer: Rockpool 3.1.0 (torch backend) runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with rockpool.nn.modules.from_nir, sets the attributes
nirb stored for it (nirb.import.dt, nirb.import.max_spikes_per_dt: written by
`nirb convert --to rockpool`) and returns a runner that resets the state and runs the
(T, B, N) spikes as one (B, T, N) call (Rockpool evolves a whole sequence per call, layer by
layer). Rockpool's state does not carry over exactly between calls, so it cannot run in time
chunks. The runner returns the output spikes summed. Files Rockpool itself exported carry a
batch dimension in their Input/Output types that nir.read rejects; they are repaired here
first (Input (N,), Output (M,)), and from_nir then GUESSES dt (9.99e-4 for a
dt = 1e-3 export), so compare against nirb on files written by
`nirb convert M.nir M.rockpool.nir --from rockpool --to rockpool`, simulated with
`nirb simulate M.rockpool.nir --profile rockpool-import --profile-option dt=<nirb.dt>`
(plus `--profile-option spikes_per_step=single` when nirb.import.max_spikes_per_dt = 1).
Checked here on a converted snnTorch LIF MLP, 1000 steps x batch 64: equal output spike
counts (61555 both).
"""

import h5py
import numpy as np

VERSION = "Rockpool 3.1.0"
HOW = "torch backend, layer-wise"
GROUP = "torch"
LAYERWISE = True
#: its state does not carry over exactly between calls (measured: a run in 1-step windows gave
#: 67 output spikes where the whole sequence and nirb give 71), so it always runs whole
CHUNKABLE = False
IMPORT_PREFIX = "nirb.import."


def _stored_attributes(path):
    out = {}
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        for key, ds in (meta.items() if meta is not None else []):
            if key.startswith(IMPORT_PREFIX):
                out[key[len(IMPORT_PREFIX):]] = float(ds[()])
    return out


def _read(path):
    import nir

    try:
        return nir.read(str(path))
    except ValueError:  # Rockpool's own export: batch dimension in the Input/Output types
        graph = nir.read(str(path), type_check=False)
        for name, node in list(graph.nodes.items()):
            if isinstance(node, nir.Input):
                shape = np.asarray(node.input_type["input"]).reshape(-1)[-1:]
                graph.nodes[name] = nir.Input(input_type=shape)
            elif isinstance(node, nir.Output):
                shape = np.asarray(node.output_type["output"]).reshape(-1)[-1:]
                graph.nodes[name] = nir.Output(output_type=shape)
        return graph


def prepare(path, x, chunk=None):
    import torch
    from rockpool.nn.modules import LIFNeuronTorch, LIFTorch, from_nir

    net = from_nir(_read(path))
    attributes = _stored_attributes(path)
    for m in net.modules():
        if isinstance(m, (LIFTorch, LIFNeuronTorch)):
            if "dt" in attributes:
                m.dt = attributes["dt"]
            if "max_spikes_per_dt" in attributes:
                m.max_spikes_per_dt = torch.tensor(attributes["max_spikes_per_dt"])
    xs = torch.as_tensor(np.ascontiguousarray(np.transpose(x, (1, 0, 2))), dtype=torch.float32)
    stateful = [m for m in net.modules() if m is not net and hasattr(m, "reset_state")]

    def run():
        for m in stateful:
            m.reset_state()
        with torch.no_grad():
            out = net(xs)
        return (out[0] if isinstance(out, tuple) else out).sum()

    return run
