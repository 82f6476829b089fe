"""The bundled Sinabs example model (examples/models/sinabs_mlp.nir), input of the bundled
pipelines configs/sinabs-to-*.yaml.

    python examples/models/sinabs_mlp.py [PATH]

A seeded 16-32-4 MLP of Sinabs LIFSqueeze layers (tau 5..20 time steps, norm_input=True,
multi-spike, subtract) exported with Sinabs' own sinabs.to_nir. Per-neuron tensors: layers
built with a scalar tau or threshold give files nir.read rejects (nirb repairs them).
"""

import pathlib
import sys

import torch

from seeded import seeded_linear, write_quietly

HERE = pathlib.Path(__file__).resolve().parent


def build():
    import sinabs.layers as sl

    g = torch.Generator().manual_seed(2025)

    def linear(n_in, n_out, gain):
        return seeded_linear(g, n_in, n_out, gain)

    def lif(n, theta):
        return sl.LIFSqueeze(tau_mem=5 + 15 * torch.rand((n,), generator=g),
                             spike_threshold=torch.full((n,), theta), num_timesteps=1)

    return torch.nn.Sequential(linear(16, 32, 8.0), lif(32, 1.0), linear(32, 4, 8.0),
                               lif(4, 0.8))


if __name__ == "__main__":
    import sinabs

    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "sinabs_mlp.nir"
    write_quietly(path, lambda: sinabs.to_nir(build(), torch.zeros(1, 16)))
