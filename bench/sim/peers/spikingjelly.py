"""Benchmark peer: SpikingJelly 2.0.0 runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with
spikingjelly.activation_based.nir_exchange.import_from_nir (dt from the file's
`nirb.import.dt` when nirb wrote it, else SpikingJelly's default 1e-4) in multi-step mode
("m": a whole (T, B, ...) tensor per call, how SpikingJelly is meant to run fast; layer-wise),
fed `chunk` steps per call with the state passed on. Graphs with a cycle only run in
single-step mode ("s": one call per step), which is then used. The runner returns the output
spikes summed. nirb runs the same file under the profile its metadata names
(`spikingjelly-import` for a file nirb converted to SpikingJelly).
"""

import h5py
import numpy as np

VERSION = "SpikingJelly 2.0.0"
HOW = "multi-step unless the graph has a cycle"
GROUP = "torch"
LAYERWISE = True


def _stored_dt(path):
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            return float(meta["nirb.import.dt"][()])
    return None


def prepare(path, x, chunk=None):
    import nir
    import torch
    from spikingjelly.activation_based.nir_exchange import from_nir

    graph = nir.read(str(path))
    step_mode = "s" if from_nir._has_cycle(graph) else "m"
    module = from_nir.import_from_nir(graph, dt=_stored_dt(path) or 1e-4, step_mode=step_mode)
    xs = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    windows = list(torch.split(xs, chunk or xs.shape[0])) if step_mode == "m" else list(xs)

    def run():
        state, total = None, torch.zeros(())
        with torch.no_grad():
            for xw in windows:
                out, state = module(xw, state)
                total += out.sum()
        return total

    if step_mode == "s":
        run.note = "single-step mode: the graph has a cycle, which multi-step mode cannot run"
        run.chunked = False
    return run


def build_native(in_shape, layers, out_path, x, chunk=None):
    """The CNN from SpikingJelly's own layers in multi-step mode (layer.Conv2d, neuron.IFNode
    with SpikingJelly's hard reset to 0, the only reset its exporter writes, layer.AvgPool2d,
    layer.Flatten, layer.Linear), exported by export_to_nir; the runner runs that native
    network. SpikingJelly has no sum pooling: AvgPool2d with the next weighted layer's weights
    times the kernel area, which is the same function (a power-of-two scale, exact)."""
    import torch
    from spikingjelly.activation_based import functional, layer as sj, neuron
    from spikingjelly.activation_based.nir_exchange.to_nir import export_to_nir

    modules, scale = [], 1.0
    for spec in layers:
        kind = spec["kind"]
        if kind in ("conv", "affine"):
            w = torch.from_numpy(spec["weight"] * np.float32(scale))
            if kind == "conv":
                m = sj.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]), stride=spec["stride"],
                              padding=spec["padding"], step_mode="m")
            else:
                m = sj.Linear(w.shape[1], w.shape[0], step_mode="m")
            with torch.no_grad():
                m.weight.copy_(w)
                m.bias.copy_(torch.from_numpy(spec["bias"]))
            modules.append(m)
            scale = 1.0
        elif kind == "if":
            theta = np.unique(spec["threshold"])
            if theta.size != 1:
                raise ValueError("SpikingJelly's IFNode takes one threshold")
            modules.append(neuron.IFNode(v_threshold=float(theta[0]), v_reset=0.0,
                                         step_mode="m"))
        elif kind == "sumpool":
            modules.append(sj.AvgPool2d(spec["kernel"], spec["stride"], step_mode="m"))
            scale *= spec["kernel"][0] * spec["kernel"][1]
        elif kind == "flatten":
            modules.append(sj.Flatten(step_mode="m"))
        else:
            raise ValueError(f"not built by the harness: {kind} (the MLP converts)")
    net = torch.nn.Sequential(*modules)
    xs = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    with torch.no_grad():
        export_to_nir(net, xs[:1], save_path=str(out_path), dt=1e-4)
    windows = list(torch.split(xs, chunk or xs.shape[0]))

    def run():
        functional.reset_net(net)  # the state carries over between windows of one run
        total = torch.zeros(())
        with torch.no_grad():
            for xw in windows:
                total += net(xw).sum()
        return total

    return run, ("IF with SpikingJelly's hard reset to 0; sum pooling as AvgPool2d with the "
                 "next layer's weights x kernel area")
