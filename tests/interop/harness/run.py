"""Run native or imported modules step by step and record every spiking layer.

The recorded "margin" is (value compared with the threshold - threshold) / |threshold|,
taken from inside the framework at the moment it compares (snnTorch: the `fire(mem)`
argument; Norse: the argument of `threshold(v - v_th)`), so it is exactly the framework's
own pre-reset membrane in the framework's own units.
"""

import contextlib
import dataclasses
import typing

import numpy as np
import torch

from .models import Built


@dataclasses.dataclass
class LayerTrace:
    """Spikes and margins of one spiking layer: arrays of shape (T, B, *neurons)."""

    name: str
    spikes: np.ndarray
    margin: np.ndarray


@dataclasses.dataclass
class Trace:
    """All spiking layers of one run, in execution order; `output` is the last layer."""

    layers: typing.List[LayerTrace]
    #: what the module itself returned each step, (T, B, ...) (the graph's output)
    returned: typing.Optional[np.ndarray] = None

    @property
    def output(self) -> LayerTrace:
        return self.layers[-1]

    def rates(self) -> typing.List[float]:
        """Mean firing rate per layer (to check a test model is neither silent nor saturated)."""
        return [float(layer.spikes.mean()) for layer in self.layers]


class _Recorder:
    """Collects (layer name, value-minus-threshold, threshold, spikes) per call."""

    def __init__(self):
        self.calls: typing.Dict[str, list] = {}
        self.order: typing.List[str] = []

    def add(self, name, diff, theta, spikes):
        if name not in self.calls:
            self.calls[name] = []
            self.order.append(name)
        margin = diff.detach().double() / theta.detach().double().abs()
        self.calls[name].append((margin.numpy().copy(), spikes.detach().numpy() > 0))

    def trace(self) -> Trace:
        layers = []
        for name in self.order:
            margins, spikes = zip(*self.calls[name])
            layers.append(LayerTrace(name, np.stack(spikes), np.stack(margins)))
        return Trace(layers)


@contextlib.contextmanager
def _record_snntorch(module: torch.nn.Module, rec: _Recorder):
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


@contextlib.contextmanager
def _record_norse(module: torch.nn.Module, rec: _Recorder):
    import norse.torch as norse
    import norse.torch.functional.iaf as f_iaf
    import norse.torch.functional.lif as f_lif
    import norse.torch.functional.lif_box as f_lif_box

    current = {"layer": None}
    hooks = []
    for name, layer in module.named_modules():
        if isinstance(layer, (norse.LIFBoxCell, norse.LIFCell, norse.IAFCell)):
            def pre(mod, args, _name=name):
                current["layer"] = (_name, mod)
            hooks.append(layer.register_forward_pre_hook(pre))
    originals = {m: m.threshold for m in (f_lif, f_lif_box, f_iaf)}

    def make(orig):
        def threshold(x, method, alpha):
            z = orig(x, method, alpha)
            name, mod = current["layer"]
            rec.add(name, x, torch.broadcast_to(mod.p.v_th, x.shape), z)
            return z
        return threshold

    for m, orig in originals.items():
        m.threshold = make(orig)
    try:
        yield
    finally:
        for m, orig in originals.items():
            m.threshold = orig
        for h in hooks:
            h.remove()


def _run(module, x, recorder_cm, stateful: bool) -> Trace:
    rec = _Recorder()
    xs = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    returned = []
    with torch.no_grad(), recorder_cm(module, rec):
        state = None
        for t in range(xs.shape[0]):
            if stateful:
                out, state = module(xs[t], state)
            else:
                out = module(xs[t])
            returned.append(out.detach().numpy().copy())
    trace = rec.trace()
    trace.returned = np.stack(returned)
    return trace


def run_native(fw: str, built: Built, x) -> Trace:
    """Run the model as built in its framework on spikes x of shape (T, B, *in)."""
    if fw == "snntorch":
        return _run(built.module, x, _record_snntorch, stateful=False)
    if fw == "norse":
        return _run(built.module, x, _record_norse, stateful=True)
    raise ValueError(f"unknown framework {fw!r}")


def run_imported(fw: str, module: torch.nn.Module, x) -> Trace:
    """Run a module returned by import_model (nirtorch graph modules return (out, state))."""
    if fw == "snntorch":
        return _run(module, x, _record_snntorch, stateful=True)
    if fw == "norse":
        return _run(module, x, _record_norse, stateful=True)
    raise ValueError(f"unknown framework {fw!r}")
