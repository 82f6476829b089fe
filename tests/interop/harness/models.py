"""Small seeded models of each family, built with the frameworks' own modules.

Families: lif_mlp (Linear-LIF-Linear-LIF), cuba_mlp (current-based LIF: snnTorch Synaptic,
Norse LIFCell), recurrent (snnTorch RLeaky; Norse 1.1.0 cannot export recurrent cells),
conv (Conv2d-LIF-...). Parameters are per-neuron tensors because both exporters need them
(a scalar beta/threshold breaks nir type inference); beta / tau vary per neuron.

Each framework builds its models in its plugin's interop module (plugins/<fw>/interop.py,
found by harness.frameworks) with the seeded helpers below.
"""

import dataclasses
import typing

import torch

FAMILIES = ("lif_mlp", "cuba_mlp", "recurrent", "conv")


class NotExportable(Exception):
    """The framework's own exporter cannot express this model family."""


@dataclasses.dataclass
class Built:
    """A model, its unbatched input shape and the options it was built with."""

    fw: str
    family: str
    module: torch.nn.Module
    in_shape: typing.Tuple[int, ...]
    options: dict


def seeded(seed):
    """A torch Generator seeded with `seed` (torch's global seed is set too)."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    return g


def uniform(g, shape, lo, hi):
    """Uniform(lo, hi) samples of `shape` from generator g."""
    return lo + (hi - lo) * torch.rand(shape, generator=g)


def per_channel(g, shape, lo, hi):
    """Uniform(lo, hi) per channel, broadcast over (C, H, W) (conv layers: one value per
    channel, as a framework would share it; the exporters need the full shape)."""
    c = shape[0]
    return uniform(g, (c,) + (1,) * (len(shape) - 1), lo, hi).expand(shape).clone()


def scaled_linear(g, n_in, n_out, gain, bias=True):
    """nn.Linear with Uniform(-1, 1) * gain weights and Uniform(-0.1, 0.3) * gain bias."""
    lin = torch.nn.Linear(n_in, n_out, bias=bias)
    with torch.no_grad():
        lin.weight.copy_(uniform(g, (n_out, n_in), -1.0, 1.0) * gain)
        if bias:
            lin.bias.copy_(uniform(g, (n_out,), -0.1, 0.3) * gain)
    return lin


def scaled_conv(g, c_in, c_out, gain):
    """3x3 nn.Conv2d (padding 1) with weights and bias scaled like scaled_linear."""
    conv = torch.nn.Conv2d(c_in, c_out, 3, padding=1)
    with torch.no_grad():
        conv.weight.copy_(uniform(g, conv.weight.shape, -1.0, 1.0) * gain)
        conv.bias.copy_(uniform(g, (c_out,), -0.1, 0.3) * gain)
    return conv


def build_model(fw: str, family: str, seed: int = 0, **options) -> Built:
    """Build family `family` in framework `fw` with seeded weights (the framework's interop
    module documents its options)."""
    from .frameworks import framework

    return framework(fw).build(family, seed, options)
