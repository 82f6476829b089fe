"""The bundled Norse example model (examples/models/norse_mlp.nir), input of the bundled
pipelines configs/norse-to-*.yaml.

    python examples/models/norse_mlp.py [PATH]

A seeded 16-32-4 MLP of Norse LIFBoxCells (dt 1e-3, reset to v_reset) exported with Norse's
own norse.torch.to_nir (which writes tau = 1e-3 / tau_mem_inv).
"""

import pathlib
import sys

import torch

from seeded import seeded_linear, write_quietly

HERE = pathlib.Path(__file__).resolve().parent


def build():
    import norse.torch as norse

    g = torch.Generator().manual_seed(2025)

    def linear(n_in, n_out, gain):
        return seeded_linear(g, n_in, n_out, gain)

    def lif(n, theta):
        p = norse.LIFBoxParameters(tau_mem_inv=50 + 100 * torch.rand((n,), generator=g),
                                   v_th=torch.full((n,), theta), v_leak=torch.zeros(n))
        return norse.LIFBoxCell(p)

    return norse.SequentialState(linear(16, 32, 8.0), lif(32, 1.0), linear(32, 4, 8.0),
                                 lif(4, 0.8))


if __name__ == "__main__":
    from norse.torch.utils.export_nir import to_nir

    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "norse_mlp.nir"
    write_quietly(path, lambda: to_nir(build(), torch.zeros(16)))
