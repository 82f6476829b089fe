"""snnTorch 1.0.0 in the interop suite (tests/interop/harness finds this module): models built
with snnTorch's own neurons, its own exporter and importer, and where it compares a membrane
with its threshold. The harness documents the interface."""

import contextlib

import torch

from harness.models import Built, per_channel, scaled_conv, scaled_linear, seeded, uniform

FRAMEWORK = "snntorch"
VERSION = "snntorch 1.0.0"
SOURCES = {
    "snntorch": ({}, [], 'snnTorch defaults (reset_mechanism="subtract", reset_delay=True)'),
    "snntorch-zero": ({"reset_mechanism": "zero"}, ["--from-option", "reset_mechanism=zero"],
                      'reset_mechanism="zero"'),
}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: snntorch`).
PROFILE_VARIANTS = [
    ("lif_mlp", {"reset_mechanism": "zero"}, {"reset": "to_v_reset"}),
    ("cuba_mlp", {"reset_mechanism": "zero"}, {"reset": "zero_with_input"}),
    ("lif_mlp", {"reset_delay": False}, {"spike_timing": "same_step_reset_correction"}),
    ("cuba_mlp", {"reset_delay": False, "reset_mechanism": "zero"},
     {"spike_timing": "same_step_reset_correction", "reset": "zero_with_input"}),
    # RLeaky zero-resets its whole update (input too), Leaky does not: a per-node override.
    ("recurrent", {"reset_mechanism": "zero"},
     {"reset": "to_v_reset", "node_overrides": "{'1.lif': {reset: zero_with_input}}"}),
]
#: a natively built nn.Sequential of snnTorch layers with init_hidden=True takes x only
NATIVE_STATEFUL = False


def build(family, seed, options) -> Built:
    """Options: reset_mechanism ("subtract"|"zero", default "subtract"), reset_delay (default
    True): snnTorch's own defaults."""
    import snntorch as snn

    opts = {"reset_mechanism": "subtract", "reset_delay": True, **options}
    g = seeded(seed)

    def leaky(shape, theta=1.0):
        sample = per_channel if len(shape) == 3 else uniform
        return snn.Leaky(beta=sample(g, shape, 0.8, 0.95), threshold=torch.full(shape, theta),
                         init_hidden=True, reset_mechanism=opts["reset_mechanism"],
                         reset_delay=opts["reset_delay"])

    def synaptic(n, theta=1.0):
        return snn.Synaptic(alpha=uniform(g, (n,), 0.5, 0.8), beta=uniform(g, (n,), 0.8, 0.95),
                            threshold=torch.full((n,), theta), init_hidden=True,
                            reset_mechanism=opts["reset_mechanism"],
                            reset_delay=opts["reset_delay"])

    if family == "lif_mlp":
        layers = [scaled_linear(g, 8, 16, 1.2), leaky((16,)),
                  scaled_linear(g, 16, 4, 1.0), leaky((4,), 0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [scaled_linear(g, 8, 12, 0.5), synaptic(12),
                  scaled_linear(g, 12, 4, 0.4), synaptic(4, 0.8)]
        in_shape = (8,)
    elif family == "recurrent":
        n = 12
        rec = snn.RLeaky(beta=uniform(g, (n,), 0.8, 0.95), threshold=torch.ones(n),
                         linear_features=n, init_hidden=True,
                         reset_mechanism=opts["reset_mechanism"], reset_delay=opts["reset_delay"])
        with torch.no_grad():
            rec.recurrent.weight.copy_(uniform(g, (n, n), -1.0, 1.0) * 0.4)
            rec.recurrent.bias.copy_(uniform(g, (n,), -0.05, 0.1))
        layers = [scaled_linear(g, 8, n, 1.0), rec, scaled_linear(g, n, 4, 1.0), leaky((4,), 0.8)]
        in_shape = (8,)
    elif family == "conv":
        layers = [scaled_conv(g, 2, 4, 0.6), leaky((4, 6, 6)), torch.nn.AvgPool2d(2),
                  torch.nn.Flatten(), scaled_linear(g, 36, 4, 1.5), leaky((4,), 0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("snntorch", family, torch.nn.Sequential(*layers), in_shape, opts)


def export(built, export_dt):
    """export_to_nir(module, zeros(1, *in), ignore_dims=[0]) (without ignore_dims the Input
    keeps the batch dim and the export fails nir's type inference); export_dt is not used:
    snnTorch hard-codes dt = 1e-4."""
    from snntorch.export_nir import export_to_nir

    return export_to_nir(built.module, torch.zeros(1, *built.in_shape), ignore_dims=[0])


def load(graph, kwargs):
    """import_from_nir(graph): it takes no keyword arguments."""
    from snntorch.import_nir import import_from_nir

    return import_from_nir(graph)


@contextlib.contextmanager
def record(module, rec):
    """Every SpikingNeuron's fire(mem): mem - threshold, the threshold and the spikes."""
    import snntorch as snn

    patched = []
    for name, layer in module.named_modules():
        if not isinstance(layer, snn.SpikingNeuron):
            continue
        layer.reset_mem()
        original = layer.fire

        def fire(mem, _orig=original, _name=name or "neuron", _layer=layer):
            spk = _orig(mem)
            theta = torch.broadcast_to(_layer.threshold, mem.shape)
            rec.add(_name, mem - theta, theta, spk)
            return spk

        layer.fire = fire
        patched.append(layer)
    try:
        yield
    finally:
        for layer in patched:
            del layer.fire
