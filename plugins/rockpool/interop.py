"""Rockpool 3.1.0 (torch backend) in the interop suite (tests/interop/harness finds this
module): models built with Rockpool's own modules, its own exporter and importer, and where it
compares a membrane with its threshold. The harness documents the interface.

Two Rockpool facts shape this module:

* its exporter writes the sample's batch dimension into the Input/Output types ((1, N) and
  (1, 1, M)), so `nir.read` rejects every Rockpool export. `export` repairs those two types the
  way a user has to before nir.read (nirb reads the unrepaired file too, with a warning per
  repair: tests/interop/test_rockpool.py);
* Rockpool modules keep their state between calls for batch element 0 only. `Stepper` runs
  one step at a time with a saved state per batch element, which is how the harness drives
  every framework.
"""

import contextlib

import numpy as np
import torch

from harness.models import Built, NotExportable, seeded, uniform

FRAMEWORK = "rockpool"
VERSION = "rockpool 3.1.0"
SOURCES = {"rockpool": ({}, [], "Rockpool defaults (dt 1e-3, several spikes per step, "
                        "subtract)")}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: rockpool`).
PROFILE_VARIANTS = [
    ("cuba_mlp", {"max_spikes_per_dt": 1}, {"spikes_per_step": "single"}),
    ("lif_mlp", {"dt": 5e-4}, {"dt": 5e-4}),
]
#: the Stepper is called as module(x, state) and returns (out, state)
NATIVE_STATEFUL = True


def _neuron_types():
    from rockpool.nn.modules import LIFNeuronTorch, LIFTorch

    return (LIFTorch, LIFNeuronTorch)


class Stepper(torch.nn.Module):
    """Calls Rockpool modules (a native Sequential or from_nir's GraphExecutor) one time step
    at a time on a batch: each batch element runs as its own (1, 1, N) call with its own saved
    neuron states, because Rockpool keeps only batch element 0's state between calls."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.recording = None  # (recorder, {layer: [pieces]}) while record() is active
        self._states = None

    def neurons(self):
        return [(name, m) for name, m in self.net.named_modules()
                if isinstance(m, _neuron_types())]

    def _snapshot(self):
        return {name: {k: v.detach().clone() for k, v in m.state().items()}
                for name, m in self.neurons()}

    def _restore(self, saved):
        for name, m in self.neurons():
            for k, v in saved[name].items():
                setattr(m, k, v.clone())

    def forward(self, x, state=None):
        if state is None:
            for _, m in self.neurons():
                m.reset_state()
            self._states = [self._snapshot() for _ in range(x.shape[0])]
        outs = []
        for b in range(x.shape[0]):
            self._restore(self._states[b])
            out = self.net(x[b:b + 1].reshape(1, 1, -1))
            out = out[0] if isinstance(out, tuple) else out
            outs.append(out.reshape(1, -1))
            self._states[b] = self._snapshot()
        if self.recording is not None:
            rec, pieces = self.recording
            for name, parts in pieces.items():
                rec.add(name, *(torch.cat([p[i] for p in parts]) for i in range(3)))
                parts.clear()
        return torch.cat(outs), True


def build(family, seed, options) -> Built:
    """Options: dt (default 1e-3, the modules' default), max_spikes_per_dt (default 2^16).
    Besides the shared families, "lif_bounded" (tests/interop/test_rockpool.py): one
    Linear-LIF layer whose positive weights sum below (2 - decay) theta, so that nirb can prove
    it never emits two spikes in one step."""
    from rockpool.nn.combinators import Sequential
    from rockpool.nn.modules import LIFNeuronTorch, LIFTorch, LinearTorch

    opts = {"dt": 1e-3, "max_spikes_per_dt": 2 ** 16, **options}
    g = seeded(seed)

    def linear(n_in, n_out, gain):
        # Mostly excitatory: Rockpool's membrane has no floor, and deep negative excursions
        # only magnify float32 rounding. Rockpool's weight is (in, out).
        w = uniform(g, (n_in, n_out), -0.5, 1.0) * gain
        return LinearTorch((n_in, n_out), weight=w, has_bias=False)

    def lif(n, theta=1.0):
        return LIFNeuronTorch(n, tau_mem=uniform(g, (n,), 5e-3, 2e-2),
                              threshold=torch.full((n,), theta), dt=opts["dt"],
                              max_spikes_per_dt=opts["max_spikes_per_dt"])

    def cuba(n, theta=1.0):
        return LIFTorch(n, tau_mem=uniform(g, (n,), 1e-2, 3e-2),
                        tau_syn=uniform(g, (n,), 3e-3, 8e-3),
                        threshold=torch.full((n,), theta), dt=opts["dt"],
                        max_spikes_per_dt=opts["max_spikes_per_dt"])

    if family == "lif_mlp":
        net = Sequential(linear(8, 16, 0.8), lif(16), linear(16, 4, 0.4), lif(4, 0.8))
    elif family == "cuba_mlp":
        net = Sequential(linear(8, 12, 0.25), cuba(12), linear(12, 4, 0.12), cuba(4, 0.8))
    elif family == "lif_bounded":
        w = uniform(g, (8, 4), 0.0, 0.13)  # sum <= 1.04 < 2 - e^{-1/20}
        net = Sequential(LinearTorch((8, 4), weight=w, has_bias=False),
                         LIFNeuronTorch(4, tau_mem=torch.full((4,), 2e-2),
                                        threshold=torch.ones(4), dt=opts["dt"]))
    elif family == "recurrent":
        raise NotExportable("Rockpool 3.1.0's to_nir drops w_rec of LIFTorch(has_rec=True) "
                            "silently (the graph has no cycle)")
    elif family == "conv":
        raise NotExportable("Rockpool 3.1.0 has no torch conv/pool/flatten export")
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("rockpool", family, Stepper(net), (8,), opts)


def raw_export(built):
    """rockpool.nn.modules.to_nir(net, zeros(1, N)) exactly as Rockpool writes it."""
    from rockpool.nn.modules import to_nir

    return to_nir(built.module.net, torch.zeros(1, *built.in_shape))


def export(built, export_dt):
    """Rockpool's to_nir with the batch dimension removed from the Input/Output types (what a
    user must do before nir.read accepts the file); export_dt is not used: Rockpool encodes
    the module dt in r = tau exp(-dt/tau)/dt."""
    import nir

    graph = raw_export(built)
    for name, node in list(graph.nodes.items()):
        if isinstance(node, nir.Input):
            graph.nodes[name] = nir.Input(input_type=np.array(built.in_shape))
        elif isinstance(node, nir.Output):
            shape = np.asarray(node.output_type["output"]).reshape(-1)[-1:]
            graph.nodes[name] = nir.Output(output_type=shape)
    return graph


def load(graph, kwargs):
    """from_nir(graph), then the attributes nirb stored (nirb.import.dt and
    nirb.import.max_spikes_per_dt) set on every imported LIFTorch."""
    from rockpool.nn.modules import from_nir

    net = from_nir(graph)
    for m in net.modules():
        if isinstance(m, _neuron_types()):
            if "dt" in kwargs:
                m.dt = float(kwargs["dt"])
            if "max_spikes_per_dt" in kwargs:
                m.max_spikes_per_dt = torch.tensor(float(kwargs["max_spikes_per_dt"]))
    return Stepper(net)


@contextlib.contextmanager
def record(module, rec):
    """Each LIF module's pre-reset membrane: the post-reset vmem it keeps plus the spikes it
    subtracted (count x threshold), after every call (a forward hook)."""
    pieces = {}
    hooks = []
    for name, m in module.neurons():
        def hook(mod, args, output, _name=name or "neuron"):
            out = output[0] if isinstance(output, tuple) else output
            spikes = out.detach().reshape(1, -1).double()
            theta = torch.broadcast_to(mod.threshold.detach().double().reshape(-1),
                                       spikes.shape)
            v_pre = mod.vmem.detach().double().reshape(1, -1) + spikes * theta
            pieces.setdefault(_name, []).append((v_pre - theta, theta, spikes))
        hooks.append(m.register_forward_hook(hook))
    module.recording = (rec, pieces)
    try:
        yield
    finally:
        module.recording = None
        for h in hooks:
            h.remove()
