"""Runners shared by several bench/sim/peers files. peer_worker.py imports this module before
it loads the peers (which cannot import siblings by name: peers/spyx.py would shadow spyx)."""

import numpy as np


def stepped_torch(module, x):
    """A runner that steps a torch module called as module(x_t, state) -> (out, state) (a
    nirtorch graph from snnTorch's or Norse's importer) through the spikes x (T, B, *in) from
    the initial state, one call per step, and returns the output spikes summed."""
    import torch

    steps = list(torch.as_tensor(np.asarray(x), dtype=torch.float32))

    def run():
        state, total = None, torch.zeros(())
        with torch.no_grad():
            for xt in steps:
                out, state = module(xt, state)
                total += out.sum()
        return total

    return run
