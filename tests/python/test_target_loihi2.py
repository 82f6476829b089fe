"""The Loihi 2 target (plugins/loihi2) against Lava 0.10.0 itself.

- `nirb map --target loihi2` quantises three networks (dense LIF MLP with biases, CubaLIF,
  recurrent LIF); Lava's bit-accurate CPU model (PyLifModelBitAcc + PyDenseModelBitAcc, run
  in .venv-lava, Python 3.10, by plugins/loihi2/lava_run.py) and `nirb simulate --profile
  loihi2` give identical spikes, v and u (current) of every neuron over 300 steps.
- The netx HDF5 written by the map loads in lava-dl's own netx loader and runs to the same
  output spikes.
- The NIR paper's LIF traces recorded with Lava (CPU fixed and float) and on Loihi 2.
- Design rules: every violation reported with its code, exit 1, nothing written; the
  mapping report as text, JSON and picture.
"""
import json
import os
import pathlib
import subprocess

import h5py
import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, ROOT

BUILD = pathlib.Path(NIRB).resolve().parents[1]
LAVA_PYTHON = ROOT / ".venv-lava" / "bin" / "python"
RUNNER = ROOT / "plugins" / "loihi2" / "lava_run.py"
PAPER = ROOT / "tests" / "fixtures" / "paper" / "01_lif"
STEPS = 300

pytestmark = pytest.mark.skipif(
    not LAVA_PYTHON.exists(),
    reason="no .venv-lava (scripts/setup.sh creates it where pyenv has Python 3.10.13)")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ)
    e["NIRB_PLUGIN_PATH"] = str(BUILD / "plugins" / "loihi2")
    e["NIRB_PLUGIN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    return e


def nirb(args, env, ok=True):
    r = subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, env=env,
                       timeout=300)
    if ok:
        assert r.returncode == 0, r.stderr + r.stdout
    return r


def lif(n, rng, tau=0.01, threshold=1.0):
    return nir.LIF(tau=np.full(n, tau), r=rng.uniform(0.8, 1.2, n), v_leak=np.zeros(n),
                   v_threshold=np.full(n, threshold), v_reset=np.zeros(n))


def mlp(rng):
    """Input 8 -> Affine (biases) -> LIF 16 -> Linear -> LIF 4."""
    return nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array([8])}),
        "fc1": nir.Affine(weight=rng.normal(0.5, 1.5, (16, 8)), bias=rng.normal(0, 0.05, 16)),
        "lif1": lif(16, rng),
        "fc2": nir.Linear(weight=rng.normal(2.0, 1.5, (4, 16))),
        "lif2": lif(4, rng, tau=0.02),
        "out": nir.Output(output_type={"output": np.array([4])}),
    }, edges=[("in", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "out")])


def cuba(rng):
    """Input 6 -> Linear -> CubaLIF 10 -> Linear -> CubaLIF 3."""
    def layer(n, tau_mem):
        return nir.CubaLIF(tau_syn=np.full(n, 0.005), tau_mem=np.full(n, tau_mem),
                           r=np.ones(n), v_leak=np.zeros(n), v_threshold=np.full(n, 1.0),
                           v_reset=np.zeros(n), w_in=np.ones(n))
    return nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array([6])}),
        "fc1": nir.Linear(weight=rng.normal(4.0, 2.0, (10, 6))),
        "cuba1": layer(10, 0.01),
        "fc2": nir.Linear(weight=rng.normal(5.0, 2.0, (3, 10))),
        "cuba2": layer(3, 0.02),
        "out": nir.Output(output_type={"output": np.array([3])}),
    }, edges=[("in", "fc1"), ("fc1", "cuba1"), ("cuba1", "fc2"), ("fc2", "cuba2"),
              ("cuba2", "out")])


def recurrent(rng):
    """Input 5 -> Linear -> LIF 12 (with a recurrent Linear 12x12) -> Affine -> IF 3 (Loihi 2
    runs IF as a LIF with dv = 0 and the Affine bias as the neuron's bias)."""
    return nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array([5])}),
        "fc1": nir.Linear(weight=rng.normal(1.0, 1.5, (12, 5))),
        "rlif": lif(12, rng),
        "rec": nir.Linear(weight=rng.normal(0, 0.4, (12, 12))),
        "fc2": nir.Affine(weight=rng.normal(2.0, 1.5, (3, 12)), bias=np.full(3, 0.5)),
        "lif2": nir.IF(r=np.full(3, 50.0), v_threshold=np.ones(3), v_reset=np.zeros(3)),
        "out": nir.Output(output_type={"output": np.array([3])}),
    }, edges=[("in", "fc1"), ("fc1", "rlif"), ("rlif", "rec"), ("rec", "rlif"),
              ("rlif", "fc2"), ("fc2", "lif2"), ("lif2", "out")])


def tensor(value):
    """A metadata/field value of nirb's JSON form as numpy."""
    if isinstance(value, dict) and "$tensor" in value:
        t = value["$tensor"]
        return np.array(t["data"], dtype=float).reshape(t["shape"])
    return np.array(value, dtype=float)


def lava_spec(mapped):
    """Lava's parameters, read from the integers `nirb map` wrote into metadata."""
    nodes, edges = mapped["node"]["nodes"], mapped["node"]["edges"]
    sources = {}
    for e in edges:
        sources.setdefault(e["dst"] if isinstance(e, dict) else e[1], []).append(
            e["src"] if isinstance(e, dict) else e[0])
    pops = []
    for name, node in nodes.items():
        meta = node.get("metadata", {})
        if "loihi2.vth" not in meta:
            continue
        dense = []
        for d in sources[name]:
            dm = nodes[d]["metadata"]
            src = sources[d][0]
            dense.append({"source": "input" if nodes[src]["type"] == "Input" else src,
                          "weight": tensor(dm["loihi2.weight"]).astype(int).tolist(),
                          "weight_exp": int(tensor(dm["loihi2.weight_exp"])),
                          "num_weight_bits": int(tensor(dm["loihi2.num_weight_bits"])),
                          "sign_mode": int(tensor(dm["loihi2.sign_mode"]))})
        pops.append({"name": name, "n": len(tensor(meta["loihi2.bias_mant"])),
                     "du": int(tensor(meta["loihi2.du"])), "dv": int(tensor(meta["loihi2.dv"])),
                     "vth": int(tensor(meta["loihi2.vth"])),
                     "bias_mant": tensor(meta["loihi2.bias_mant"]).astype(int).tolist(),
                     "bias_exp": tensor(meta["loihi2.bias_exp"]).astype(int).tolist(),
                     "dense": dense})
    return {"populations": pops}


def simulate(model, spikes, records, env, tmp, profile="loihi2", options=()):
    x = tmp / f"{model.stem}.x.npy"
    np.save(x, spikes[:, None, :].astype(np.float32))
    out = tmp / f"{model.stem}.{profile}.h5"
    args = ["simulate", model, "--profile", profile, "--input", x, "--output", out, "-q"]
    for o in options:
        args += ["--profile-option", o]
    for r in records:
        args += ["--record", r]
    nirb(args, env)
    result = {}
    with h5py.File(out) as f:
        for r in records:
            node, _, state = r.partition(":")
            result[r] = f[f"nodes/{node}/observables/{state or 'output'}/data"][0]
    return result


@pytest.fixture(scope="module")
def runs(env, tmp_path_factory):
    """Map the three networks (and the MLP once more for netx), run them all in one Lava
    process and in nirb; returns {name: (spec, lava, nirb)}."""
    tmp = tmp_path_factory.mktemp("loihi2")
    rng = np.random.default_rng(17)
    jobs, cases = [], {}
    for name, build in [("mlp", mlp), ("cuba", cuba), ("recurrent", recurrent)]:
        model, mapped = tmp / f"{name}.nir", tmp / f"{name}.loihi2.json"
        nir.write(model, build(rng))
        nirb(["map", model, "--target", "loihi2", "-o", mapped], env)
        spec = lava_spec(json.loads(mapped.read_text()))
        n_in = next(len(d["weight"][0]) for p in spec["populations"] for d in p["dense"]
                    if d["source"] == "input")
        spikes = (rng.random((STEPS, n_in)) < 0.2).astype(np.int64)
        np.save(tmp / f"{name}.spikes.npy", spikes)
        (tmp / f"{name}.spec.json").write_text(json.dumps(spec))
        jobs.append({"spec": str(tmp / f"{name}.spec.json"), "spikes": str(tmp / f"{name}.spikes.npy"),
                     "out": str(tmp / f"{name}.lava.npz")})
        records = []
        for p in spec["populations"]:
            records += [p["name"], f"{p['name']}:v"]
            if name == "cuba":
                records.append(f"{p['name']}:i")
        cases[name] = (spec, tmp / f"{name}.lava.npz", simulate(mapped, spikes, records, env, tmp))
    # netx: the MLP quantised for netx, written by the map step, loaded by lava-dl
    model, mapped, net = tmp / "mlp.nir", tmp / "mlp.netx.json", tmp / "mlp.net"
    nirb(["map", model, "--target", "loihi2", "-o", mapped, "--option", "netx_compatible=true",
          "--option", f"netx={net}"], env)
    jobs.append({"netx": str(net), "spikes": str(tmp / "mlp.spikes.npy"), "out": str(tmp / "netx.npz")})
    spikes = np.load(tmp / "mlp.spikes.npy")
    cases["netx"] = (None, tmp / "netx.npz", simulate(mapped, spikes, ["lif2"], env, tmp))
    (tmp / "jobs.json").write_text(json.dumps(jobs))
    r = subprocess.run([LAVA_PYTHON, RUNNER, tmp / "jobs.json"], capture_output=True, text=True,
                       timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    return {k: (spec, dict(np.load(lava)), ours) for k, (spec, lava, ours) in cases.items()}


@pytest.mark.parametrize("name", ["mlp", "cuba", "recurrent"])
def test_loihi2_emulation_is_bit_exact_against_lava(runs, name):
    spec, lava, ours = runs[name]
    spiking = 0
    for p in spec["populations"]:
        n = p["name"]
        np.testing.assert_array_equal(ours[n], lava[f"{n}.s"], err_msg=f"{name} {n} spikes")
        np.testing.assert_array_equal(np.round(ours[f"{n}:v"] * 64), lava[f"{n}.v"],
                                      err_msg=f"{name} {n} v")
        if f"{n}:i" in ours:
            np.testing.assert_array_equal(np.round(ours[f"{n}:i"] * 64), lava[f"{n}.u"],
                                          err_msg=f"{name} {n} u")
        spiking += lava[f"{n}.s"].sum()
    assert spiking > 50  # the comparison is about a network that does something


def test_netx_file_loads_in_lava_and_gives_the_same_spikes(runs):
    _, lava, ours = runs["netx"]
    assert int(lava["layers"]) == 2
    assert lava["out.s"].sum() > 0
    np.testing.assert_array_equal(ours["lif2"], lava["out.s"])


def paper_lif(env, tmp, profile, options):
    trace = np.loadtxt(PAPER / "lif_lava_cpu_fixed.csv", delimiter=",")
    spikes = trace[:, 0:1]
    return trace, simulate(PAPER / "lif_norse.nir" if profile != "loihi2" else options[0],
                           spikes, ["1", "1:v"], env, tmp, profile, options[1:])


def test_paper_lif_lava_fixed_and_loihi2_chip(env, tmp_path):
    mapped = tmp_path / "lif.loihi2.nir"
    nirb(["map", PAPER / "lif_norse.nir", "--target", "loihi2", "-o", mapped,
          "--option", "dt=1e-4", "--option", "scale=250", "--option",
          "decay_rounding=toward_zero"], env)  # the paper's script: dv = int(163.84) = 163
    trace, ours = paper_lif(env, tmp_path, "loihi2", [mapped, "dt=1e-4"])
    v = np.round(ours["1:v"][:, 0] * 64)
    spikes = ours["1"][:, 0]
    np.testing.assert_array_equal(np.nonzero(spikes)[0], [461, 511, 711, 761])
    np.testing.assert_array_equal(spikes, trace[:, 2])
    np.testing.assert_array_equal(v, trace[:, 1])  # Lava CPU fixed point: every raw voltage
    chip = np.loadtxt(PAPER / "lif_lava_loihi_fixed.csv", delimiter=",")
    np.testing.assert_array_equal(spikes, chip[:, 2])
    differ = np.nonzero(v != chip[:, 1])[0]
    # the chip recorded 128 instead of 0 at its spike steps: its own deviation from Lava's CPU
    np.testing.assert_array_equal(differ, [461, 511, 711, 761])
    assert np.abs(v - chip[:, 1]).max() <= 128


def test_paper_lif_lava_float(env, tmp_path):
    trace = np.loadtxt(PAPER / "lif_lava_cpu_float.csv", delimiter=",")
    ours = simulate(PAPER / "lif_norse.nir", trace[:, 0:1], ["1", "1:v"], env, tmp_path,
                    "loihi2-float", ["dt=1e-4"])
    np.testing.assert_array_equal(ours["1"][:, 0], trace[:, 2])
    np.testing.assert_allclose(ours["1:v"][:, 0], trace[:, 1], rtol=1e-5, atol=1e-7)


def test_design_rules_report_every_violation_and_write_nothing(env, tmp_path):
    rng = np.random.default_rng(3)
    bad = nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array([4])}),
        "lif0": nir.LIF(tau=np.full(4, 0.01), r=np.ones(4), v_leak=np.zeros(4),   # E002
                        v_threshold=np.array([1.0, 1.0, 2.0, 1.0]),                 # E007
                        v_reset=np.full(4, 0.5)),                                    # E004
        "fc": nir.Linear(weight=rng.normal(size=(4, 4))),
        "fc2": nir.Affine(weight=rng.normal(size=(4, 4)), bias=np.ones(4)),         # E003, E006
        "cuba": nir.CubaLIF(tau_syn=np.full(4, 1e-4), tau_mem=np.full(4, 0.01),   # E005
                            r=np.ones(4), v_leak=np.zeros(4), v_threshold=np.full(4, -1.0),  # E008
                            v_reset=np.zeros(4), w_in=np.ones(4)),
        "li": nir.LI(tau=np.full(4, 0.01), r=np.ones(4), v_leak=np.zeros(4)),      # E001
        "out": nir.Output(output_type={"output": np.array([4])}),
    }, edges=[("in", "lif0"), ("lif0", "fc"), ("fc", "fc2"), ("fc2", "cuba"), ("cuba", "li"),
              ("li", "out")])
    model, out = tmp_path / "bad.nir", tmp_path / "never.nir"
    nir.write(model, bad)
    r = nirb(["map", model, "--target", "loihi2", "-o", out, "--json"], env, ok=False)
    assert r.returncode == 1
    result = json.loads(r.stdout)
    assert result["failed_stage"] == "check"
    found = {(v["code"], v["node"]) for v in result["violations"]}
    for expected in [("LOIHI2-E001", "li"), ("LOIHI2-E002", "lif0"), ("LOIHI2-E003", "fc2"),
                     ("LOIHI2-E004", "lif0"), ("LOIHI2-E005", "cuba"), ("LOIHI2-E007", "lif0"),
                     ("LOIHI2-E006", "cuba"), ("LOIHI2-E008", "cuba")]:
        assert expected in found, (expected, found)
    for v in result["violations"]:
        assert "limit:" in v["message"] and "value:" in v["message"], v
    assert not out.exists()
    # capacity: 20 neurons on 2 cores of 8
    small = tmp_path / "mlp.nir"
    nir.write(small, mlp(rng))
    r = nirb(["map", small, "--target", "loihi2", "--json", "--option", "cores=1",
              "--option", "neurons_per_core=8"], env, ok=False)
    assert ("LOIHI2-E011", "lif1") in {(v["code"], v["node"])
                                       for v in json.loads(r.stdout)["violations"]}


def test_mapping_report_text_json_and_picture(env, tmp_path):
    model = tmp_path / "mlp.nir"
    nir.write(model, mlp(np.random.default_rng(5)))
    report, picture = tmp_path / "cores.json", tmp_path / "cores.svg"
    r = nirb(["map", model, "--target", "loihi2", "--option", "neurons_per_core=6",
              "--option", f"report_json={report}", "--picture", picture], env)
    assert "4 of 128 core(s) used" in r.stdout  # lif1: 16 on 3 cores of 6, lif2: 4 on 1
    data = json.loads(report.read_text())
    assert [c["population"] for c in data["cores"]] == ["lif1"] * 3 + ["lif2"]
    assert [c["neurons"] for c in data["cores"]] == [6, 6, 4, 4]
    assert [c["synapses"] for c in data["cores"]] == [48, 48, 32, 64]
    svg = picture.read_text()  # matplotlib keeps text as text in SVG (svg.fonttype none)
    assert "<svg" in svg and "core 3: lif2" in svg and "lif1" in svg
