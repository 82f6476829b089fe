"""The bundled Rockpool example model (examples/models/rockpool_mlp.nir), input of the bundled
pipelines configs/rockpool-to-*.yaml.

    python examples/models/rockpool_mlp.py [PATH]

A seeded 16-32-4 MLP of Rockpool 3.1.0 LIFTorch layers (dt 1e-3, several spikes per step,
subtract) exported with Rockpool's own rockpool.nn.modules.to_nir and written as it is: its
Input/Output types keep the batch dimension ((1, 16), (1, 1, 4)), so nir.read rejects the
file; nirb reads it and repairs both types with a warning each.
"""

import pathlib
import sys

import torch

from seeded import write_quietly

HERE = pathlib.Path(__file__).resolve().parent


def build():
    from rockpool.nn.combinators import Sequential
    from rockpool.nn.modules import LIFTorch, LinearTorch

    g = torch.Generator().manual_seed(2025)

    def linear(n_in, n_out, gain):
        w = (torch.rand((n_in, n_out), generator=g) * 1.5 - 0.5) * gain
        return LinearTorch((n_in, n_out), weight=w, has_bias=False)

    def lif(n, theta):
        return LIFTorch(n, tau_mem=0.01 + 0.02 * torch.rand((n,), generator=g),
                        tau_syn=0.003 + 0.005 * torch.rand((n,), generator=g),
                        threshold=torch.full((n,), theta))

    return Sequential(linear(16, 32, 0.25), lif(32, 1.0), linear(32, 4, 0.12), lif(4, 0.8))


if __name__ == "__main__":
    from rockpool.nn.modules import to_nir

    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "rockpool_mlp.nir"
    write_quietly(path, lambda: to_nir(build(), torch.zeros(1, 16)))
