"""The command line as a new user meets it (issue 19's list): each rough edge it had, checked
from the outside. Graphs are written with nir 1.0.7 itself where nir's behaviour matters."""
import json
import re
import subprocess

import h5py
import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, ROOT


def run(*args):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True)


def write(path, nodes, edges):
    nir.write(str(path), nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))
    return path


def codes(proc):
    return {d["code"] for d in json.loads(proc.stdout)["diagnostics"]}


def affine_graph(path, bias, n_in=4, n_out=3):
    w = np.ones((n_out, n_in), np.float32)
    return write(path, {"in": nir.Input(input_type=np.array([n_in])),
                        "aff": nir.Affine(weight=w, bias=np.asarray(bias, np.float32)),
                        "out": nir.Output(output_type=np.array([n_out]))},
                 [("in", "aff"), ("aff", "out")])


# 1. An unknown verb is named, with the closest one suggested.
def test_unknown_verb_is_named_with_a_suggestion():
    r = run("vaildate", "x.nir")
    assert r.returncode == 2
    assert "unknown command 'vaildate'" in r.stderr
    assert "did you mean 'validate'?" in r.stderr
    assert "A subcommand is required" not in r.stderr


# 2. --json always prints one JSON object, also for a file that cannot be read.
@pytest.mark.parametrize("verb", ["info", "validate", "detect", "diff"])
@pytest.mark.parametrize("content", [None, b"not an hdf5 file\n", b""],
                         ids=["missing", "text", "empty"])
def test_json_modes_print_json_for_unreadable_files(verb, content, tmp_path):
    path = tmp_path / "bad.nir"
    if content is not None:
        path.write_bytes(content)
    extra = [path] if verb == "diff" else []
    r = run(verb, path, *extra, "--json")
    assert r.returncode == 1
    j = json.loads(r.stdout)
    assert j["file"] == str(path) and j["ok"] is False and j["error"]
    assert isinstance(j["diagnostics"], list)


# 3. --strict says what it reproduces: nir.read(type_check=False). A graph whose types do not
# line up is rejected by plain nir.read() and read by nir.read(type_check=False); nirb's
# --strict reading accepts it like the latter, and validate --strict --reference-compatible
# rejects it like the former.
def test_strict_is_type_check_false_and_says_so(tmp_path):
    for verb in ("info", "convert", "validate"):
        assert "type_check=False" in run(verb, "--help").stdout
    path = write(tmp_path / "mismatch.nir",
                 {"in": nir.Input(input_type=np.array([3])),
                  "aff": nir.Linear(weight=np.ones((2, 4), np.float32)),
                  "out": nir.Output(output_type=np.array([2]))},
                 [("in", "aff"), ("aff", "out")])
    with pytest.raises(Exception):
        nir.read(str(path))
    nir.read(str(path), type_check=False)
    assert run("info", path, "--strict").returncode == 0
    assert run("validate", path, "--strict", "--reference-compatible").returncode == 1


# 5. A bad --from-option value is a usage error (exit 2) with one "error:".
def test_bad_from_option_value_is_a_usage_error(tmp_path):
    src = ROOT / "examples" / "models" / "snntorch_mlp.nir"
    r = run("convert", src, tmp_path / "out.nir", "--from", "snntorch", "--to", "norse",
            "--from-option", "reset_delay=maybe")
    assert r.returncode == 2, r.stderr
    assert "error: error:" not in r.stderr
    assert "reset_delay" in r.stderr
    assert not (tmp_path / "out.nir").exists()


# 6. The help describes convert's main job, and every verb (or sub-verb: plugin validate ->
# plugin-validate.md) has its guide page.
def subcommands(help_text):
    if "Subcommands:" not in help_text:
        return []
    return re.findall(r"^  (\w[\w-]*)\s", help_text.split("Subcommands:")[-1], re.M)


def test_help_describes_convert_and_every_verb_has_a_guide():
    r = run("--help")
    line = next(l for l in r.stdout.splitlines() if l.strip().startswith("convert"))
    assert "framework" in line and "--from" in line
    verbs = subcommands(r.stdout)
    assert "draw" in verbs and "diff" in verbs
    pages = []
    for verb in verbs:
        subs = subcommands(run(verb, "--help").stdout)
        pages += [f"{verb}-{s}.md" for s in subs] or [f"{verb}.md"]
    assert "plugin-validate.md" in pages
    missing = [p for p in pages if not (ROOT / "docs" / "cli" / p).exists()]
    assert missing == []


# 7. Diagnostics that contradicted what a user sees.
def test_w109_not_for_a_single_channel_image_into_a_conv(tmp_path):
    conv = nir.Conv2d(input_shape=(8, 8), weight=np.ones((4, 1, 3, 3), np.float32),
                      stride=1, padding=0, dilation=1, groups=1, bias=np.zeros(4, np.float32))
    image = write(tmp_path / "image.nir", {"in": nir.Input(input_type=np.array([1, 8, 8])),
                                           "conv": conv,
                                           "out": nir.Output(output_type=np.array([4, 6, 6]))},
                  [("in", "conv"), ("conv", "out")])
    assert "NIRB-W109" not in codes(run("validate", image, "--json"))
    batch = write(tmp_path / "batch.nir",
                  {"in": nir.Input(input_type=np.array([1, 4])),
                   "aff": nir.Affine(weight=np.ones((3, 4), np.float32),
                                     bias=np.zeros(3, np.float32)),
                   "out": nir.Output(output_type=np.array([3]))},
                  [("in", "aff"), ("aff", "out")])
    assert "NIRB-W109" in codes(run("validate", batch, "--json"))


def test_w104_and_w108_texts_match_what_info_shows(tmp_path):
    path = write(tmp_path / "scalar.nir",
                 {"in": nir.Input(input_type=np.array([3])),
                  "lif": nir.LIF(tau=np.float32(0.01), r=np.float32(1), v_leak=np.float32(0),
                                 v_threshold=np.float32(1)),
                  "out": nir.Output(output_type=np.array([3]))},
                 [("in", "lif"), ("lif", "out")])
    info = json.loads(run("info", path, "--json").stdout)
    w104 = [d for d in info["diagnostics"] if d["code"] == "NIRB-W104"]
    assert w104 and "nir 1.0.7" in w104[0]["message"]
    assert "the node's type is the empty shape" not in w104[0]["message"]
    # What info shows for the node is the broadcast shape, as the message now says.
    assert "[3]" in run("info", path).stdout
    conv = write(tmp_path / "conv.nir",
                 {"in": nir.Input(input_type=np.array([2, 8, 8])),
                  "conv": nir.Conv2d(input_shape=(8, 8), weight=np.ones((4, 2, 3, 3), np.float32),
                                     stride=1, padding=0, dilation=1, groups=1,
                                     bias=np.zeros(4, np.float32)),
                  "out": nir.Output(output_type=np.array([4, 6, 6]))},
                 [("in", "conv"), ("conv", "out")])
    with h5py.File(conv, "a") as f:
        del f["node/nodes/conv/input_shape"]
    w108 = [d for d in json.loads(run("validate", conv, "--json").stdout)["diagnostics"]
            if d["code"] == "NIRB-W108"]
    assert w108 and "2023" not in w108[0]["message"]


def test_bool_parameters_warn_like_integer_ones(tmp_path):
    path = write(tmp_path / "bool.nir",
                 {"in": nir.Input(input_type=np.array([2])),
                  "t": nir.Threshold(threshold=np.ones(2, np.float32)),
                  "out": nir.Output(output_type=np.array([2]))},
                 [("in", "t"), ("t", "out")])
    with h5py.File(path, "a") as f:
        del f["node/nodes/t/threshold"]
        f["node/nodes/t/threshold"] = np.array([True, True])
    diags = json.loads(run("validate", path, "--json").stdout)["diagnostics"]
    w105 = [d for d in diags if d["code"] == "NIRB-W105"]
    assert w105 and "bool" in w105[0]["message"]


# 8. The two Affine graphs of nir's own test suite: nir reads both.
def test_affine_bias_cases_from_nirs_tests(tmp_path):
    short = affine_graph(tmp_path / "short.nir", [1.0, 2.0])  # 2 values for 3 outputs
    ranked = affine_graph(tmp_path / "ranked.nir", [[1.0, 2.0, 3.0]])  # [1, 3] for [3]
    for path in (short, ranked):
        nir.read(str(path))  # nir 1.0.7 accepts both
    r = run("validate", short, "--json")
    assert r.returncode == 1 and "NIRB-E408" in codes(r)
    r = run("validate", short, "--json", "--reference-compatible")
    assert r.returncode == 0 and "NIRB-W408" in codes(r) and "NIRB-E408" not in codes(r)
    for mode in ([], ["--reference-compatible"]):
        r = run("validate", ranked, "--json", *mode)
        assert r.returncode == 0 and "NIRB-W408" in codes(r)
