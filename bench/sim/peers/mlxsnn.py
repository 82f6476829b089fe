"""Benchmark peer: mlx-snn 0.5.0 (MLX on CPU) runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) loads `path` with mlxsnn.import_from_nir (dt from the file's
`nirb.import.dt`, written by `nirb convert --to mlxsnn`, else mlx-snn's default 1e-4); the
runner steps it through the spikes x (T, B, *in), evaluating every step (MLX is lazy).
build_native builds the model with mlx-snn's own layers and exporter instead (nirb refuses
converting snnTorch's late reset to mlx-snn).
"""

import h5py
import numpy as np


VERSION = "mlx-snn 0.5.0"
HOW = "MLX CPU, per step"
GROUP = "mlx"
#: mlx-snn's export_to_nir and import_from_nir default dt
DT = 1e-4


def _import_dt(path, default=DT):
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is not None and "nirb.import.dt" in meta:
            return float(meta["nirb.import.dt"][()])
    return default


def prepare(path, x, chunk=None):
    import mlx.core as mx
    import mlxsnn
    import nir

    model = mlxsnn.import_from_nir(nir.read(str(path)), dt=_import_dt(path))
    xs = np.asarray(x, dtype=np.float32).reshape(x.shape[0], x.shape[1], -1)
    steps = [mx.array(xs[t]) for t in range(xs.shape[0])]
    mx.eval(steps)

    def run():
        states = model.init_states(xs.shape[1])
        total = mx.array(0.0)
        for xt in steps:
            out, states = model(xt, states)
            total = total + out.sum()
            mx.eval(total, states)  # MLX is lazy: every step is computed in its step
        return total.item()

    return run


def build_native(in_shape, layers, out_path, x, chunk=None):
    """Linear + Leaky layers with the source's weights, exported by mlxsnn.export_to_nir, and
    run as mlx-snn imports its own export. mlx-snn's exporter crashes on a per-neuron beta
    (measured), so each Leaky takes its layer's mean beta; mlx-snn has no Conv2d."""
    import mlx.core as mx
    import mlx.nn as nn
    import mlxsnn
    import nir

    built, note = [], None
    for i, layer in enumerate(layers):
        if layer["kind"] == "affine":
            lin = nn.Linear(layer["weight"].shape[1], layer["weight"].shape[0])
            lin.weight, lin.bias = mx.array(layer["weight"]), mx.array(layer["bias"])
            built.append((f"fc{i}", lin))
        elif layer["kind"] == "lif":
            if np.ptp(layer["threshold"]) != 0:
                raise ValueError("mlx-snn takes one threshold per layer")
            beta = float(np.mean(layer["beta"]))
            if np.ptp(layer["beta"]) != 0:
                note = "beta = its layer's mean (mlx-snn's exporter crashes on per-neuron beta)"
            built.append((f"lif{i}", mlxsnn.Leaky(beta=beta,
                                                  threshold=float(layer["threshold"][0]))))
        else:
            raise NotImplementedError(
                f"cannot express {layer['kind']}: its exporter and importer have "
                "Linear/Affine, LIF, IF and CubaLIF only")
    nir.write(str(out_path), mlxsnn.export_to_nir(built, input_shape=in_shape, dt=DT))
    return prepare(out_path, x, chunk), note
