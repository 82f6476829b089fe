"""Norse 1.1.0 in the interop suite (tests/interop/harness finds this module): models built
with Norse's own cells, its own exporter and importer, and where it compares a membrane with
its threshold. The harness documents the interface."""

import contextlib

import torch

from harness.models import (Built, NotExportable, per_channel, scaled_conv, scaled_linear,
                            seeded, uniform)

FRAMEWORK = "norse"
VERSION = "norse 1.1.0"
SOURCES = {"norse": ({}, [], "Norse defaults (dt 1e-3, reset to v_reset)")}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: norse`).
PROFILE_VARIANTS = [("lif_mlp", {"reset_method": "subtract"}, {"reset": "subtract"})]
#: Norse modules are called as module(x, state) and return (out, state)
NATIVE_STATEFUL = True


def build(family, seed, options) -> Built:
    """Options: dt (default 1e-3, the cells' default), reset_method ("value"|"subtract",
    LIFBoxCell only, default "value")."""
    import norse.torch as norse
    from norse.torch.functional import reset

    opts = {"dt": 1e-3, "reset_method": "value", **options}
    method = {"value": reset.reset_value, "subtract": reset.reset_subtract}[opts["reset_method"]]
    g = seeded(seed)

    def lif_box(shape, theta=1.0):
        sample = per_channel if len(shape) == 3 else uniform
        p = norse.LIFBoxParameters(tau_mem_inv=sample(g, shape, 50.0, 150.0),
                                   v_th=torch.full(shape, theta), v_leak=torch.zeros(shape),
                                   reset_method=method)
        return norse.LIFBoxCell(p, dt=opts["dt"])

    def lif_cell(n, theta=1.0):
        p = norse.LIFParameters(tau_mem_inv=uniform(g, (n,), 50.0, 150.0),
                                tau_syn_inv=uniform(g, (n,), 150.0, 300.0),
                                v_th=torch.full((n,), theta), v_leak=torch.zeros(n),
                                v_reset=torch.zeros(n))
        return norse.LIFCell(p, dt=opts["dt"])

    if family == "lif_mlp":
        layers = [scaled_linear(g, 8, 16, 8.0), lif_box((16,)),
                  scaled_linear(g, 16, 4, 8.0), lif_box((4,), 0.8)]
        in_shape = (8,)
    elif family == "cuba_mlp":
        layers = [scaled_linear(g, 8, 12, 4.0), lif_cell(12),
                  scaled_linear(g, 12, 4, 4.0), lif_cell(4, 0.8)]
        in_shape = (8,)
    elif family == "recurrent":
        raise NotExportable("Norse 1.1.0's to_nir exports no recurrent cell "
                            "(LIFRecurrentCell/RecurrentSequential return None)")
    elif family == "conv":
        layers = [scaled_conv(g, 2, 4, 4.0), lif_box((4, 6, 6)),
                  scaled_conv(g, 4, 2, 3.0), lif_box((2, 6, 6), 0.8)]
        in_shape = (2, 6, 6)
    else:
        raise ValueError(f"unknown family {family!r}")
    return Built("norse", family, norse.SequentialState(*layers), in_shape, opts)


def export(built, export_dt):
    """to_nir(module, zeros(*in), dt=export_dt) (unbatched sample: Norse passes no
    ignore_dims; note Norse writes tau = export_dt / tau_mem_inv)."""
    from norse.torch.utils.export_nir import to_nir

    graph = to_nir(built.module, torch.zeros(*built.in_shape), dt=export_dt)
    # Norse leaves Conv2d.input_shape None and nir.write cannot store None; a user has to
    # run nir's own type inference first (it fills input_shape).
    graph.infer_types()
    return graph


def load(graph, kwargs):
    """from_nir(graph, dt=..., reset_method=...) with the given kwargs, else Norse's defaults."""
    from norse.torch.functional import reset
    from norse.torch.utils.import_nir import from_nir

    call = {"ignore_warnings": True}
    if "dt" in kwargs:
        call["dt"] = float(kwargs["dt"])
    if "reset_method" in kwargs:
        call["reset_method"] = {"value": reset.reset_value,
                                "subtract": reset.reset_subtract}[kwargs["reset_method"]]
    return from_nir(graph, **call)


@contextlib.contextmanager
def record(module, rec):
    """The argument of threshold(v - v_th) in the LIFBox/LIF/IAF functionals, with the layer
    that called it (a forward pre-hook on every cell)."""
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
