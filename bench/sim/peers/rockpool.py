"""Benchmark peer: Rockpool 3.1.0 (torch backend) runs a .nir file with its own importer.

run(path, spikes) loads `path` with rockpool.nn.modules.from_nir, sets the attributes nirb
stored for it (nirb.import.dt, nirb.import.max_spikes_per_dt: written by
`nirb convert --to rockpool`), and runs the spike array `spikes` of shape (T, B, N) in one
call (Rockpool takes the whole (B, T, N) sequence at once). Returns (seconds of the run,
output spike count summed over steps, batch and neurons). Files Rockpool itself exported
carry a batch dimension in their Input/Output types that nir.read rejects; they are
repaired here first (Input (N,), Output (M,)).
"""

import time

import h5py
import numpy as np

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
        graph = nir.read(str(path), type_check=False) if "type_check" in \
            nir.read.__code__.co_varnames else None
        if graph is None:
            raise
        for name, node in list(graph.nodes.items()):
            if isinstance(node, nir.Input):
                shape = np.asarray(node.input_type["input"]).reshape(-1)[-1:]
                graph.nodes[name] = nir.Input(input_type=shape)
            elif isinstance(node, nir.Output):
                shape = np.asarray(node.output_type["output"]).reshape(-1)[-1:]
                graph.nodes[name] = nir.Output(output_type=shape)
        return graph


def run(path, spikes):
    import torch
    from rockpool.nn.modules import LIFNeuronTorch, LIFTorch, from_nir

    net = from_nir(_read(path))
    attributes = _stored_attributes(path)
    for m in net.modules():
        if isinstance(m, (LIFTorch, LIFNeuronTorch)):
            for key in ("dt", "max_spikes_per_dt"):
                if key in attributes:
                    setattr(m, key, attributes[key])
    x = torch.as_tensor(np.ascontiguousarray(np.transpose(spikes, (1, 0, 2))),
                        dtype=torch.float32)
    with torch.no_grad():
        start = time.perf_counter()
        out = net(x)
        seconds = time.perf_counter() - start
    out = out[0] if isinstance(out, tuple) else out
    return seconds, float(out.sum())
