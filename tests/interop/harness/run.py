"""Run native or imported modules step by step and record every spiking layer.

The recorded "margin" is (value compared with the threshold - threshold) / |threshold|,
taken from inside the framework at the moment it compares (each framework's interop module,
plugins/<fw>/interop.py, says where: snnTorch the `fire(mem)` argument, Norse the argument of
`threshold(v - v_th)`), so it is exactly the framework's own pre-reset membrane in the
framework's own units.
"""

import dataclasses
import typing

import numpy as np
import torch

from .frameworks import framework
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
    module = framework(fw)
    if hasattr(module, "run"):  # a framework that is not a torch module runs itself
        return module.run(built.module, x, native=True)
    return _run(built.module, x, module.record, stateful=module.NATIVE_STATEFUL)


def run_imported(fw: str, module: torch.nn.Module, x) -> Trace:
    """Run a module returned by import_model (nirtorch graph modules return (out, state))."""
    if hasattr(framework(fw), "run"):
        return framework(fw).run(module, x, native=False)
    return _run(module, x, framework(fw).record, stateful=True)
