"""Benchmark peer: Norse 1.1.0 runs a .nir file with its own importer (bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with norse.torch.utils.import_nir.from_nir (dt and
reset_method from the file's `nirb.import.*` metadata, written by `nirb convert --to norse`,
else Norse's defaults) and returns a runner that steps the module through the spikes
x (T, B, *in) from the initial state, module(x_t, state) -> (out, state), one call per step
(Norse's cells are online).
"""

import h5py

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
    from norse.torch.utils.import_nir import from_nir
    from peer_runners import stepped_torch

    return stepped_torch(from_nir(nir.read(str(path)), ignore_warnings=True,
                                  **_import_kwargs(path)), x)


def build_native(in_shape, layers, out_path, x, chunk=None):
    """Called when nirb refuses the conversion (the CNN: IAFCell cannot subtract). Norse's own
    exporter cannot write the CNN either, so there is no file nirb could run."""
    kinds = sorted({layer["kind"] for layer in layers} - {"affine", "conv", "lif", "if"})
    raise NotImplementedError(
        f"cannot express this model through its own exporter: to_nir has no {', '.join(kinds)} "
        "(it writes Conv2d, Linear and LIF/LIFBox/LIBox/IAF cells only)")
