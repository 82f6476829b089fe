"""The bundled snnTorch example model (examples/models/snntorch_mlp.nir).

    python examples/models/snntorch_mlp.py write [PATH]     # rebuild and export the .nir
    python examples/models/snntorch_mlp.py check OUT.nir    # compare with Norse's import

The model is a seeded 16-32-4 LIF MLP built with snnTorch's defaults (Leaky,
reset_mechanism="subtract", reset_delay=True) and exported with snnTorch's own
export_to_nir. `check` rebuilds the same model, runs it natively in snnTorch and runs the
converted file through Norse's own importer (norse.torch.from_nir with the keyword
arguments nirbridge stored in the file) on the same random spikes, and prints how many
output spikes agree.
"""

import pathlib
import sys
import warnings

import numpy as np
import torch

from seeded import seeded_linear, write_quietly

HERE = pathlib.Path(__file__).resolve().parent
STEPS, BATCH = 300, 4


def build():
    import snntorch as snn

    g = torch.Generator().manual_seed(2024)

    def linear(n_in, n_out, gain):
        return seeded_linear(g, n_in, n_out, gain)

    def leaky(n, theta):
        beta = 0.8 + 0.15 * torch.rand((n,), generator=g)
        return snn.Leaky(beta=beta, threshold=torch.full((n,), theta), init_hidden=True)

    return torch.nn.Sequential(linear(16, 32, 0.8), leaky(32, 1.0), linear(32, 4, 1.0),
                               leaky(4, 0.8))


def write(path):
    from snntorch.export_nir import export_to_nir

    write_quietly(path, lambda: export_to_nir(build(), torch.zeros(1, 16), ignore_dims=[0]))


def check(converted):
    import h5py
    import nir
    from norse.torch.functional import reset
    from norse.torch.utils.import_nir import from_nir

    with h5py.File(converted, "r") as f:
        meta = {k: v[()] for k, v in f["node/metadata"].items()}
    dt = float(meta["nirb.import.dt"])
    method = meta["nirb.import.reset_method"]
    method = method.decode() if isinstance(method, bytes) else method
    x = torch.as_tensor((np.random.default_rng(1).random((STEPS, BATCH, 16)) < 0.2)
                        .astype(np.float32))
    model = build()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = torch.stack([model(x[t]) for t in range(STEPS)])
        norse_model = from_nir(nir.read(str(converted)), dt=dt, ignore_warnings=True,
                               reset_method=getattr(reset, f"reset_{method}"))
        state, outs = None, []
        for t in range(STEPS):
            out, state = norse_model(x[t], state)
            outs.append(out)
        got = torch.stack(outs)
    same = int((ref == got).sum())
    print(f"real frameworks: snnTorch (native) vs Norse (from_nir(dt={dt}, "
          f"reset_method=reset_{method})): {same}/{ref.numel()} output spike slots agree, "
          f"{int(ref.sum())} vs {int(got.sum())} spikes")
    return 0 if same == ref.numel() else 1


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "write":
        write(pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "snntorch_mlp.nir")
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    else:
        print(__doc__)
        sys.exit(2)
