"""SpikingJelly 2.0.0 in the interop suite (tests/interop/harness finds this module): models
built with SpikingJelly's own neurons (spikingjelly.activation_based), its own exporter and
importer (nir_exchange), and where it compares a membrane with its threshold. The harness
documents the interface."""

import contextlib

import torch

from harness.models import Built, NotExportable, scaled_conv, scaled_linear, seeded, uniform

FRAMEWORK = "spikingjelly"
VERSION = "spikingjelly 2.0.0"
SOURCES = {
    "spikingjelly": ({}, [], "SpikingJelly defaults (decay_input=True, v_reset=0, dt 1e-4)"),
    "spikingjelly-nodecay": ({"decay_input": False, "v_reset": -0.2}, [],
                             "decay_input=False, v_reset=-0.2"),
}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: spikingjelly`). Both are encoded in the exported fields (r = tau/dt for
# decay_input=False, v_leak = v_reset), so the base profile needs no extra key; the second
# variant states decay_input=False the other way (per-step gain one, r not used).
PROFILE_VARIANTS = [
    ("lif_mlp", {"decay_input": False, "v_reset": -0.2}, {}),
    ("conv", {"decay_input": False},
     {"input_gain": "{membrane: one, synapse: ode, integrator: ode}", "use_r": "false"}),
]
#: a natively built nn.Sequential of SpikingJelly nodes keeps its state inside: x only
NATIVE_STATEFUL = False
#: the dt export_to_nir and import_from_nir use by default (SpikingJelly's tau is in steps)
DT = 1e-4


def build(family, seed, options) -> Built:
    """Options: decay_input (LIFNode, default True), v_reset (default 0.0): SpikingJelly's own
    defaults. A SpikingJelly node holds one tau, threshold and v_reset per layer."""
    from spikingjelly.activation_based import layer, neuron

    opts = {"decay_input": True, "v_reset": 0.0, **options}
    g = seeded(seed)

    def lif(theta=1.0):
        tau = float(uniform(g, (), 4.0, 12.0))
        return neuron.LIFNode(tau=tau, decay_input=opts["decay_input"], v_threshold=theta,
                              v_reset=opts["v_reset"])

    def cuba(theta=1.0):
        return neuron.CUBALIFNode(c_decay=float(uniform(g, (), 0.5, 0.8)),
                                  v_decay=float(uniform(g, (), 0.8, 0.95)), v_threshold=theta,
                                  v_reset=opts["v_reset"])

    # decay_input=True divides the input by tau: scale the weights so layers still fire.
    gain = 6.0 if opts["decay_input"] else 1.0
    if family == "lif_mlp":
        layers = [scaled_linear(g, 8, 16, 1.2 * gain), lif(),
                  scaled_linear(g, 16, 4, 1.0 * gain), lif(0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [scaled_linear(g, 8, 12, 0.5), cuba(),
                  scaled_linear(g, 12, 4, 0.4), cuba(0.8)]
        in_shape = (8,)
    elif family == "recurrent":
        raise NotExportable("SpikingJelly 2.0.0's export_to_nir cannot trace recurrent "
                            "containers (LinearRecurrentContainer: TraceError)")
    elif family == "conv":
        layers = [scaled_conv(g, 2, 4, 0.6 * gain), lif(), layer.AvgPool2d(2), layer.Flatten(),
                  scaled_linear(g, 36, 4, 1.5 * gain), lif(0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("spikingjelly", family, torch.nn.Sequential(*layers), in_shape, opts)


def export(built, export_dt):
    """export_to_nir(module, zeros(1, *in), dt=1e-4): SpikingJelly's default dt (its tau is in
    steps, so the harness's export_dt, meant for seconds-based frameworks, is not used)."""
    from spikingjelly.activation_based import functional
    from spikingjelly.activation_based.nir_exchange import export_to_nir

    graph = export_to_nir(built.module, torch.zeros(1, *built.in_shape), dt=DT)
    functional.reset_net(built.module)
    return graph


def load(graph, kwargs):
    """import_from_nir(graph, dt=..., step_mode=...) with the given kwargs (nirb stores both),
    else its defaults (dt 1e-4, step_mode "s", which the harness's step loop needs)."""
    from spikingjelly.activation_based.nir_exchange import import_from_nir

    return import_from_nir(graph, dt=float(kwargs.get("dt", DT)),
                           step_mode=str(kwargs.get("step_mode", "s")))


class _Recording(torch.nn.Module):
    """A node's surrogate function that reports its argument (v - v_threshold) first."""

    def __init__(self, original, name, node, rec):
        super().__init__()
        self.original = original
        # not registered as children: the node owns this module (no cycle in its memories)
        self._about = (name, node, rec)

    def forward(self, x):
        name, node, rec = self._about
        spikes = self.original(x)
        rec.add(name, x, torch.full_like(x, float(node.v_threshold)), spikes)
        return spikes


@contextlib.contextmanager
def record(module, rec):
    """Every BaseNode's surrogate_function(v - v_threshold), the threshold and the spikes; the
    network's state is reset first (a native model keeps it in its nodes)."""
    from spikingjelly.activation_based import functional
    from spikingjelly.activation_based.neuron import BaseNode

    functional.reset_net(module)
    patched = []
    for name, node in module.named_modules():
        if isinstance(node, BaseNode):
            original = node.surrogate_function
            node.surrogate_function = _Recording(original, name or "neuron", node, rec)
            patched.append((node, original))
    try:
        yield
    finally:
        for node, original in patched:
            node.surrogate_function = original
        functional.reset_net(module)
