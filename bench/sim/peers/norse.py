"""Benchmark peer: Norse 1.1.0 runs a .nir file with its own importer (bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with norse.torch.utils.import_nir.from_nir (dt from the
file's `nirb.import.dt` and `nirb.import.reset_method`, written by `nirb convert --to norse`,
else Norse's defaults) and
returns a runner that steps the module through the spikes x (T, B, *in) from the initial
state, module(x_t, state) -> (out, state), one call per step (Norse's cells are online).
"""

import h5py
import numpy as np

VERSION = "Norse 1.1.0"
HOW = "per step"
GROUP = "torch"


def _import_kwargs(path):
    """from_nir's dt and reset_method as `nirb convert --to norse` stored them."""
    from norse.torch.functional import reset

    out = {}
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            out["dt"] = float(meta["nirb.import.dt"][()])
        if meta is not None and "nirb.import.reset_method" in meta:
            value = meta["nirb.import.reset_method"][()]
            value = value.decode() if isinstance(value, bytes) else str(value)
            out["reset_method"] = {"value": reset.reset_value,
                                   "subtract": reset.reset_subtract}[value]
    return out


def prepare(path, x, chunk=None):
    import nir
    import torch
    from norse.torch.utils.import_nir import from_nir

    module = from_nir(nir.read(str(path)), ignore_warnings=True, **_import_kwargs(path))
    steps = list(torch.as_tensor(np.asarray(x), dtype=torch.float32))

    def run():
        state, total = None, torch.zeros(())
        with torch.no_grad():
            for xt in steps:
                out, state = module(xt, state)
                total += out.sum()
        return total

    return run
