"""Spyx 1.0.0 (JAX, flax nnx) in the interop suite (tests/interop/harness finds this module):
models built with Spyx's own layers, its own exporter (spyx.nir.to_nir) and importer
(spyx.nir.from_nir, which builds AND runs the model on time-major input). The harness
documents the interface; Spyx is not torch, so this module runs its models itself
(run_native / run_imported return the harness's Trace).

Inputs are given channels-first like every other framework's, (T, B, C, H, W), and
transposed to Spyx's channels-last here; traces are transposed back, so layers compare
neuron by neuron with the other frameworks and the simulator.
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402

from harness.models import Built, seeded, uniform  # noqa: E402
from harness.run import LayerTrace, Trace  # noqa: E402

FRAMEWORK = "spyx"
VERSION = "spyx 1.0.0"
SOURCES = {"spyx": ({}, [], "Spyx defaults (to_nir/from_nir dt = 1)")}
# Spyx's layers have no reset or timing options (its CuBaLIF subtracting before the decay is
# the profile's type_overrides).
PROFILE_VARIANTS = []
#: families whose native runs the simulator cannot reproduce under the plain spyx profile on
#: Spyx's own export, and why (tests/interop/test_sim_vs_frameworks.py: strict xfail)
SIMULATOR_GAPS = {
    "recurrent": "Spyx's export wires the layer input through w_rec (input -> w_rec <-> lif), "
                 "which NIR reads as W (x + S), and its cells feed back the spike of the same "
                 "step; `nirb convert --from spyx` rewrites both exactly (test_spyx.py runs "
                 "the converted graph)",
}
NATIVE_STATEFUL = True

#: the dt Spyx's to_nir and from_nir default to
SPYX_DT = 1.0


def _nnx():
    from flax import nnx

    return nnx


def _array(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t, dtype=np.float32)


def _linear(g, n_in, n_out, gain, rngs):
    """nnx.Linear with Uniform(-1, 1) * gain weights and Uniform(-0.1, 0.3) * gain bias."""
    import jax.numpy as jnp

    lin = _nnx().Linear(n_in, n_out, rngs=rngs)
    lin.kernel[...] = jnp.asarray(_array(uniform(g, (n_in, n_out), -1.0, 1.0) * gain))
    lin.bias[...] = jnp.asarray(_array(uniform(g, (n_out,), -0.1, 0.3) * gain))
    return lin


def _beta(layer, g, shape, lo, hi, name="beta"):
    import jax.numpy as jnp

    getattr(layer, name)[...] = jnp.asarray(_array(uniform(g, shape, lo, hi)))
    return layer


def build(family, seed, options) -> Built:
    """No options: Spyx's neurons have no reset or timing variants."""
    import jax.numpy as jnp
    import spyx.nn as snn

    if options:
        raise ValueError(f"Spyx models take no build options: {options}")
    g = seeded(seed)
    rngs = _nnx().Rngs(seed)

    def lif(shape, theta=1.0):
        return _beta(snn.LIF(shape, threshold=theta, rngs=rngs), g, shape, 0.8, 0.95)

    def cuba(n, theta=1.0):
        layer = snn.CuBaLIF((n,), threshold=theta, rngs=rngs)
        return _beta(_beta(layer, g, (n,), 0.5, 0.8, "alpha"), g, (n,), 0.8, 0.95)

    if family == "lif_mlp":
        layers = [_linear(g, 8, 16, 1.2, rngs), lif((16,)), _linear(g, 16, 4, 1.0, rngs),
                  lif((4,), 0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [_linear(g, 8, 12, 0.5, rngs), cuba(12), _linear(g, 12, 4, 0.4, rngs),
                  cuba(4, 0.8)]
        in_shape = (8,)
    elif family == "recurrent":  # an RLIF, an RCuBaLIF and an RIF layer
        rlif = _beta(snn.RLIF((12,), threshold=1.0, rngs=rngs), g, (12,), 0.8, 0.95)
        rcuba = snn.RCuBaLIF((10,), threshold=0.8, rngs=rngs)
        rcuba = _beta(_beta(rcuba, g, (10,), 0.5, 0.8, "alpha"), g, (10,), 0.8, 0.95)
        rif = snn.RIF((8,), threshold=1.0, rngs=rngs)
        for layer, n, gain in ((rlif, 12, 0.4), (rcuba, 10, 0.3), (rif, 8, 0.4)):
            layer.recurrent_w[...] = jnp.asarray(_array(uniform(g, (n, n), -1.0, 1.0) * gain))
        layers = [_linear(g, 8, 12, 1.0, rngs), rlif, _linear(g, 12, 10, 0.5, rngs), rcuba,
                  _linear(g, 10, 8, 0.8, rngs), rif, _linear(g, 8, 4, 1.0, rngs), lif((4,), 0.8)]
        in_shape = (8,)
    elif family == "conv":
        conv = _nnx().Conv(2, 4, (3, 3), padding="SAME", rngs=rngs)
        conv.kernel[...] = jnp.asarray(_array(uniform(g, (3, 3, 2, 4), -1.0, 1.0) * 0.6))
        conv.bias[...] = jnp.asarray(_array(uniform(g, (4,), -0.1, 0.3) * 0.6))
        layers = [conv, lif((6, 6, 4)), snn.SumPool((2, 2), (2, 2), "VALID"), snn.Flatten(),
                  _linear(g, 36, 4, 0.8, rngs), lif((4,), 0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("spyx", family, snn.Sequential(*layers), in_shape, {})


def export(built, export_dt):
    """to_nir(model, {"input": in}, {"output": out}) at Spyx's default dt = 1 (export_dt is
    not used: from_nir's default dt is 1 too, and a file exported at another dt must be
    imported with that dt)."""
    from spyx.nir import to_nir

    out = built.module.layers[-1].hidden_shape
    return to_nir(built.module, {"input": np.array(built.in_shape)},
                  {"output": np.array(out)}, dt=SPYX_DT)


class Imported:
    """What load returns: from_nir builds and runs in one call, so the graph and the keyword
    arguments are kept until run_imported has the input."""

    def __init__(self, graph, kwargs):
        self.graph = graph
        self.dt = float(kwargs.get("dt", SPYX_DT))


def load(graph, kwargs):
    """The graph and from_nir's keyword arguments (dt, default 1); run_imported calls
    from_nir(graph, x, dt=dt)."""
    return Imported(graph, kwargs)


def _channels_last(x):
    x = np.asarray(x, dtype=np.float32)
    return np.moveaxis(x, 2, -1) if x.ndim == 5 else x


def _channels_first(a):
    a = np.asarray(a)
    return np.moveaxis(a, -1, 2) if a.ndim == 5 else a


def _is_neuron(layer):
    return hasattr(layer, "initial_state") and hasattr(layer, "threshold")


def _recorded_run(model, x):
    """Run `model` (a spyx Sequential) over time-major x exactly as Sequential.__call__ and
    spyx.nn.run do (jax.lax.scan), keeping each neuron layer's spikes and the membrane it
    compared with its threshold (the state it was called with)."""
    import jax
    import jax.numpy as jnp

    layers = list(model.layers)

    def step(state, x_t):
        new_state, seen = [], []
        for layer, s in zip(layers, state, strict=True):
            if s is None:
                x_t = layer(x_t)
                new_state.append(None)
                continue
            out, s_new = layer(x_t, s)
            if _is_neuron(layer):
                v = jnp.split(s, 2, -1)[0] if s.shape[-1:] != out.shape[-1:] else s
                seen.append((out, v - layer.threshold, jnp.broadcast_to(
                    jnp.asarray(layer.threshold, jnp.float32), v.shape)))
            x_t = out
            new_state.append(s_new)
        return new_state, (x_t, seen)

    xs = jnp.asarray(_channels_last(x))
    _, (returned, seen) = jax.lax.scan(step, model.initial_state(xs.shape[1]), xs)
    names = [f"{i}.{type(layer).__name__}" for i, layer in enumerate(layers) if _is_neuron(layer)]
    traces = []
    for name, (spikes, diff, theta) in zip(names, seen):
        margin = np.asarray(diff, np.float64) / np.abs(np.asarray(theta, np.float64))
        traces.append(LayerTrace(name, _channels_first(np.asarray(spikes) > 0),
                                 _channels_first(margin)))
    return Trace(traces, returned=_channels_first(np.asarray(returned)))


def run_native(built, x) -> Trace:
    """The model as built, on channels-first spikes x (T, B, *in)."""
    return _recorded_run(built.module, x)


def run_imported(imported, x) -> Trace:
    """from_nir(graph, x, dt=...) on channels-last time-major x, then the same recorded run
    of the model it built; its own outputs must equal the recorded run's."""
    from spyx.nir import from_nir

    model, outputs = from_nir(imported.graph, _channels_last(x), dt=imported.dt)
    trace = _recorded_run(model, x)
    if not np.array_equal(_channels_first(np.asarray(outputs)), trace.returned):
        raise AssertionError("from_nir's own outputs differ from the recorded run")
    return trace


def record(module, rec):
    raise NotImplementedError("Spyx runs through run_native/run_imported")
