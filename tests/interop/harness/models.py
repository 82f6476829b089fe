"""Small seeded models of each family, built with the frameworks' own modules.

Families: lif_mlp (Linear-LIF-Linear-LIF), cuba_mlp (current-based LIF: snnTorch Synaptic,
Norse LIFCell), recurrent (snnTorch RLeaky; Norse 1.1.0 cannot export recurrent cells),
conv (Conv2d-LIF-...). Parameters are per-neuron tensors because both exporters need them
(a scalar beta/threshold breaks nir type inference); beta / tau vary per neuron.
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


def _gen(seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    return g


def _uniform(g, shape, lo, hi):
    return lo + (hi - lo) * torch.rand(shape, generator=g)


def _per_channel(g, shape, lo, hi):
    """Uniform(lo, hi) per channel, broadcast over (C, H, W) (conv layers: one value per
    channel, as a framework would share it; the exporters need the full shape)."""
    c = shape[0]
    return _uniform(g, (c,) + (1,) * (len(shape) - 1), lo, hi).expand(shape).clone()


def _scaled_linear(g, n_in, n_out, gain, bias=True):
    lin = torch.nn.Linear(n_in, n_out, bias=bias)
    with torch.no_grad():
        lin.weight.copy_(_uniform(g, (n_out, n_in), -1.0, 1.0) * gain)
        if bias:
            lin.bias.copy_(_uniform(g, (n_out,), -0.1, 0.3) * gain)
    return lin


def _scaled_conv(g, c_in, c_out, gain):
    conv = torch.nn.Conv2d(c_in, c_out, 3, padding=1)
    with torch.no_grad():
        conv.weight.copy_(_uniform(g, conv.weight.shape, -1.0, 1.0) * gain)
        conv.bias.copy_(_uniform(g, (c_out,), -0.1, 0.3) * gain)
    return conv


def build_model(fw: str, family: str, seed: int = 0, **options) -> Built:
    """Build family `family` in framework `fw` ("snntorch" or "norse") with seeded weights.

    snntorch options: reset_mechanism ("subtract"|"zero", default "subtract"),
    reset_delay (default True) — snnTorch's own defaults.
    norse options: dt (default 1e-3, the cells' default), reset_method ("value"|"subtract",
    LIFBoxCell only, default "value").
    """
    if fw == "snntorch":
        return _build_snntorch(family, seed, options)
    if fw == "norse":
        return _build_norse(family, seed, options)
    raise ValueError(f"unknown framework {fw!r}")


def _build_snntorch(family, seed, options):
    import snntorch as snn

    opts = {"reset_mechanism": "subtract", "reset_delay": True, **options}
    g = _gen(seed)

    def leaky(shape, theta=1.0):
        sample = _per_channel if len(shape) == 3 else _uniform
        return snn.Leaky(beta=sample(g, shape, 0.8, 0.95), threshold=torch.full(shape, theta),
                         init_hidden=True, reset_mechanism=opts["reset_mechanism"],
                         reset_delay=opts["reset_delay"])

    def synaptic(n, theta=1.0):
        return snn.Synaptic(alpha=_uniform(g, (n,), 0.5, 0.8), beta=_uniform(g, (n,), 0.8, 0.95),
                            threshold=torch.full((n,), theta), init_hidden=True,
                            reset_mechanism=opts["reset_mechanism"],
                            reset_delay=opts["reset_delay"])

    if family == "lif_mlp":
        layers = [_scaled_linear(g, 8, 16, 1.2), leaky((16,)),
                  _scaled_linear(g, 16, 4, 1.0), leaky((4,), 0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [_scaled_linear(g, 8, 12, 0.5), synaptic(12),
                  _scaled_linear(g, 12, 4, 0.4), synaptic(4, 0.8)]
        in_shape = (8,)
    elif family == "recurrent":
        n = 12
        rec = snn.RLeaky(beta=_uniform(g, (n,), 0.8, 0.95), threshold=torch.ones(n),
                         linear_features=n, init_hidden=True,
                         reset_mechanism=opts["reset_mechanism"], reset_delay=opts["reset_delay"])
        with torch.no_grad():
            rec.recurrent.weight.copy_(_uniform(g, (n, n), -1.0, 1.0) * 0.4)
            rec.recurrent.bias.copy_(_uniform(g, (n,), -0.05, 0.1))
        layers = [_scaled_linear(g, 8, n, 1.0), rec, _scaled_linear(g, n, 4, 1.0), leaky((4,), 0.8)]
        in_shape = (8,)
    elif family == "conv":
        layers = [_scaled_conv(g, 2, 4, 0.6), leaky((4, 6, 6)), torch.nn.AvgPool2d(2),
                  torch.nn.Flatten(), _scaled_linear(g, 36, 4, 1.5), leaky((4,), 0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("snntorch", family, torch.nn.Sequential(*layers), in_shape, opts)


def _build_norse(family, seed, options):
    import norse.torch as norse
    from norse.torch.functional import reset

    opts = {"dt": 1e-3, "reset_method": "value", **options}
    method = {"value": reset.reset_value, "subtract": reset.reset_subtract}[opts["reset_method"]]
    g = _gen(seed)

    def lif_box(shape, theta=1.0):
        sample = _per_channel if len(shape) == 3 else _uniform
        p = norse.LIFBoxParameters(tau_mem_inv=sample(g, shape, 50.0, 150.0),
                                   v_th=torch.full(shape, theta), v_leak=torch.zeros(shape),
                                   reset_method=method)
        return norse.LIFBoxCell(p, dt=opts["dt"])

    def lif_cell(n, theta=1.0):
        p = norse.LIFParameters(tau_mem_inv=_uniform(g, (n,), 50.0, 150.0),
                                tau_syn_inv=_uniform(g, (n,), 150.0, 300.0),
                                v_th=torch.full((n,), theta), v_leak=torch.zeros(n),
                                v_reset=torch.zeros(n))
        return norse.LIFCell(p, dt=opts["dt"])

    if family == "lif_mlp":
        layers = [_scaled_linear(g, 8, 16, 8.0), lif_box((16,)),
                  _scaled_linear(g, 16, 4, 8.0), lif_box((4,), 0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [_scaled_linear(g, 8, 12, 4.0), lif_cell(12),
                  _scaled_linear(g, 12, 4, 4.0), lif_cell(4, 0.8)]
        in_shape = (8,)
    elif family == "recurrent":
        raise NotExportable("Norse 1.1.0's to_nir exports no recurrent cell "
                            "(LIFRecurrentCell/RecurrentSequential return None)")
    elif family == "conv":
        layers = [_scaled_conv(g, 2, 4, 4.0), lif_box((4, 6, 6)),
                  _scaled_conv(g, 4, 2, 3.0), lif_box((2, 6, 6), 0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("norse", family, norse.SequentialState(*layers), in_shape, opts)
