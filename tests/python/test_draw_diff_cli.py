"""`nirb draw` and `nirb diff` from the command line: pictures that parse (SVG by an XML
parser, DOT by Graphviz), name every node and have no overlapping node boxes on the real
files; diffs that report exactly what was edited, with exit 0 / 1."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import nir
import numpy as np
import pytest

from test_roundtrip_nir import NIRB, ROOT

SVG = "{http://www.w3.org/2000/svg}"


def real_file(name):
    """A real exported file of the repository's fixtures."""
    return ROOT / "tests" / "fixtures" / "real" / name


REAL = ["cnn_sinabs.nir", "braille_subgraph.nir", "braille_noDelay_bias_zero.nir"]


def run(*args):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True)


def leaf_names(path):
    """Every leaf node name of a .nir file, as nir 1.0.7 reads it (nested graphs expanded)."""
    import h5py

    names = []

    def walk(group):
        for name, child in group["nodes"].items():
            if child["type"][()].decode() == "NIRGraph":
                walk(child)
            else:
                names.append(name)

    with h5py.File(path, "r") as f:
        walk(f["node"])
    return names


def boxes(svg_root):
    """Bounding box of each node's outline in the SVG (polygon or path), by node title."""
    out = {}
    for g in svg_root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        shape = g.find(f".//{SVG}polygon")
        if shape is None:
            shape = g.find(f".//{SVG}path")
        numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?",
                                                shape.get("points") or shape.get("d"))]
        xs, ys = numbers[0::2], numbers[1::2]
        out[g.find(f"{SVG}title").text] = (min(xs), min(ys), max(xs), max(ys))
    return out


@pytest.mark.parametrize("name", REAL)
def test_svg_parses_names_every_node_and_boxes_do_not_overlap(name, tmp_path):
    src = real_file(name)
    out = tmp_path / "g.svg"
    r = run("draw", src, "-o", out)
    assert r.returncode == 0, r.stderr
    root = ET.parse(out).getroot()  # well-formed XML
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for leaf in leaf_names(src):
        assert leaf in texts, f"node {leaf} not drawn"
    b = boxes(root)
    assert len(b) == len(leaf_names(src))
    items = list(b.items())
    for i, (na, (ax0, ay0, ax1, ay1)) in enumerate(items):
        for nb, (bx0, by0, bx1, by1) in items[i + 1:]:
            overlap = min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5
            assert not overlap, f"{na} and {nb} overlap"


def test_dot_parses_with_graphviz_and_mermaid_names_nodes(tmp_path):
    src = real_file("braille_subgraph.nir")
    assert run("draw", src, "-o", tmp_path / "g.dot").returncode == 0
    text = (tmp_path / "g.dot").read_text()
    assert text.startswith("digraph") and "subgraph cluster_" in text and "t-1" in text
    if shutil.which("dot"):
        r = subprocess.run(["dot", "-Tsvg", str(tmp_path / "g.dot")], capture_output=True)
        assert r.returncode == 0, r.stderr
    assert run("draw", src, "-o", tmp_path / "g.mmd").returncode == 0
    mmd = (tmp_path / "g.mmd").read_text()
    assert mmd.startswith("flowchart TD") and 'subgraph c1["hidden"]' in mmd
    for leaf in leaf_names(src):
        assert f"<b>{leaf}</b>" in mmd


def test_draw_usage_and_no_clobber(tmp_path):
    src = real_file("cnn_sinabs.nir")
    assert run("draw", src, "-o", tmp_path / "g.pdf").returncode == 2
    out = tmp_path / "g.svg"
    out.write_text("keep")
    r = run("draw", src, "-o", out)
    assert r.returncode == 1 and out.read_text() == "keep"
    assert run("draw", src, "-o", out, "--force").returncode == 0
    assert out.read_text() != "keep"
    assert run("draw", tmp_path / "missing.nir", "-o", tmp_path / "x.svg").returncode == 1
    assert not (tmp_path / "x.svg").exists()


def test_diff_round_trip_is_same_and_edits_are_found(tmp_path):
    src = real_file("cnn_sinabs.nir")
    copy = tmp_path / "copy.json"
    assert run("convert", src, copy).returncode == 0
    r = run("diff", src, copy)
    assert r.returncode == 0 and r.stdout.strip().endswith("same"), r.stdout
    # Edit the graph with nir itself: one weight value and one removed edge.
    g = nir.read(str(src), type_check=False)
    g.nodes["9"].weight = np.array(g.nodes["9"].weight, copy=True)
    g.nodes["9"].weight[3, 7] += 0.25
    g.metadata = {"note": "edited"}
    edited = tmp_path / "edited.nir"
    nir.write(str(edited), g)
    r = run("diff", src, edited, "--json")
    assert r.returncode == 1
    j = json.loads(r.stdout)
    assert j["same"] is False
    changes = [c for c in j["changes"]]
    weight = [c for c in changes if c["kind"] == "field-changed" and c["path"] == "9"]
    assert len(weight) == 1 and weight[0]["key"] == "weight"
    assert weight[0]["delta"]["differing"] == 1 and weight[0]["delta"]["at"] == [3, 7]
    assert weight[0]["delta"]["max_abs"] == pytest.approx(0.25, rel=1e-5)
    assert any(c["kind"] == "metadata-added" and c["key"] == "note" for c in changes)
    # A looser tolerance hides the weight change.
    r = run("diff", src, edited, "--json", "--atol", "0.3")
    assert not any(c["kind"] == "field-changed" and c["path"] == "9"
                   for c in json.loads(r.stdout)["changes"])
    assert run("diff", src, edited, "--rtol", "-1").returncode == 2


def test_convert_report_needs_a_conversion(tmp_path):
    src = ROOT / "examples" / "models" / "snntorch_mlp.nir"
    r = run("convert", src, tmp_path / "out.nir", "--report", tmp_path / "report")
    assert r.returncode == 2 and "--report" in r.stderr
    assert not (tmp_path / "out.nir").exists() and not (tmp_path / "report").exists()


def test_simulate_report_writes_numbers_and_arrays(tmp_path):
    src = ROOT / "examples" / "models" / "snntorch_mlp.nir"
    report = tmp_path / "report"
    r = run("simulate", src, "--input", "random:0.2", "--steps", "50", "--batch", "2",
            "--output", tmp_path / "run.h5", "--record", "3:v", "--report", report, "-q")
    assert r.returncode == 0, r.stderr
    j = json.loads((report / "report.json").read_text())
    assert j["steps"] == 50 and j["batch"] == 2 and j["membranes_align"] is True
    (series,) = j["series"]
    spikes = np.load(report / series["spikes"])
    assert spikes.shape == (50, 2, series["size"])
    assert int((spikes > 0).sum()) == series["spike_count"]
    assert np.load(report / series["membrane"]["file"]).shape == (50, 2, series["size"])
    assert (report / "raster.png").exists() or "pictures not drawn" in r.stderr
