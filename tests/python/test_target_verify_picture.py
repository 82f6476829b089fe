"""What every hardware target shares: `nirb map --verify` and `nirb map --picture`.

- --verify on loihi2, spinnaker2, xylo and speck: the float model and the quantised, mapped
  graph on the same random spikes; the numbers equal an independent recomputation from two
  `nirb simulate` runs (loihi2), text and JSON agree, the float profile is the one the
  target names when the model names none, and --min-agreement / --min-correlation turn the
  report into a check (exit 1 below, 0 above).
- --picture writes a valid PNG or SVG for every target from its core loads (graph metadata
  nirb.target.cores), replaces an existing file only with --force, and refuses other
  extensions before anything runs.
- Loihi 2 design rules LOIHI2-E009 (weights not a matrix) and LOIHI2-E010 (one neuron's
  synapses exceed a core), which need no Lava.
"""
import json
import os
import pathlib
import subprocess

import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, ROOT
from test_target_loihi2 import lif, mlp as loihi2_mlp

REAL = ROOT / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ)
    e["NIRB_PLUGIN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    return e


def nirb(args, env):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=300)


def mlp(path):
    """Input 8 -> Affine -> LIF 16 -> Linear -> LIF 4 (Loihi 2 and SpiNNaker2 map it)."""
    nir.write(path, loihi2_mlp(np.random.default_rng(5)))
    return path


def xylo_net(path):
    """Input 16 -> Linear -> CubaLIF 24 (hidden) -> Linear -> CubaLIF 4 (output)."""
    rng = np.random.default_rng(1)

    def cuba(n):
        return nir.CubaLIF(tau_mem=np.full(n, 16e-3), tau_syn=np.full(n, 8e-3), r=np.ones(n),
                           v_leak=np.zeros(n), v_threshold=np.full(n, 0.3), v_reset=np.zeros(n),
                           w_in=np.ones(n))
    nir.write(path, nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array([16])}),
        "w1": nir.Linear(weight=rng.normal(0, 0.4, (24, 16))), "hid": cuba(24),
        "w2": nir.Linear(weight=rng.normal(0, 0.1, (4, 24))), "outn": cuba(4),
        "out": nir.Output(output_type={"output": np.array([4])}),
    }, edges=[("in", "w1"), ("w1", "hid"), ("hid", "w2"), ("w2", "outn"), ("outn", "out")]))
    return path


def model_for(target, tmp_path):
    """Fixture files where one fits the target: Norse's LIF for Loihi 2, the NIR paper's
    Braille RNN for SpiNNaker2 (the network it ran there) and Sinabs CNN for Speck; no fixture
    has Xylo's hidden + output CubaLIF structure, so its net is built here."""
    return {"loihi2": REAL / "lif_norse.nir",
            "spinnaker2": REAL / "braille_noDelay_noBias_subtract.nir",
            "speck": REAL / "cnn_sinabs.nir"}.get(target) or xylo_net(tmp_path / "xylo.nir")


# float profile each target's quantiser reads the model with (the models name none)
FLOAT_PROFILE = {"loihi2": "canonical-euler", "spinnaker2": "canonical-euler",
                 "xylo": "rockpool", "speck": "sinabs"}
EMULATION = {"loihi2": "loihi2", "spinnaker2": "spinnaker2", "xylo": "xylo-audio2",
             "speck": "speck"}


@pytest.mark.parametrize("target", ["loihi2", "spinnaker2", "xylo", "speck"])
def test_verify_reports_float_vs_quantised_per_output_and_layer(target, env, tmp_path):
    model = model_for(target, tmp_path)
    r = nirb(["map", model, "--target", target, "--verify", "--json"], env)
    assert r.returncode == 0, r.stderr + r.stdout
    v = json.loads(r.stdout)["verify"]
    assert (v["steps"], v["batch"], v["seed"], v["rate"]) == (300, 1, 0, 0.2)
    assert v["float_profile"].startswith(FLOAT_PROFILE[target] + " ")
    assert v["quantised_profile"].startswith(EMULATION[target] + " ")
    assert v["met"] and v["failure"] == "" and v["min_agreement"] is None
    pops = v["populations"]
    assert pops[0]["type"] == "Output" and all(p["type"] != "Output" for p in pops[1:])
    for p in pops:
        assert 0 <= p["agreement"] <= 1 and p["slots"] > 0
        assert p["agreement"] == pytest.approx(1 - p["differing"] / p["slots"])
    assert v["agreement"] == pops[0]["agreement"]  # one Output
    assert any(p["float_spikes"] > 0 and p["quantised_spikes"] > 0 for p in pops)
    # the text report says the same
    text = nirb(["map", model, "--target", target, "--verify"], env)
    assert text.returncode == 0
    assert f"spike agreement {v['agreement']:.6f}" in text.stdout
    assert "float:     " + v["float_profile"] in text.stdout
    assert "quantised: " + v["quantised_profile"] in text.stdout


def test_verify_numbers_equal_two_independent_simulations(env, tmp_path):
    """loihi2: map --verify against `nirb simulate` of the model (canonical-euler at the
    target's step, 1 ms) and of the mapped graph (loihi2), same random spikes."""
    model, mapped = mlp(tmp_path / "mlp.nir"), tmp_path / "mlp.loihi2.nir"
    r = nirb(["map", model, "--target", "loihi2", "-o", mapped, "--json", "--verify",
              "--seed", 7, "--verify-steps", 250, "--verify-batch", 2], env)
    assert r.returncode == 0, r.stderr
    v = json.loads(r.stdout)["verify"]
    runs = {}
    for name, graph, profile in [("f", model, ["--profile", "canonical-euler",
                                               "--profile-option", "dt=1e-3"]),
                                 ("q", mapped, ["--profile", "loihi2"])]:
        out = tmp_path / f"{name}.h5"
        s = nirb(["simulate", graph, *profile, "--input", "random:0.2", "--steps", 250,
                  "--batch", 2, "--seed", 7, "--record", "lif1", "--output", out, "-q"], env)
        assert s.returncode == 0, s.stderr
        import h5py
        with h5py.File(out) as f:
            runs[name] = {n: f[f"nodes/{n}/observables/output/data"][()] for n in ("out", "lif1")}
    for p in v["populations"]:
        f, q = runs["f"][p["node"]], runs["q"][p["node"]]  # (batch, steps, neurons)
        assert p["differing"] == int(((f > 0) != (q > 0)).sum())
        cf, cq = f.sum(axis=1).ravel(), q.sum(axis=1).ravel()
        assert (p["float_spikes"], p["quantised_spikes"]) == (cf.sum(), cq.sum())
        assert p["count_correlation"] == pytest.approx(np.corrcoef(cf, cq)[0, 1], abs=1e-9)
    assert v["agreement"] < 1  # the quantised graph really differs (weights rounded to zero)


def test_thresholds_turn_the_report_into_a_check(env, tmp_path):
    model = xylo_net(tmp_path / "xylo.nir")
    base = ["map", model, "--target", "xylo", "--json"]
    v = json.loads(nirb([*base, "--verify"], env).stdout)["verify"]
    a, c = v["agreement"], v["count_correlation"]
    assert 0 < a < 1 and c is not None
    ok = nirb([*base, "--min-agreement", a - 1e-3, "--min-correlation", c - 1e-3], env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["verify"]["met"]
    low = nirb([*base, "--min-agreement", min(1, a + 1e-3)], env)  # implies --verify
    assert low.returncode == 1
    assert "--min-agreement" in json.loads(low.stdout)["verify"]["failure"]
    text = nirb(["map", model, "--target", "xylo", "--min-correlation", min(1, c + 1e-3),
                 "-o", tmp_path / "mapped.nir"], env)
    assert text.returncode == 1 and "below the threshold" in text.stderr
    assert (tmp_path / "mapped.nir").exists()  # the mapping is fine; the check failed
    assert nirb([*base, "--min-agreement", 1.5], env).returncode == 2


@pytest.mark.parametrize("target, ext", [("loihi2", "png"), ("spinnaker2", "svg"),
                                         ("xylo", "svg"), ("speck", "png")])
def test_picture_is_a_valid_png_or_svg_for_every_target(target, ext, env, tmp_path):
    model, picture = model_for(target, tmp_path), tmp_path / f"cores.{ext}"
    mapped = tmp_path / "mapped.json"
    r = nirb(["map", model, "--target", target, "--picture", picture, "-o", mapped], env)
    assert r.returncode == 0, r.stderr + r.stdout
    assert f"drew {picture}" in r.stdout
    data = picture.read_bytes()
    if ext == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    else:
        import xml.etree.ElementTree as ET
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert "resources per used core" in data.decode()
    # the core loads the picture was drawn from: every used core with at least one limit
    loads = json.loads(json.loads(mapped.read_text())["node"]["metadata"]["nirb.target.cores"])
    assert loads["cores_available"] >= len(loads["cores"]) > 0
    for core in loads["cores"]:
        assert any(res["limit"] > 0 and 0 <= res["used"] for res in core["resources"]), core
    # no temporary left next to the picture
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # an existing picture is replaced only with --force
    again = nirb(["map", model, "--target", target, "--picture", picture], env)
    assert again.returncode == 1 and "exists" in again.stderr
    forced = nirb(["map", model, "--target", target, "--picture", picture, "--force"], env)
    assert forced.returncode == 0
    # a refused -o leaves no picture behind (both are checked before anything runs)
    other = tmp_path / f"other.{ext}"
    refused = nirb(["map", model, "--target", target, "--picture", other, "-o", mapped], env)
    assert refused.returncode == 1 and not other.exists()


def test_picture_extension_is_checked_before_anything_runs(env, tmp_path):
    model = mlp(tmp_path / "mlp.nir")
    r = nirb(["map", model, "--target", "loihi2", "--picture", tmp_path / "cores.pdf",
              "-o", tmp_path / "never.nir"], env)
    assert r.returncode == 2 and ".png or .svg" in r.stderr
    assert not (tmp_path / "never.nir").exists() and not (tmp_path / "cores.pdf").exists()


def test_loihi2_rules_e009_and_e010(env, tmp_path):
    rng = np.random.default_rng(2)
    shape = (4, 2)  # a Linear of 3-D weights: valid NIR (batched), no Dense on Loihi 2
    bad = tmp_path / "e009.nir"
    nir.write(bad, nir.NIRGraph(nodes={
        "in": nir.Input(input_type={"input": np.array(shape)}),
        "fc": nir.Linear(weight=rng.normal(size=(4, 2, 2))), "lif": lif(shape, rng),
        "out": nir.Output(output_type={"output": np.array(shape)}),
    }, edges=[("in", "fc"), ("fc", "lif"), ("lif", "out")], type_check=False))
    r = nirb(["map", bad, "--target", "loihi2", "--json"], env)
    result = json.loads(r.stdout)
    assert r.returncode == 1 and result["failed_stage"] == "check", result
    e009 = [v for v in result["violations"] if v["code"] == "LOIHI2-E009"]
    assert [v["node"] for v in e009] == ["fc"] and "value: 3" in e009[0]["message"]
    # E010: 8 and 16 synapses per neuron against a core of 4; every layer reported
    r = nirb(["map", mlp(tmp_path / "mlp.nir"), "--target", "loihi2", "--json", "--option",
              "synapses_per_core=4"], env)
    found = [(v["code"], v["node"], v["message"]) for v in json.loads(r.stdout)["violations"]]
    assert r.returncode == 1
    assert [(c, n) for c, n, _ in found] == [("LOIHI2-E010", "lif1"), ("LOIHI2-E010", "lif2")]
    assert "limit: 4 synapses per core; value: 8 synapses" in found[0][2]
