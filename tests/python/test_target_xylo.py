"""The Xylo Audio 2 target (plugins/xylo) against rockpool 3.1.0 and XyloSim 0.1.3.

- Quantisation: for recurrent and feed-forward rockpool networks (LinearTorch, LIFTorch),
  power-of-2 and other time constants, global and channel quantisers, `nirb map --target
  xylo` on the network's NIR export writes the integer specification rockpool's own path
  computes (syns61201.mapper on the module graph, then global_quantize / channel_quantize):
  identical with `compat=true`, and with the default only where a documented bug is fixed.
- Emulation: `nirb simulate --profile xylo-audio2` on the mapped graph equals XyloSim built
  from rockpool's specification: hidden and output spikes, vmem and isyn, 300 steps; also on
  inputs of up to 40 events per channel and step that drive the states into saturation and
  hit the 15-input-event and 31-spike limits, with and without recurrence.
- Design rules: every XYLO-E code is triggered by a graph made for it.
"""
import json
import os
import pathlib
import subprocess

import h5py
import nir
import numpy as np
import pytest

import xylo_reference as ref
from test_roundtrip_nir import NIRB, ROOT

BUILD = pathlib.Path(NIRB).resolve().parents[1]
PLUGINS = BUILD / "plugins" / "xylo"
DT = 1e-3
STEPS = 300


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ)
    e["NIRB_PLUGIN_PATH"] = str(PLUGINS)
    e["NIRB_PLUGIN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    return e


def nirb(args, env):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=300)


def params(seed, recurrent, pow2, n_in=16, n_hid=24, n_out=4, bias=True):
    rng = np.random.default_rng(seed)
    taus = (16e-3, 8e-3, 16e-3, 8e-3) if pow2 else (20e-3, 5e-3, 30e-3, 6e-3)
    return {
        "w_in": rng.normal(0, 0.4, (n_hid, n_in)),
        "w_rec": rng.normal(0, 0.08, (n_hid, n_hid)) if recurrent else None,
        "w_out": rng.normal(0, 0.3, (n_out, n_hid)),
        "th": np.full(n_hid, 3.0), "th_out": np.full(n_out, 3.0),
        "tau_mem": np.full(n_hid, taus[0]), "tau_syn": np.full(n_hid, taus[1]),
        "tau_mem_out": np.full(n_out, taus[2]), "tau_syn_out": np.full(n_out, taus[3]),
        "bias": rng.normal(0, 0.01, n_hid) if bias else np.zeros(n_hid),
        "bias_out": rng.normal(0, 0.02, n_out) if bias else np.zeros(n_out),
    }


def cuba(tau_mem, tau_syn, th, bias):
    n = len(th)
    return nir.CubaLIF(tau_mem=tau_mem, tau_syn=tau_syn, r=np.ones(n), v_leak=bias,
                       v_threshold=th, v_reset=np.zeros(n), w_in=np.ones(n))


def graph(p):
    n_in = p["w_in"].shape[1]
    nodes = {
        "input": nir.Input(input_type=np.array([n_in])),
        "w_in": nir.Linear(weight=p["w_in"]),
        "hidden": cuba(p["tau_mem"], p["tau_syn"], p["th"], p["bias"]),
        "w_out": nir.Linear(weight=p["w_out"]),
        "out": cuba(p["tau_mem_out"], p["tau_syn_out"], p["th_out"], p["bias_out"]),
        "output": nir.Output(output_type=np.array([len(p["th_out"])])),
    }
    edges = [("input", "w_in"), ("w_in", "hidden"), ("hidden", "w_out"), ("w_out", "out"),
             ("out", "output")]
    if p.get("w_rec") is not None:
        nodes["w_rec"] = nir.Linear(weight=p["w_rec"])
        edges += [("hidden", "w_rec"), ("w_rec", "hidden")]
    return nir.NIRGraph(nodes=nodes, edges=edges)


def map_model(tmp_path, g, env, *options, name="net"):
    """`nirb map --target xylo` of graph g (a dict of parameters: the graph(p) of them)."""
    model = tmp_path / f"{name}.nir"
    nir.write(model, graph(g) if isinstance(g, dict) else g)
    out = tmp_path / f"{name}.xylo.json"
    args = ["map", model, "--target", "xylo", "--json", "-o", out, "--force",
            "--option", f"dt={DT}"]
    for o in options:
        args += ["--option", o]
    r = nirb(args, env)
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(out.read_text())
    return out, json.loads(doc["node"]["metadata"]["xylo.spec"]), json.loads(r.stdout)


CASES = [  # (seed, recurrent, pow2 taus, quantizer)
    (0, True, True, "global"), (1, True, False, "channel"),
    (2, False, False, "global"), (3, False, True, "channel"),
]
KEYS = ["weights_in", "weights_rec", "weights_out", "threshold", "threshold_out", "dash_mem",
        "dash_syn", "dash_mem_out", "dash_syn_out", "bias", "bias_out"]


def rockpool_case(p, quantizer):
    """rockpool's network of p, its integer spec by rockpool's mapper and quantiser, and its
    NIR export (what rockpool's exporter drops put back: xylo_reference.exported_nir)."""
    net = ref.rockpool_net(p, DT)
    spec, rock = ref.mapper_quantize(net, quantizer)
    for key in ("weight_shift_in", "weight_shift_rec", "weight_shift_out", "dt"):
        rock[key] = spec[key]  # the mapper's, which the quantisers do not return
    return rock, ref.exported_nir(net, p)


@pytest.mark.parametrize("seed,recurrent,pow2,quantizer", CASES)
def test_quantisation_equals_rockpool(tmp_path, env, seed, recurrent, pow2, quantizer):
    p = params(seed, recurrent, pow2)
    rock, exported = rockpool_case(p, quantizer)
    _, compat, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", "compat=true")
    for key in KEYS:
        np.testing.assert_array_equal(np.asarray(compat[key]), np.asarray(rock[key]), key)
    for key in ("weight_shift_in", "weight_shift_rec", "weight_shift_out", "dt"):
        assert compat[key] == rock[key], key
    # The corrected default differs only in the biases rockpool scales wrongly.
    _, fixed, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", name="fixed")
    for key in KEYS:
        if key not in ("bias", "bias_out"):
            np.testing.assert_array_equal(np.asarray(fixed[key]), np.asarray(rock[key]), key)
    for key, value in corrected_quantisation(p, quantizer).items():
        np.testing.assert_array_equal(np.asarray(fixed[key]), value, key)
    wrong = "bias_out" if quantizer == "global" else "bias"
    assert not np.array_equal(fixed[wrong], rock[wrong])


def corrected_quantisation(p, quantizer):
    """The default (corrected) quantisers of docs/targets/xylo.md in numpy: one rounding from
    the floats, biases scaled like their neuron's weights, the threshold limit rescaling only
    its own population (by 32767 / max threshold, or / |threshold| per channel)."""
    rec = p["w_rec"] if p.get("w_rec") is not None else np.zeros((len(p["th"]),) * 2)
    populations = ((np.concatenate([p["w_in"], rec], axis=1), p["th"], p["bias"]),
                   (p["w_out"], p["th_out"], p["bias_out"]))
    out = []
    for w, th, bias in populations:
        if quantizer == "global":
            s = np.full(len(th), 127 / max(np.abs(w).max(), np.abs(bias).max()))
            if np.round(th * s).max() > 32767:
                s[:] = 32767 / th.max()
        else:
            s = 127 / np.abs(w).max(axis=1)
            s = np.where(np.abs(np.round(th * s)) > 32767, 32767 / np.abs(th), s)
        out.append((np.round(w * s[:, None]), np.round(th * s), np.round(bias * s)))
    (w_hid, th, bias), (w_out, th_out, bias_out) = out
    n_in = p["w_in"].shape[1]
    return {"weights_in": w_hid[:, :n_in].T, "weights_rec": w_hid[:, n_in:].T,
            "weights_out": w_out.T, "threshold": th, "threshold_out": th_out, "bias": bias,
            "bias_out": bias_out}


@pytest.mark.parametrize("quantizer", ["global", "channel"])
def test_threshold_limit_quantisation(tmp_path, env, quantizer):
    """Thresholds above int16 after scaling: compat reproduces rockpool's limit branch
    (re-rounding rounded integers, biases left, global: the output limit also re-rounds the
    recurrent weights), the default follows the corrected formulas."""
    p = params(4, True, False)
    p["th"][:] = 2000.0
    p["th"][3] = 1500.0
    p["th_out"][:] = 1000.0
    rock, exported = rockpool_case(p, quantizer)
    assert rock["threshold"].max() == 32767 and rock["threshold_out"].max() == 32767
    _, compat, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", "compat=true")
    for key in KEYS:
        np.testing.assert_array_equal(np.asarray(compat[key]), np.asarray(rock[key]), key)
    _, fixed, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", name="fixed")
    want = corrected_quantisation(p, quantizer)
    for key, value in want.items():
        np.testing.assert_array_equal(np.asarray(fixed[key]), value, key)
    assert any(not np.array_equal(want[k], rock[k]) for k in want), "the fix must show"


ROCKPOOL_NAMES = ("1_LIFTorch", "3_LIFTorch")  # rockpool's to_nir names the neuron layers so


def simulate(tmp_path, mapped, x, env, names=ROCKPOOL_NAMES, profile="xylo-audio2"):
    hidden, out_layer = names
    inp = tmp_path / "x.npy"
    np.save(inp, x[:, None, :].astype(np.float32))
    out = tmp_path / "y.h5"
    r = nirb(["simulate", mapped, "--profile", profile, "--input", inp, "--output", out,
              "--record", hidden, "--record", f"{hidden}:v", "--record", f"{hidden}:i",
              "--record", f"{out_layer}:v", "--record", f"{out_layer}:i"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    with h5py.File(out, "r") as f:
        def get(node, obs):
            return f[f"nodes/{node}/observables/{obs}/data"][0]
        return {"out": get("output", "output"), "spikes": get(hidden, "output"),
                "v": get(hidden, "v"), "i": get(hidden, "i"), "v_out": get(out_layer, "v"),
                "i_out": get(out_layer, "i")}


def assert_same(got, want):
    for key in ("spikes", "out", "v", "i", "v_out", "i_out"):
        np.testing.assert_array_equal(got[key], want[key].reshape(got[key].shape), key)


@pytest.mark.parametrize("seed,recurrent,pow2,quantizer", CASES)
def test_emulation_equals_xylosim(tmp_path, env, seed, recurrent, pow2, quantizer):
    p = params(seed, recurrent, pow2)
    rock, exported = rockpool_case(p, quantizer)
    mapped, _, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", "compat=true")
    x = (np.random.default_rng(100 + seed).random((STEPS, 16)) < 0.1).astype(int)
    want = ref.run_xylosim(rock, x, DT)
    assert want["spikes"].sum() > 50 and want["out"].sum() > 5, "the test net must be active"
    assert_same(simulate(tmp_path, mapped, x, env), want)


def saturating_params(seed, recurrent):
    """Large weights against small thresholds and long synaptic time constants: the input
    alone drives isyn past int16 within a few steps, hidden neurons spike up to 31 times."""
    p = params(seed, recurrent, True)
    rng = np.random.default_rng(seed)
    p["w_in"] = rng.normal(0, 1.0, p["w_in"].shape)
    if recurrent:
        p["w_rec"] = rng.normal(0, 0.5, p["w_rec"].shape)
    p["w_out"] = rng.normal(0, 1.0, p["w_out"].shape)
    p["w_out"][-1] = -np.abs(p["w_out"][-1])  # an inhibited readout reaches the lower bound
    p["tau_syn"][:] = 64e-3
    p["tau_syn_out"][:] = 32e-3
    p["th"][:] = 0.25
    p["th_out"][:] = 0.5
    return p


def multi_event_input(seed):
    """Bursts of 0..40 events per channel and step (XyloSim clips at 15), with pauses."""
    rng = np.random.default_rng(seed)
    burst = rng.random((STEPS, 1)) < 0.4
    return (rng.poisson(6, (STEPS, 16)) * burst + (rng.random((STEPS, 16)) < 0.05) * 40)


def profile_variant(tmp_path, name, replace):
    """The xylo-audio2 profile file with one setting replaced (a control that must fail)."""
    text = (ROOT / "plugins" / "xylo" / "profiles" / "xylo-audio2.yaml").read_text()
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("name: xylo-audio2", f"name: {name}"))
    return path


@pytest.mark.parametrize("recurrent,quantizer", [(False, "global"), (True, "channel")])
def test_emulation_equals_xylosim_saturating(tmp_path, env, recurrent, quantizer):
    p = saturating_params(5, recurrent)
    rock, exported = rockpool_case(p, quantizer)
    mapped, _, _ = map_model(tmp_path, exported, env, f"quantizer={quantizer}", "compat=true")
    x = multi_event_input(6)
    want = ref.run_xylosim(rock, x, DT)
    # The run reaches every limit: the int16 bounds of isyn (hidden and output, both signs;
    # recorded after the step's decay), the 15-event input clip and the 31-spike cap.
    for key, dash in (("i", rock["dash_syn"][0]), ("i_out", rock["dash_syn_out"][0])):
        top, bottom = 2**15 - 1, -2**15
        assert want[key].max() == top - (top >> dash), key
        assert want[key].min() == bottom - (bottom >> dash), key
    assert x.max() > 15 and want["spikes"].max() == 31
    assert 0 < want["out"].sum() < want["out"].size
    assert_same(simulate(tmp_path, mapped, x, env), want)
    # Controls: without the per-event saturation, or without the input clip, nirb differs.
    for name, change in (("summed", ("accumulate: per_event", "accumulate: summed")),
                         ("unclipped", ("input: 15", "input: 0"))):
        got = simulate(tmp_path, mapped, x, env, profile=profile_variant(tmp_path, name, [change]))
        assert any(not np.array_equal(got[k], want[k].reshape(got[k].shape))
                   for k in ("i", "i_out")), name


def test_emulation_equals_xylosim_pinned_membrane(tmp_path, env):
    """tau_mem_out = 1.3 dt (dash_mem 0, which XYLO-E008 allows) and an inhibited readout with
    a negative bias: its membrane reaches -32768, where XyloSim's `int16_t dv = -decay(v)`
    wraps to -32768 and pins the neuron at the bound even after the inhibition fades
    (`leak_negation: wraps`); exact negation would release it."""
    p = params(5, False, True)
    p["w_out"][-1] = -3 * np.abs(p["w_out"][-1])
    p["tau_mem_out"][:] = 1.3e-3
    p["tau_syn_out"][:] = 0.5
    p["bias_out"][-1] = -2.0
    rock, exported = rockpool_case(p, "global")
    assert rock["dash_mem_out"][-1] == 0
    mapped, _, _ = map_model(tmp_path, exported, env, "quantizer=global", "compat=true")
    x = (np.random.default_rng(6).random((STEPS, 16)) < 0.3).astype(int)
    x[100:] = 0  # the inhibition fades: isyn of the readout decays towards 0
    want = ref.run_xylosim(rock, x, DT)
    v_out = want["v_out"].reshape(STEPS, -1)[:, -1]
    assert v_out.min() == -2**15 and v_out[-1] == -2**15  # pinned to the end
    assert want["i_out"].reshape(STEPS, -1)[-1, -1] > -2**15 * 0.8  # though isyn recovered
    assert_same(simulate(tmp_path, mapped, x, env), want)
    exact = profile_variant(tmp_path, "exact", [("leak_negation: wraps", "leak_negation: exact")])
    got = simulate(tmp_path, mapped, x, env, profile=exact)
    assert not np.array_equal(got["v_out"], want["v_out"].reshape(got["v_out"].shape))


def lin(rows, cols):
    return nir.Linear(weight=np.full((rows, cols), 0.1))


def _lif(g):
    g.nodes["hidden"] = nir.LIF(tau=np.full(24, 0.02), r=np.ones(24), v_leak=np.zeros(24),
                                v_threshold=np.ones(24))


def _self(g):
    g.edges.append(("hidden", "hidden"))


def _input_direct():
    g = graph(params(0, False, True, n_hid=16))  # sizes match: the graph stays valid NIR
    g.edges.append(("input", "hidden"))
    return g


def _output_from_weights(g):
    g.edges = [e for e in g.edges if e != ("out", "output")] + [("w_out", "output")]


def _weights_chain(g):
    g.nodes["w_extra"] = lin(24, 24)
    g.edges = [e for e in g.edges if e != ("w_in", "hidden")]
    g.edges += [("w_in", "w_extra"), ("w_extra", "hidden")]


def _out_recurrent(g):
    g.nodes["w_back"] = lin(24, 4)
    g.edges += [("out", "w_back"), ("w_back", "hidden")]


def _set(node, field, value):
    def mutate(g):
        setattr(g.nodes[node], field, value)
    return mutate


def _sizes(n_in=16, n_hid=24, n_out=4):
    def make():
        p = params(0, False, True, n_in=n_in, n_hid=n_hid, n_out=n_out)
        return graph(p)
    return make


def _one_layer():
    p = params(0, False, True, n_hid=4)
    return nir.NIRGraph(nodes={"input": nir.Input(input_type=np.array([16])),
                               "w_in": lin(4, 16),
                               "out": cuba(p["tau_mem"][:4], p["tau_syn"][:4], p["th"][:4],
                                           p["bias"][:4]),
                               "output": nir.Output(output_type=np.array([4]))},
                        edges=[("input", "w_in"), ("w_in", "out"), ("out", "output")])


def _affine_bias(g):
    g.nodes["w_in"] = nir.Affine(weight=g.nodes["w_in"].weight, bias=np.full(24, 0.1))


def _input_to_output(g):
    g.nodes["w_skip"] = lin(4, 16)
    g.edges += [("input", "w_skip"), ("w_skip", "out")]


RULES = [  # (code, mutation of the base graph or a whole graph, node the violation names)
    ("XYLO-E001", _lif, "hidden"),
    ("XYLO-E002", _self, "hidden"),
    ("XYLO-E003", _input_direct, "input"),
    ("XYLO-E004", _output_from_weights, "output"),
    ("XYLO-E005", _weights_chain, "w_in"),
    ("XYLO-E006", _out_recurrent, "out"),
    ("XYLO-E007", _one_layer, "out"),
    ("XYLO-E008", _set("hidden", "tau_syn", np.full(24, 0.5e-3)), "hidden"),
    ("XYLO-E009", _sizes(n_out=9), "out"),
    ("XYLO-E010", _sizes(n_hid=1001), "hidden"),
    ("XYLO-E011", _sizes(n_in=17), ""),
    ("XYLO-E012", _affine_bias, "w_in"),
    ("XYLO-E013", _set("hidden", "tau_mem", np.full(24, 2.0**16 * DT)), "hidden"),
    ("XYLO-E014", _set("out", "v_reset", np.full(4, 0.5)), "out"),
    ("XYLO-E015", _input_to_output, "w_skip"),
]


@pytest.mark.parametrize("code,mutation,node", RULES, ids=[r[0] for r in RULES])
def test_design_rule(tmp_path, env, code, mutation, node):
    if mutation.__name__ in ("make", "_one_layer", "_input_direct"):
        g = mutation()
    else:
        g = graph(params(0, False, True))
        mutation(g)
    model = tmp_path / "bad.nir"
    nir.write(model, g)
    out = tmp_path / "never.nir"
    r = nirb(["map", model, "--target", "xylo", "--json", "--option", f"dt={DT}", "-o", out],
             env)
    assert r.returncode == 1, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["failed_stage"] == "check" and not out.exists()
    hits = [v for v in report["violations"] if v["code"] == code]
    assert hits, report["violations"]
    assert hits[0].get("node", "") == node, hits
