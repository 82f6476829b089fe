"""The API of the installed package: stubs, plugins and profiles found inside the package,
diagnostics as objects, errors as exceptions, simulation equal to `nirb simulate`."""

import ast
import os
import pathlib
import subprocess

import numpy as np
import pytest

import nirb
from conftest import FIXTURES, ROOT


def nirb_bin():
    return os.environ.get("NIRB_BIN", str(ROOT / "build" / "tools" / "nirb"))


def stub_names(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
    return names


def test_stubs_match_the_module(installed_package):
    from nirb import _nirb

    assert (installed_package / "py.typed").exists()
    stubbed = stub_names(installed_package / "_nirb.pyi")
    built = {n for n in dir(_nirb) if not n.startswith("__") or n == "__version__"}
    assert stubbed == built


def test_plugins_and_profiles_come_from_the_package(installed_package):
    ours = [p for p in nirb.plugins() if not p.builtin]
    assert {"snntorch", "norse"} <= set(nirb.frameworks())
    for p in ours:
        assert pathlib.Path(p.path).resolve().parent == installed_package / "plugins", p
    assert nirb.rejected_plugins() == []
    names = {p.name: p for p in nirb.profiles()}
    assert {"canonical-euler", "canonical-exact", "snntorch", "norse"} <= set(names)
    assert names["canonical-euler"].origin == "built-in"
    assert not names["canonical-euler"].error


def test_read_write_and_diagnostics(tmp_path):
    graph = nirb.read(FIXTURES / "reference" / "legacy_no_v_reset.nir")
    codes = [d.code for d in graph.read_diagnostics]
    assert codes, "a legacy file without v_reset is reported"
    d = graph.read_diagnostics[0]
    assert d.severity in ("note", "warning", "error") and d.message and d.code in str(d)
    nirb.write(graph, tmp_path / "copy.json")
    assert nirb.read(tmp_path / "copy.json") == graph
    with pytest.raises(nirb.NirbError):
        nirb.write(graph, tmp_path / "copy.json", overwrite=False)


def test_validate_reports_like_the_cli():
    path = FIXTURES / "reference" / "auto_io.nir"
    ours = nirb.validate(path, reference_compatible=True)
    out = subprocess.run([nirb_bin(), "validate", "--json", "--reference-compatible", str(path)],
                         capture_output=True, text=True)
    import json

    theirs = json.loads(out.stdout)["diagnostics"]
    assert [(d.code, d.node_path) for d in ours] == [(d["code"], d.get("node", d.get("node_path", "")))
                                                    for d in theirs]


def test_validate_finds_problems_in_memory():
    import nir

    graph = nir.NIRGraph(nodes={"in": nir.Input(np.array([3])), "lif": nir.LIF(
        tau=np.ones(3), r=np.ones(3), v_leak=np.zeros(3), v_threshold=np.ones(3)),
        "out": nir.Output(np.array([3]))}, edges=[("in", "lif"), ("lif", "nowhere")],
        type_check=False)
    problems = nirb.validate(graph)
    assert any(d.severity == "error" and "nowhere" in d.message for d in problems), problems
    analysis = nirb.analyze(graph)
    assert analysis.diagnostics and set(analysis.nodes) == {"in", "lif", "out"}


def test_analyze_orders_and_finds_cycles():
    a = nirb.analyze(nirb.read(FIXTURES / "reference" / "recurrent.nir"))
    assert a.cycles and a.execution_order and len(a.nodes) == len(a.input_shapes)


def test_errors_are_exceptions_with_the_message(tmp_path):
    with pytest.raises(nirb.NirbError, match="missing.nir"):
        nirb.read(tmp_path / "missing.nir")
    (tmp_path / "junk.nir").write_bytes(b"not an hdf5 file")
    with pytest.raises(nirb.NirbError, match="junk.nir"):
        nirb.read(tmp_path / "junk.nir")
    graph = nirb.read(FIXTURES / "reference" / "prim_LIF.nir")
    with pytest.raises(nirb.UsageError, match="no plugin offers framework 'keras'"):
        nirb.convert(graph, source="keras", target="norse")
    with pytest.raises(nirb.NirbError, match="unknown profile"):
        nirb.simulate(graph, np.zeros((2, 1, 1), np.float32), profile="no-such-profile")
    with pytest.raises(TypeError):
        nirb.from_nir(42)


def test_simulate_equals_the_cli(tmp_path):
    path = FIXTURES / "reference" / "prim_LIF.nir"
    graph = nirb.read(path)
    shape = graph.to_dict()["nodes"]["input"]["shape"].tolist()
    rng = np.random.default_rng(3)
    x = (rng.random((50, 2, *shape)) < 0.3).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([nirb_bin(), "simulate", str(path), "--profile", "snntorch", "--input",
                    str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy"), "-q"],
                   check=True)
    ours = nirb.simulate(graph, x, profile="snntorch")
    assert list(ours) == ["output"]
    assert np.array_equal(ours["output"], np.load(tmp_path / "y.npy"))
    recorded = nirb.simulate(graph, {"input": x}, profile="snntorch", record=["lif:v"])
    assert recorded["lif:v"].shape == (50, 2, *shape)
    with pytest.raises(nirb.NirbError, match="input"):
        nirb.simulate(graph, x[:, :, :1] if shape[0] > 1 else np.zeros((50, 2, 7), np.float32))


@pytest.mark.parametrize("name", ["lif_norse.nir", "braille_noDelay_bias_zero.nir"])
def test_detect_scores_like_the_cli(name):
    import json

    path = FIXTURES / "real" / name
    ours = nirb.detect(nirb.read(path))
    out = subprocess.run([nirb_bin(), "detect", "--json", str(path)], capture_output=True,
                         text=True, check=True)
    theirs = json.loads(out.stdout)["scores"]
    assert [(s.framework, s.score, s.evidence) for s in ours] == \
        [(s["framework"], s["score"], s["evidence"]) for s in theirs]
    assert ours[0].score > 0
