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


def float_spec(p, dt):
    """The float specification rockpool's mapper builds (weights as (source, target),
    dash = log2(tau/dt) unrounded, bias = v_leak) from the parameters of the NIR graph."""
    return dict(
        weights_in=p["w_in"].T.copy(),
        weights_rec=p["w_rec"].T.copy() if p.get("w_rec") is not None
        else np.zeros((p["w_in"].shape[0],) * 2),
        weights_out=p["w_out"].T.copy(),
        threshold=p["th"].copy(), threshold_out=p["th_out"].copy(),
        dash_mem=np.log2(p["tau_mem"] / dt), dash_mem_out=np.log2(p["tau_mem_out"] / dt),
        dash_syn=np.log2(p["tau_syn"] / dt), dash_syn_2=np.log2(p["tau_syn"] / dt),
        dash_syn_out=np.log2(p["tau_syn_out"] / dt),
        bias=p["bias"].copy(), bias_out=p["bias_out"].copy())


def quantize(p, dt, quantizer):
    from rockpool.transform.quantize_methods import channel_quantize, global_quantize

    fn = global_quantize if quantizer == "global" else channel_quantize
    q = fn(**float_spec(p, dt))
    for key in ("weights_in", "weights_rec"):
        q[key] = np.asarray(q[key]).reshape(q[key].shape[0], q[key].shape[1])
    return q


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
