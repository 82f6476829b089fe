"""`nirb profiles` and `nirb simulate --profile-option` as a user sees them: the listing
names each profile's origin and keys, options change the run exactly like the same key in a
profile file, bad options are usage errors (exit 2) with a "did you mean", and a file in the
current folder never replaces a built-in profile name."""
import json
import subprocess

import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB


def run(*args, cwd=None):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def model(tmp_path):
    n = 3
    graph = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([n])),
            "fc": nir.Linear(weight=np.eye(n, dtype=np.float32) * 0.6),
            "lif": nir.LIF(tau=np.full(n, 2e-3), r=np.full(n, 20.0), v_leak=np.zeros(n),
                           v_threshold=np.ones(n), v_reset=np.zeros(n)),
            "output": nir.Output(output_type=np.array([n])),
        },
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "output")],
    )
    path = tmp_path / "model.nir"
    nir.write(path, graph)
    return path


def simulate(model, out, *extra, cwd=None):
    return run("simulate", model, "--input", "random:0.5", "--steps", 200, "--batch", 2,
               "--seed", 3, "--output", out, "-q", *extra, cwd=cwd)


def test_profiles_lists_origin_and_options():
    r = run("profiles", "--json")
    assert r.returncode == 0, r.stderr
    profiles = {p["name"]: p for p in json.loads(r.stdout)}
    assert profiles["canonical-euler"]["origin"] == "built-in"
    assert profiles["snntorch"]["origin"] != "built-in"  # registered by the snnTorch plugin
    reset = {o["key"]: o for o in profiles["snntorch"]["options"]}["reset"]
    assert reset["value"] == "subtract" and "to_v_reset" in reset["choices"]
    text = run("profiles")
    assert text.returncode == 0 and "canonical-exact  (built-in)" in text.stdout


def test_profile_option_equals_the_same_key_in_a_file(model, tmp_path):
    variant = tmp_path / "variant.yaml"
    variant.write_text("nirb_profile: 1\nname: v\nbase: canonical-euler\ndt: 5.0e-4\n"
                       "reset: subtract\n")
    assert simulate(model, tmp_path / "file.npy", "--profile", variant).returncode == 0
    r = simulate(model, tmp_path / "opt.npy", "--profile-option", "dt=5e-4",
                 "--profile-option", "reset=subtract")
    assert r.returncode == 0, r.stderr
    base = simulate(model, tmp_path / "base.npy")
    assert base.returncode == 0, base.stderr
    file_out, opt_out = np.load(tmp_path / "file.npy"), np.load(tmp_path / "opt.npy")
    assert np.array_equal(file_out, opt_out)
    assert not np.array_equal(opt_out, np.load(tmp_path / "base.npy"))  # the option acted


@pytest.mark.parametrize("option, message", [
    ("reset=subtrakt", "did you mean 'subtract'?"),
    ("rset=none", "did you mean 'reset'?"),
    ("dt=fast", "'dt' must be a number"),
    ("dt", "is not KEY=VALUE"),
])
def test_bad_profile_option_is_a_usage_error(model, tmp_path, option, message):
    r = simulate(model, tmp_path / "y.npy", "--profile-option", option)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert not (tmp_path / "y.npy").exists()


def test_a_file_in_the_current_folder_does_not_replace_a_profile(model, tmp_path):
    (tmp_path / "canonical-euler").write_text("nirb_profile: 1\nname: canonical-euler\n"
                                              "dt: 0.5\n")
    r = simulate(model, tmp_path / "a.npy", "--profile", "canonical-euler", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert simulate(model, tmp_path / "b.npy").returncode == 0
    assert np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    explicit = simulate(model, tmp_path / "c.npy", "--profile", "./canonical-euler",
                        cwd=tmp_path)
    assert explicit.returncode == 0, explicit.stderr
    assert not np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "c.npy"))
