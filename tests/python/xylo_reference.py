"""Rockpool 3.1.0 and XyloSim 0.1.3 as the reference for the Xylo target tests.

rockpool.devices.xylo imports samna (not installable here: the registry holds only a stub
that downloads the real package at import), so the package object is stubbed *only for that
import*: an empty module with the right __path__ skips devices/xylo/__init__.py, and
syns61201 then imports for real with its own samna guards. Nothing else is replaced.
"""
import importlib.util
import pathlib
import sys
import types

import numpy as np


def _import_xylo_sim():
    spec = importlib.util.find_spec("rockpool.devices")
    xylo_dir = pathlib.Path(spec.submodule_search_locations[0]) / "xylo"
    if "rockpool.devices.xylo" not in sys.modules:
        stub = types.ModuleType("rockpool.devices.xylo")
        stub.__path__ = [str(xylo_dir)]
        sys.modules["rockpool.devices.xylo"] = stub
    from rockpool.devices.xylo.syns61201.xylo_sim import XyloSim

    return XyloSim


def run_xylosim(q, x, dt):
    """XyloSim on the integer spec q and input counts x (T, Nin): spikes and states."""
    XyloSim = _import_xylo_sim()
    sim = XyloSim.from_specification(
        weights_in=q["weights_in"].astype(int), weights_rec=q["weights_rec"].astype(int),
        weights_out=q["weights_out"].astype(int), threshold=q["threshold"],
        threshold_out=q["threshold_out"], dash_mem=q["dash_mem"], dash_syn=q["dash_syn"],
        dash_mem_out=q["dash_mem_out"], dash_syn_out=q["dash_syn_out"], bias=q["bias"],
        bias_out=q["bias_out"], dt=dt)
    out, _, rec = sim(x.astype(int), record=True)
    return {"out": np.asarray(out), "spikes": np.asarray(rec["Spikes"]),
            "v": np.asarray(rec["Vmem"]), "i": np.asarray(rec["Isyn"]),
            "v_out": np.asarray(rec["Vmem_out"]), "i_out": np.asarray(rec["Isyn_out"])}


def rockpool_net(p, dt):
    """The rockpool 3.1.0 network holding the parameters p (NIR orientation: weights as
    (target, source)): LinearTorch -> LIFTorch (recurrent when p["w_rec"]) -> LinearTorch ->
    LIFTorch, each neuron with one synapse."""
    import torch
    from rockpool.nn.combinators import Sequential
    from rockpool.nn.modules import LIFTorch, LinearTorch

    def t(a):
        return torch.tensor(np.asarray(a, dtype=np.float32))

    n_hid, n_in = p["w_in"].shape
    n_out = p["w_out"].shape[0]
    rec = p.get("w_rec") is not None
    hidden = LIFTorch(n_hid, tau_mem=t(p["tau_mem"]), tau_syn=t(p["tau_syn"]),
                      threshold=t(p["th"]), bias=t(p["bias"]), has_rec=rec,
                      w_rec=t(p["w_rec"].T) if rec else None, dt=dt)
    out = LIFTorch(n_out, tau_mem=t(p["tau_mem_out"]), tau_syn=t(p["tau_syn_out"]),
                   threshold=t(p["th_out"]), bias=t(p["bias_out"]), dt=dt)
    return Sequential(LinearTorch((n_in, n_hid), weight=t(p["w_in"].T), has_bias=False), hidden,
                      LinearTorch((n_hid, n_out), weight=t(p["w_out"].T), has_bias=False), out)


def mapper_quantize(net, quantizer):
    """rockpool's own path: syns61201.mapper on net.as_graph() (float spec, the mapper's
    default), then global_quantize or channel_quantize, as rockpool's Xylo tutorial does."""
    _import_xylo_sim()
    from rockpool.devices.xylo.syns61201 import mapper
    from rockpool.transform.quantize_methods import channel_quantize, global_quantize

    spec = mapper(net.as_graph(), weight_dtype="float", threshold_dtype="float",
                  dash_dtype="float")
    fn = global_quantize if quantizer == "global" else channel_quantize
    q = fn(**spec)
    for key in ("weights_in", "weights_rec"):
        q[key] = np.asarray(q[key]).reshape(q[key].shape[0], q[key].shape[1])
    return spec, q


def exported_nir(net, p):
    """rockpool's to_nir of net, with what rockpool 3.1.0's exporter gets wrong put right
    (plugins/rockpool/README.md): the recurrent weights of a LIFTorch(has_rec=True) and the
    neurons' bias (written as v_leak 0) put back, the batch dimension it leaves in the Input
    (1, N) and Output (1, 1, M) types removed (nir.read rejects those files)."""
    import nir
    from rockpool.nn.modules import to_nir

    g = to_nir(net)
    hidden, out = "1_LIFTorch", "3_LIFTorch"
    g.nodes["input"] = nir.Input(input_type=np.array([p["w_in"].shape[1]]))
    g.nodes["output"] = nir.Output(output_type=np.array([p["w_out"].shape[0]]))
    g.nodes[hidden].v_leak = np.asarray(p["bias"], np.float32)
    g.nodes[out].v_leak = np.asarray(p["bias_out"], np.float32)
    if p.get("w_rec") is not None:
        g.nodes["w_rec"] = nir.Linear(weight=np.asarray(p["w_rec"], np.float32))
        g.edges += [(hidden, "w_rec"), ("w_rec", hidden)]
    return g
