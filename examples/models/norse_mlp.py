"""The bundled Norse example model (examples/models/norse_mlp.nir), input of the bundled
pipelines configs/norse-to-*.yaml.

    python examples/models/norse_mlp.py [PATH]

A seeded 16-32-4 MLP of Norse LIFBoxCells (dt 1e-3, reset to v_reset) exported with Norse's
own norse.torch.to_nir (which writes tau = 1e-3 / tau_mem_inv).
"""

import pathlib
import sys
import warnings

import torch

HERE = pathlib.Path(__file__).resolve().parent


def build():
    import norse.torch as norse

    g = torch.Generator().manual_seed(2025)

    def linear(n_in, n_out, gain):
        lin = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            lin.weight.copy_((torch.rand((n_out, n_in), generator=g) * 2 - 1) * gain)
            lin.bias.copy_((torch.rand((n_out,), generator=g) * 0.4 - 0.1) * gain)
        return lin

    def lif(n, theta):
        p = norse.LIFBoxParameters(tau_mem_inv=50 + 100 * torch.rand((n,), generator=g),
                                   v_th=torch.full((n,), theta), v_leak=torch.zeros(n))
        return norse.LIFBoxCell(p)

    return norse.SequentialState(linear(16, 32, 8.0), lif(32, 1.0), linear(32, 4, 8.0),
                                 lif(4, 0.8))


if __name__ == "__main__":
    import nir
    from norse.torch.utils.export_nir import to_nir

    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "norse_mlp.nir"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nir.write(str(path), to_nir(build(), torch.zeros(16)))
    print(f"wrote {path}")
