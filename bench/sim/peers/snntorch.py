"""Benchmark peer: snnTorch 1.0.0 runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with snntorch.import_nir.import_from_nir (a nirtorch graph
module called as module(x_t, state) -> (out, state)) and returns a runner that steps it
through the spikes x (T, B, *in) from the initial state, one call per step (snnTorch is
online). nirb runs the same file under the profile its metadata names (for the MLP: snnTorch's
own export after `nirb convert --from snntorch --to snntorch`, the snntorch profile).
"""

import numpy as np

VERSION = "snnTorch 1.0.0"
HOW = "per step"
GROUP = "torch"


def prepare(path, x, chunk=None):
    import nir
    from peer_runners import stepped_torch
    from snntorch.import_nir import import_from_nir

    return stepped_torch(import_from_nir(nir.read(str(path))), x)


def build_native(in_shape, layers, out_path, x, chunk=None):
    """The MLP as snnTorch users write it: nn.Sequential of Linear and Leaky(beta, threshold,
    init_hidden=True) with snnTorch's defaults (subtract reset, reset_delay=True), exported by
    export_to_nir; the runner steps the native module, one call per step."""
    import nir
    import snntorch as snn
    import torch
    from snntorch import utils
    from snntorch.export_nir import export_to_nir

    modules = []
    for layer in layers:
        if layer["kind"] == "affine":
            lin = torch.nn.Linear(layer["weight"].shape[1], layer["weight"].shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(layer["weight"]))
                lin.bias.copy_(torch.from_numpy(layer["bias"]))
            modules.append(lin)
        elif layer["kind"] == "lif":
            modules.append(snn.Leaky(beta=torch.from_numpy(layer["beta"]),
                                     threshold=torch.from_numpy(layer["threshold"]),
                                     init_hidden=True))
        else:
            raise NotImplementedError(
                "cannot express this model through its own exporter: an IF is Leaky(beta=1), "
                "which export_to_nir writes as tau = r = inf (dt / (1 - beta)), and it has no "
                "sum pooling")
    module = torch.nn.Sequential(*modules)
    nir.write(str(out_path), export_to_nir(module, torch.zeros(1, *in_shape), ignore_dims=[0]))
    steps = list(torch.as_tensor(np.asarray(x), dtype=torch.float32))

    def run():
        utils.reset(module)
        total = torch.zeros(())
        with torch.no_grad():
            for xt in steps:
                total += module(xt).sum()
        return total

    return run, None
