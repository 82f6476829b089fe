"""Benchmark peer: Sinabs 3.1.3 runs a .nir file with its own importer (bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with sinabs.from_nir(graph, num_timesteps=chunk) and
returns a runner that resets the states and runs the (T, B, *in) spikes as (B*chunk, *in)
calls, the way Sinabs' Squeeze layers are meant to be driven (layer-wise: each layer sees a
whole chunk of steps at once; the state carries over between chunks). The runner returns the
output spikes summed. The file should be what `nirb convert --from <fw> --to sinabs` wrote (or
Sinabs' own export), and nirb runs it under the profile its metadata names.
"""

import numpy as np

VERSION = "Sinabs 3.1.3"
HOW = "layer-wise, B*T per call"
GROUP = "torch"
#: needs whole time windows of input at once: O(chunk * B * N) memory
LAYERWISE = True


def prepare(path, x, chunk=None):
    import nir
    import sinabs
    import sinabs.layers as sl
    import torch

    x = np.asarray(x, dtype=np.float32)
    steps, batch = x.shape[:2]
    chunk = chunk or steps
    module = sinabs.from_nir(nir.read(str(path)), num_timesteps=chunk)
    # (T, B, ...) -> per chunk (B, chunk, ...) -> (B*chunk, ...): Squeeze unfolds batch-major.
    chunks = [torch.from_numpy(np.ascontiguousarray(np.swapaxes(x[t:t + chunk], 0, 1))).reshape(
        batch * chunk, *x.shape[2:]) for t in range(0, steps, chunk)]
    stateful = [m for m in module.modules() if isinstance(m, sl.StatefulLayer)]

    def run():
        for layer in stateful:
            layer.reset_states()
        total = torch.zeros(())
        with torch.no_grad():
            for xc in chunks:
                out = module(xc)
                total += (out[0] if isinstance(out, tuple) else out).sum()
        return total

    return run
