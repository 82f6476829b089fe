"""Benchmark peer: Sinabs 3.1.3 runs a .nir file with its own importer.

run(path, spikes) loads `path` with sinabs.from_nir(graph, num_timesteps=T) and runs the whole
(T, B, *in) spike array as one (B*T, *in) call, the way Sinabs' Squeeze layers are meant to
be driven; returns (seconds, output spike counts per sample). The file should be what
`nirb convert --from <fw> --to sinabs` (or Sinabs' own to_nir) wrote, and nirb's side runs it
with `nirb simulate --profile sinabs-import` (the file's nirb.profile) for equal spike counts.
The time covers the forward pass only (import excluded), states reset before it.

Not called by run_bench.py yet: the lead runs all peers together on a quiet machine.
"""

import time

import numpy as np


def load(path, steps):
    """The module sinabs.from_nir builds for `path`, for inputs of `steps` time steps."""
    import nir
    import sinabs

    graph = nir.read(str(path))
    return sinabs.from_nir(graph, num_timesteps=steps)


def run(path, spikes):
    """(seconds, output spike counts of shape (B, *out)) for spikes of shape (T, B, *in)."""
    import sinabs.layers as sl
    import torch

    x = np.asarray(spikes, dtype=np.float32)
    steps, batch = x.shape[:2]
    module = load(path, steps)
    for layer in module.modules():
        if isinstance(layer, sl.StatefulLayer):
            layer.reset_states()
    # (T, B, ...) -> (B, T, ...) -> (B*T, ...): Sinabs' Squeeze layers unfold batch-major.
    flat = torch.from_numpy(np.ascontiguousarray(np.swapaxes(x, 0, 1))).reshape(
        batch * steps, *x.shape[2:])
    with torch.no_grad():
        start = time.perf_counter()
        out = module(flat)
        seconds = time.perf_counter() - start
    out = out[0] if isinstance(out, tuple) else out
    counts = out.reshape(batch, steps, *out.shape[1:]).sum(1).numpy()
    return seconds, counts
