"""mlx-snn 0.5.0 in the interop suite (tests/interop/harness finds this module): models built
with mlx-snn's own neurons and MLX layers, its own exporter and importer, run step by step on
MLX (CPU), recording the value mlx-snn compares with its threshold. The harness documents the
interface; mlx-snn models are not torch modules, so this module provides run()."""

import contextlib

import numpy as np

from harness.models import Built, NotExportable, scaled_linear, seeded, uniform
from harness.run import LayerTrace, Trace

FRAMEWORK = "mlxsnn"
VERSION = "mlx-snn 0.5.0"
SOURCES = {
    "mlxsnn": ({}, [], 'mlx-snn defaults (reset_mechanism="subtract", dt 1e-4)'),
    "mlxsnn-zero": ({"reset_mechanism": "zero"}, ["--from-option", "reset_mechanism=zero"],
                    'mlx-snn reset_mechanism="zero"'),
}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: mlxsnn`).
PROFILE_VARIANTS = [
    ("lif_mlp", {"reset_mechanism": "zero"}, {"reset": "to_v_reset"}),
    ("cuba_mlp", {"reset_mechanism": "zero"}, {"reset": "to_v_reset"}),
]
#: families whose export is the same file another framework writes: a LIF-only mlx-snn export
#: is exactly snnTorch's for a scalar beta (r = tau/1e-4, v_leak = v_reset = 0); `nirb detect`
#: scores both 1 (tests/interop/test_detect.py)
SAME_FILE_AS = {"lif_mlp": ("snntorch",)}
#: the dt export_to_nir and import_from_nir default to (the harness's export_dt is not used)
DT = 1e-4


def _linear(g, n_in, n_out, gain):
    """An mlx.nn.Linear with scaled_linear's seeded weights and bias."""
    import mlx.core as mx
    import mlx.nn as nn

    src = scaled_linear(g, n_in, n_out, gain)
    lin = nn.Linear(n_in, n_out)
    lin.weight = mx.array(src.weight.detach().numpy())
    lin.bias = mx.array(src.bias.detach().numpy())
    return lin


def build(family, seed, options) -> Built:
    """Options: reset_mechanism ("subtract"|"zero"|"none", default "subtract"). One beta and
    threshold per layer: export_to_nir crashes on a per-neuron beta (measured)."""
    import mlxsnn

    opts = {"reset_mechanism": "subtract", **options}
    g = seeded(seed)

    def scalar(lo, hi):
        return float(uniform(g, (1,), lo, hi)[0])

    if family == "lif_mlp":
        layers = [("fc1", _linear(g, 8, 16, 1.2)),
                  ("lif1", mlxsnn.Leaky(beta=scalar(0.8, 0.95), threshold=1.0,
                                        reset_mechanism=opts["reset_mechanism"])),
                  ("fc2", _linear(g, 16, 4, 1.0)),
                  ("lif2", mlxsnn.Leaky(beta=scalar(0.8, 0.95), threshold=0.8,
                                        reset_mechanism=opts["reset_mechanism"]))]
    elif family == "cuba_mlp":
        layers = [("fc1", _linear(g, 8, 12, 0.5)),
                  ("syn1", mlxsnn.Synaptic(alpha=scalar(0.5, 0.8), beta=scalar(0.8, 0.95),
                                           threshold=1.0,
                                           reset_mechanism=opts["reset_mechanism"])),
                  ("fc2", _linear(g, 12, 4, 0.4)),
                  ("syn2", mlxsnn.Synaptic(alpha=scalar(0.5, 0.8), beta=scalar(0.8, 0.95),
                                           threshold=0.8,
                                           reset_mechanism=opts["reset_mechanism"]))]
    elif family in ("recurrent", "conv"):
        import mlx.nn as nn

        layers = ([("fc1", _linear(g, 8, 12, 1.0)), ("rlif1", mlxsnn.RLeaky(beta=0.9))]
                  if family == "recurrent" else
                  [("conv1", nn.Conv2d(2, 4, 3, padding=1)), ("lif1", mlxsnn.Leaky(beta=0.9))])
        try:  # the real exporter's answer, not a claim
            mlxsnn.export_to_nir(layers, input_shape=(8,), dt=DT)
        except TypeError as e:
            raise NotExportable(f"mlx-snn 0.5.0's export_to_nir: TypeError: {e}") from e
        raise AssertionError(f"mlx-snn now exports the {family} family: extend this module")
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("mlxsnn", family, layers, (8,), opts)


def export(built, export_dt):
    """export_to_nir(layers, input_shape, dt=1e-4): mlx-snn's default dt (export_dt unused)."""
    import mlxsnn

    return mlxsnn.export_to_nir(built.module, input_shape=built.in_shape, dt=DT)


def load(graph, kwargs):
    """import_from_nir(graph, dt=...) with the stored dt, else mlx-snn's default 1e-4."""
    import mlxsnn

    return mlxsnn.import_from_nir(graph, dt=float(kwargs.get("dt", DT)))


@contextlib.contextmanager
def _record_fire(calls):
    """Every SpikingNeuron.fire(mem) call: (neuron, mem, spikes), in call order."""
    from mlxsnn.neurons.base import SpikingNeuron

    original = SpikingNeuron.fire

    def fire(self, mem):
        spk = original(self, mem)
        calls.append((self, mem, spk))
        return spk

    SpikingNeuron.fire = fire
    try:
        yield
    finally:
        SpikingNeuron.fire = original


def run(model, x, native):
    """Run a built layer list (native) or an imported NIRSequential on x (T, B, *in); the
    margin is (mem - theta) / |theta| of the float32 mem and threshold mlx-snn compares."""
    import mlx.core as mx
    from mlxsnn.neurons.base import SpikingNeuron

    xs = np.asarray(x, dtype=np.float32)
    batch = xs.shape[1]
    if native:
        layers = list(model)
        states = {name: layer.init_state(batch, layers[i - 1][1].weight.shape[0])
                  for i, (name, layer) in enumerate(layers) if isinstance(layer, SpikingNeuron)}
    else:
        layers = [(name, getattr(model, name)) for name in model.layer_names]
        states = model.init_states(batch)
    names = {id(layer): name for name, layer in layers}
    per_layer, returned = {}, []
    for t in range(xs.shape[0]):
        calls = []
        with _record_fire(calls):
            if native:
                out = mx.array(xs[t])
                for name, layer in layers:
                    if isinstance(layer, SpikingNeuron):
                        out, states[name] = layer(out, states[name])
                    else:
                        out = layer(out)
            else:
                out, states = model(mx.array(xs[t]), states)
        returned.append(np.array(out))
        for layer, mem, spk in calls:
            theta = np.float32(layer._get_threshold())
            margin = (np.array(mem, dtype=np.float64) - np.float64(theta)) / abs(np.float64(theta))
            per_layer.setdefault(names[id(layer)], []).append((np.array(spk) > 0, margin))
    traces = [LayerTrace(name, np.stack([s for s, _ in v]), np.stack([m for _, m in v]))
              for name, v in per_layer.items()]
    return Trace(traces, np.stack(returned))
