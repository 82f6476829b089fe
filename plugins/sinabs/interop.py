"""Sinabs 3.1.3 in the interop suite (tests/interop/harness finds this module): models built
with Sinabs' own layers, its own exporter (sinabs.to_nir) and importer (sinabs.from_nir), and
where it compares a membrane with its threshold. The harness documents the interface.

Native models use the *Squeeze layers with num_timesteps=1, so a module called with (B, ...)
advances one time step and keeps its state, like the imported model with the
`nirb.import.num_timesteps = 1` nirb writes by default. Spikes are counts (MultiSpike)."""

import contextlib

import torch

from harness.models import (Built, NotExportable, per_channel, scaled_conv, scaled_linear,
                            seeded, uniform)

FRAMEWORK = "sinabs"
VERSION = "sinabs 3.1.3"
SOURCES = {
    "sinabs": ({}, [], "Sinabs defaults (LIF norm_input=True, MultiSpike, MembraneSubtract; "
                       "IAF in the conv net)"),
    "sinabs-bounded": ({"bounded": True}, [],
                       "Sinabs defaults with weights scaled so that no neuron can reach twice "
                       "its threshold in one step (provably one spike per step at most)"),
    "sinabs-iaf-floor": ({"min_v_mem": "threshold"}, ["--from-option", "min_v_mem=-threshold"],
                         "Sinabs IAF built with min_v_mem=-threshold (as sinabs.from_nir builds "
                         "it)"),
}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: sinabs`).
PROFILE_VARIANTS = [
    ("lif_mlp", {"norm_input": False}, {"input_gain": "{membrane: one, synapse: decay, "
                                                      "integrator: one}"}),
    ("conv", {"min_v_mem": "threshold"}, {"lower_clamp": "-threshold"}),
]
#: natively built Squeeze layers take x only and keep their state between calls
NATIVE_STATEFUL = False


def _bound_rows(linear, alpha, theta, gain, input_max):
    """Scale the rows of `linear` so that beta*theta + gain*(largest input) < 2*theta for
    every neuron (inputs within [0, input_max]): then no neuron can spike twice in a step."""
    with torch.no_grad():
        w = linear.weight.reshape(linear.weight.shape[0], -1)
        most = w.clamp(min=0).sum(1) * input_max + linear.bias.clamp(min=0)
        limit = 0.95 * (2 - alpha) * theta / gain
        factor = torch.where(most > limit, limit / most, torch.ones_like(most))
        linear.weight.mul_(factor.reshape(-1, *([1] * (linear.weight.dim() - 1))))
        linear.bias.mul_(factor)


def build(family, seed, options) -> Built:
    """Options: norm_input (LIF, default True), min_v_mem (None or "threshold": IAF floor
    -threshold, what sinabs.from_nir builds), bounded (default False: scale weights so that
    at most one spike per step is provable)."""
    import sinabs.layers as sl

    opts = {"norm_input": True, "min_v_mem": None, "bounded": False, **options}
    g = seeded(seed)

    def lif(shape, theta=1.0):
        tau = uniform(g, shape, 5.0, 20.0)
        th = torch.full(shape, theta)
        return sl.LIFSqueeze(tau_mem=tau, spike_threshold=th, norm_input=opts["norm_input"],
                             num_timesteps=1), tau, th

    def iaf(shape, theta=1.0):
        th = torch.full(shape, theta)
        floor = -th if opts["min_v_mem"] == "threshold" else None
        return sl.IAFSqueeze(spike_threshold=th, min_v_mem=floor, num_timesteps=1), th

    def limit(linear, tau, th, input_max):
        alpha = torch.exp(-1.0 / tau) if tau is not None else torch.ones_like(th)
        gain = 1 - alpha if (opts["norm_input"] and tau is not None) else torch.ones_like(th)
        if opts["bounded"]:
            _bound_rows(linear, alpha.reshape(-1), th.reshape(-1), gain.reshape(-1), input_max)

    gain = 8.0 if opts["norm_input"] else 1.2
    if family == "lif_mlp":
        l1, l2 = scaled_linear(g, 8, 16, gain), scaled_linear(g, 16, 4, gain)
        n1, tau1, th1 = lif((16,))
        n2, tau2, th2 = lif((4,), 0.8)
        limit(l1, tau1, th1, 1.0)
        limit(l2, tau2, th2, 1.0)
        layers = [l1, n1, l2, n2]
        in_shape = (8,)
    elif family == "cuba_mlp":
        raise NotExportable("Sinabs 3.1.3's to_nir writes LIF(tau_syn=...) as a plain LIF: "
                            "tau_syn is dropped silently (0.54 spike agreement)")
    elif family == "recurrent":
        raise NotExportable("Sinabs 3.1.3's to_nir: NotImplementedError for LIFRecurrent")
    elif family == "conv":
        conv = scaled_conv(g, 2, 4, 0.25)
        with torch.no_grad():
            # IAF has no leak: a positive drive keeps every membrane from drifting far below 0,
            # where float32 rounding alone exceeds the suite's 1e-5 membrane tolerance
            conv.bias.abs_().add_(0.05)
            conv.weight.add_(0.1)
        n1, th1 = iaf((4, 6, 6))
        lin = scaled_linear(g, 36, 4, 0.05)
        with torch.no_grad():
            lin.weight.add_(0.01)
        n2, th2 = iaf((4,), 0.8)
        if opts["bounded"]:
            # per output channel: every tap of the kernel may see a spike
            with torch.no_grad():
                most = conv.weight.clamp(min=0).sum((1, 2, 3)) + conv.bias.clamp(min=0)
                factor = torch.where(most > 0.95, 0.95 / most, torch.ones_like(most))
                conv.weight.mul_(factor.reshape(-1, 1, 1, 1))
                conv.bias.mul_(factor)
            limit(lin, None, th2, 4.0)  # a 2x2 SumPool2d of single spikes gives up to 4
        layers = [conv, n1, sl.SumPool2d(2), torch.nn.Flatten(), lin, n2]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("sinabs", family, torch.nn.Sequential(*layers), in_shape, opts)


def export(built, export_dt):
    """sinabs.to_nir(module, zeros(1, *in)); export_dt is not used (tau is in time steps).
    A conv net's graph is written only after nir's type inference (Sinabs leaves Conv2d
    input_shape empty; nir.write cannot store None)."""
    import sinabs

    for layer in built.module.modules():
        if hasattr(layer, "reset_states"):
            layer.reset_states()
    graph = sinabs.to_nir(built.module, torch.zeros(1, *built.in_shape))
    if built.family == "conv":
        graph.infer_types()
    for layer in built.module.modules():
        if hasattr(layer, "reset_states"):
            layer.reset_states()
    return graph


def load(graph, kwargs):
    """sinabs.from_nir(graph, num_timesteps=... or batch_size=...) from the kwargs (nirb
    writes num_timesteps=1 by default: one call per step), else num_timesteps=1."""
    import sinabs

    call = {k: int(kwargs[k]) for k in ("num_timesteps", "batch_size") if k in kwargs}
    return sinabs.from_nir(graph, **(call or {"num_timesteps": 1}))


class _RecordingSpikeFn:
    """Stands in for a layer's spike_fn: calls it and reports v - threshold and the count."""

    def __init__(self, original, name, rec):
        self.original, self.name, self.rec = original, name, rec
        self.required_states = original.required_states

    def apply(self, *args):
        spikes = self.original.apply(*args)
        v, theta = args[0], torch.broadcast_to(torch.as_tensor(args[-2]), args[0].shape)
        self.rec.add(self.name, v - theta, theta, spikes)
        return spikes


@contextlib.contextmanager
def record(module, rec):
    """Every spiking Sinabs layer's spike_fn(v_mem, threshold): its states are reset first."""
    import sinabs.layers as sl

    patched = []
    for name, layer in module.named_modules():
        if not isinstance(layer, sl.StatefulLayer):
            continue
        layer.reset_states()
        if getattr(layer, "spike_fn", None) is None:
            continue
        original = layer.spike_fn
        layer.spike_fn = _RecordingSpikeFn(original, name or "neuron", rec)
        patched.append((layer, original))
    try:
        yield
    finally:
        for layer, original in patched:
            layer.spike_fn = original
