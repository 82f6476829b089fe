"""Plugin discovery and `nirb map` from the command line.

- Plugins that crash or hang while read (entry point, init) and a FIFO named nirb_x.so are
  reported as rejected by `nirb plugins` and do not take down `plugins`, `passes`, `detect`,
  `run` or `convert --from/--to` (issue 11 item 6).
- The same plugin file reached through two search-path entries is listed once.
- `nirb map` with the toy chip of tests/plugins/toychip: every violation located, exit 1 and
  nothing written on a failed check; quantised and mapped output otherwise; usage errors.
"""
import json
import os
import pathlib
import subprocess

import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, ROOT

BUILD = pathlib.Path(NIRB).resolve().parents[1]
HOSTILE = BUILD / "tests" / "plugins" / "hostile"
TOYCHIP = BUILD / "tests" / "plugins" / "toychip"
SNNTORCH = BUILD / "plugins" / "snntorch"
MODEL = ROOT / "examples" / "models" / "snntorch_mlp.nir"


def run(args, env, cwd=None):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


@pytest.fixture
def hostile_env(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name in ["nirb_crash_in_entry.so", "nirb_hang_in_entry.so", "nirb_crash_in_init.so",
                 "nirb_print_in_entry.so"]:
        (folder / name).symlink_to(HOSTILE / name)
    os.mkfifo(folder / "nirb_x.so")
    (folder / "nirb_dangling.so").symlink_to(tmp_path / "missing.so")
    env = dict(os.environ)
    # snntorch is also in the build tree folder nirb searches by default: reached twice.
    env["NIRB_PLUGIN_PATH"] = f"{folder}:{SNNTORCH}"
    env["NIRB_PLUGIN_CACHE"] = str(tmp_path / "cache")
    env["NIRB_PLUGIN_SCAN_TIMEOUT"] = "2"
    return env


def test_plugins_lists_hostile_files_as_rejected(hostile_env):
    r = run(["plugins", "--json"], hostile_env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    reasons = {pathlib.Path(x["path"]).name: x["reason"] for x in out["rejected"]}
    assert "crashed with signal" in reasons["nirb_crash_in_entry.so"]
    assert "crashed with signal" in reasons["nirb_crash_in_init.so"]
    assert "timed out after 2 s" in reasons["nirb_hang_in_entry.so"]
    assert "not a regular file" in reasons["nirb_x.so"]
    assert "symbolic link to nothing" in reasons["nirb_dangling.so"]
    assert len(reasons) == 5  # the snntorch plugin reached twice is no duplicate of itself
    ids = [p["id"] for p in out["plugins"]]
    assert ids.count("org.nirb.snntorch") == 1
    assert "org.nirb.test.hostile" in ids  # printed while read; stdout stayed valid JSON
    snntorch = next(p for p in out["plugins"] if p["id"] == "org.nirb.snntorch")
    assert "nirb.convention/1" in snntorch["interfaces"]


@pytest.mark.parametrize("verb", ["passes", "detect", "run", "convert"])
def test_verbs_survive_hostile_plugins(verb, hostile_env, tmp_path):
    if verb == "passes":
        args = ["passes"]
    elif verb == "detect":
        args = ["detect", MODEL]
    elif verb == "run":
        pipeline = tmp_path / "p.yaml"
        pipeline.write_text(f"nirb_pipeline: 1\ninput: {{path: {MODEL}}}\n"
                            "steps:\n  - run: nir.validate\n"
                            f"output: {{path: {tmp_path / 'run.nir'}}}\n")
        args = ["run", pipeline]
    else:
        args = ["convert", MODEL, tmp_path / "out.nir", "--from", "snntorch", "--to", "norse"]
    r = run(args, hostile_env)
    assert r.returncode == 0, r.stderr
    if verb == "passes":
        assert "snntorch.to-canonical" in r.stdout
    if verb == "detect":
        assert "snntorch" in r.stdout
    if verb in ("run", "convert"):
        assert (tmp_path / ("run.nir" if verb == "run" else "out.nir")).exists()


def lif(n, v_reset=0.0):
    return nir.LIF(tau=np.ones(n, dtype=np.float32), r=np.ones(n, dtype=np.float32),
                   v_leak=np.zeros(n, dtype=np.float32),
                   v_threshold=np.ones(n, dtype=np.float32),
                   v_reset=np.full(n, v_reset, dtype=np.float32))


def weights(rows, cols):
    return np.random.default_rng(0).standard_normal((rows, cols)).astype(np.float32)


@pytest.fixture
def chip_env(tmp_path):
    env = dict(os.environ)
    env["NIRB_PLUGIN_PATH"] = str(TOYCHIP)
    env["NIRB_PLUGIN_CACHE"] = str(tmp_path / "cache")
    return env


def test_map_good_model_writes_quantised_mapped_graph(chip_env, tmp_path):
    model = tmp_path / "good.nir"
    nir.write(model, nir.NIRGraph.from_list(
        nir.Input(np.array([3])), nir.Linear(weights(100, 3)), lif(100),
        nir.Linear(weights(10, 100)), lif(10), nir.Output(np.array([10]))))
    before = model.read_bytes()
    out = tmp_path / "mapped.json"
    r = run(["map", model, "--target", "toychip", "-o", out, "--option", "weight_bits=4"],
            chip_env)
    assert r.returncode == 0, r.stderr
    assert "toychip: 3 core(s) used" in r.stdout
    assert model.read_bytes() == before
    text = out.read_text()
    assert "toychip.cores" in text and "toychip.weight_scale" in text
    assert '"nirb.target"' in text and "toychip-int8" in text
    # The mapped graph is still NIR the reference reader loads.
    nir_out = tmp_path / "mapped.nir"
    assert run(["map", model, "--target", "toychip", "-o", nir_out], chip_env).returncode == 0
    assert nir.read(nir_out) is not None


def test_map_reports_every_violation_and_writes_nothing(chip_env, tmp_path):
    model = tmp_path / "bad.nir"
    nir.write(model, nir.NIRGraph.from_list(
        nir.Input(np.array([3])), nir.Scale(np.ones(3, dtype=np.float32)), lif(3),
        nir.Linear(weights(300, 3)), lif(300, v_reset=0.5), nir.Output(np.array([300]))))
    out = tmp_path / "mapped.nir"
    r = run(["map", model, "--target", "toychip", "-o", out, "--json"], chip_env)
    assert r.returncode == 1, r.stderr
    result = json.loads(r.stdout)
    assert result["passed"] is False and result["failed_stage"] == "check"
    located = {(v["code"], v["node"]) for v in result["violations"]}
    assert located == {("TOY-E001", "scale"), ("TOY-E002", "lif"), ("TOY-E003", "lif_1"),
                       ("TOY-E006", "lif_1")}
    assert not out.exists()
    text = run(["map", model, "--target", "toychip"], chip_env)
    assert text.returncode == 1
    assert "bad.nir: error[TOY-E003]" in text.stderr and "nothing written" in text.stderr


@pytest.mark.parametrize("extra", [["--target", "toychp"],
                                   ["--target", "toychip", "--option", "weight_bit=3"],
                                   ["--target", "toychip", "--option", "weight_bits=30"],
                                   ["--target", "toychip", "--option", "novalue"],
                                   []])
def test_map_usage_errors_exit_2(extra, chip_env):
    r = run(["map", MODEL, *extra], chip_env)
    assert r.returncode == 2, r.stderr


def test_map_refuses_to_overwrite_its_input(chip_env, tmp_path):
    model = tmp_path / "m.nir"
    model.write_bytes(MODEL.read_bytes())
    r = run(["map", model, "--target", "toychip", "-o", model, "--force"], chip_env)
    assert r.returncode == 2 and "is the input model" in r.stderr
    assert model.read_bytes() == MODEL.read_bytes()


def test_plugins_lists_the_target(chip_env):
    out = json.loads(run(["plugins", "--json"], chip_env).stdout)
    # The first-party targets (plugins/xylo, ...) are found next to the binary as well.
    toy = [t for t in out["targets"] if t["target"] == "toychip"]
    assert len(toy) == 1 and toy[0]["check"] == "toychip.check"
    text = run(["plugins"], chip_env).stdout
    assert f"hardware targets ({len(out['targets'])}):" in text
    assert "toychip.check -> toychip.quantize" in text
    assert "offers: nirb.passes/1, nirb.target/1" in text


def test_plugin_validate_checks_the_target(chip_env):
    r = run(["plugin", "validate", TOYCHIP / "nirb_toychip.so"], chip_env)
    assert r.returncode == 0, r.stdout
    assert "ok    hardware target: target 'toychip'" in r.stdout
    bad = run(["plugin", "validate", BUILD / "tests" / "plugins" / "nirb_badtarget.so"],
              chip_env)
    assert bad.returncode == 1
    assert "bad nirb.target/1 table: struct_size 8" in bad.stdout


def test_plugin_validate_contains_crashes(chip_env):
    r = run(["plugin", "validate", BUILD / "tests" / "plugins" / "crash" / "nirb_testcrash.so"],
            chip_env)
    assert r.returncode == 1
    assert "FAIL  testcrash.segfault: empty graph: crashed with signal 11" in r.stdout
    entry = run(["plugin", "validate", HOSTILE / "nirb_crash_in_entry.so"], chip_env)
    assert entry.returncode == 1
    assert "FAIL  descriptor: rejected: the plugin crashed with signal 11" in entry.stdout
