"""Run a network quantised by `nirb map --target loihi2` in Lava 0.10.0 (Python 3.10, the
.venv-lava environment) and record every population's spikes, u and v, or load a netx file.

Usage (the tests and bench/targets call it in a subprocess; one process for several runs,
because importing Lava takes most of the time):
    lava_run.py JOBS.json
JOBS.json: a list of {"spec": SPEC.json, "spikes": SPIKES.npy, "out": OUT.npz,
"tag": "fixed_pt" | "floating_pt"} or {"netx": NET.h5, "spikes": ..., "out": ...}.

SPEC.json: {"populations": [{"name", "n", "du", "dv", "vth", "bias_mant", "bias_exp",
            "dense": [{"source", "weight", "weight_exp", "num_weight_bits", "sign_mode"}]}]}
(floating_pt: "du"/"dv" are fractions, "vth" and "bias" floats, "weight" floats). "source"
is "input" or a population name. SPIKES.npy is (steps, inputs). OUT.npz holds
<name>.s, <name>.u, <name>.v as (steps, n) arrays (with --netx: out.s only, the network's
output spikes), and run_seconds: the wall time of Lava's run call alone (compiling the process
graph, starting its runtime and the steps; imports, building the processes and reading the
records excluded), which bench/targets/loihi2_vs_lava.py times.
"""
import json
import sys
import time

import numpy as np
from lava.magma.core.run_conditions import RunSteps
from lava.magma.core.run_configs import Loihi2SimCfg
from lava.proc.dense.process import Dense
from lava.proc.io.sink import RingBuffer as SinkBuffer
from lava.proc.io.source import RingBuffer as SourceBuffer
from lava.proc.lif.process import LIF
from lava.proc.monitor.process import Monitor
from lava.utils.weightutils import SignMode


def build(spec, spikes, tag):
    steps, n_in = spikes.shape
    source = SourceBuffer(data=spikes.T.astype(int if tag == "fixed_pt" else float))
    lifs = {}
    for p in spec["populations"]:
        params = dict(shape=(p["n"],), du=p["du"], dv=p["dv"], vth=p["vth"])
        if tag == "fixed_pt":
            params.update(bias_mant=np.array(p["bias_mant"]), bias_exp=np.array(p["bias_exp"]))
        else:
            params.update(bias_mant=np.array(p["bias"]))
        lifs[p["name"]] = LIF(**params)
    for p in spec["populations"]:
        for d in p["dense"]:
            dense = Dense(weights=np.array(d["weight"]), weight_exp=d.get("weight_exp", 0),
                          num_weight_bits=d.get("num_weight_bits", 8),
                          sign_mode=SignMode(d.get("sign_mode", 1)))
            src = source.s_out if d["source"] == "input" else lifs[d["source"]].s_out
            src.connect(dense.s_in)
            dense.a_out.connect(lifs[p["name"]].a_in)
    return source, lifs


def run_spec(spec_path, spikes_path, out_path, tag):
    with open(spec_path) as f:
        spec = json.load(f)
    spikes = np.load(spikes_path)
    steps = spikes.shape[0]
    source, lifs = build(spec, spikes, tag)
    monitors = []
    for name, lif in lifs.items():
        for var in ("u", "v"):
            m = Monitor()
            m.probe(getattr(lif, var), steps)
            monitors.append((name, var, m, getattr(lif, var)))
        sink = SinkBuffer(shape=lif.s_out.shape, buffer=steps)
        lif.s_out.connect(sink.a_in)
        monitors.append((name, "s", sink, None))
    start = time.perf_counter()
    source.run(condition=RunSteps(num_steps=steps), run_cfg=Loihi2SimCfg(select_tag=tag))
    out = {"run_seconds": np.array(time.perf_counter() - start)}
    for name, var, m, target in monitors:
        if var == "s":
            out[f"{name}.s"] = np.asarray(m.data.get()).T
        else:
            data = m.get_data()
            key = next(iter(data))
            out[f"{name}.{var}"] = np.asarray(data[key][target.name])
    source.stop()
    np.savez(out_path, **out)


def import_netx_without_torch():
    """lava-dl 0.6.0's netx package imports torch (its __init__ pulls sequential_modules, and
    hdf5.py imports slayer's RF neuron helper); neither is used for LIF networks and torch is
    not installed in this environment. Register empty stand-ins for exactly those modules,
    then import netx.hdf5 itself, unchanged. Lava's compiler imports every sibling module of a
    process's package when it looks for models, so the placeholder must exist too."""
    import importlib.util
    import types

    import lava.lib.dl as dl

    def stub(name, **attrs):
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = module
        return module

    for name in ("lava.lib.dl.slayer", "lava.lib.dl.slayer.neuron"):
        stub(name).__path__ = []
    stub("lava.lib.dl.slayer.neuron.rf", neuron_params=None)
    netx_dir = dl.__path__[0] + "/netx"
    package = stub("lava.lib.dl.netx")
    package.__path__ = [netx_dir]
    stub("lava.lib.dl.netx.sequential_modules")
    spec = importlib.util.spec_from_file_location("lava.lib.dl.netx.hdf5", netx_dir + "/hdf5.py")
    hdf5 = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = hdf5
    spec.loader.exec_module(hdf5)
    return hdf5


def run_netx(net_path, spikes_path, out_path):
    hdf5 = import_netx_without_torch()

    spikes = np.load(spikes_path)
    steps = spikes.shape[0]
    net = hdf5.Network(net_config=net_path)
    source = SourceBuffer(data=spikes.T.astype(int))
    sink = SinkBuffer(shape=net.out.shape, buffer=steps)
    source.s_out.connect(net.inp)
    net.out.connect(sink.a_in)
    source.run(condition=RunSteps(num_steps=steps), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
    s = np.asarray(sink.data.get()).T
    source.stop()
    np.savez(out_path, **{"out.s": s, "layers": np.array(len(net.layers))})


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    for job in jobs:
        if "netx" in job:
            run_netx(job["netx"], job["spikes"], job["out"])
        else:
            run_spec(job["spec"], job["spikes"], job["out"], job.get("tag", "fixed_pt"))
