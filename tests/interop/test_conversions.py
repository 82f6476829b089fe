"""Interop suite: real framework X -> `nirb convert --from X --to Y` -> real framework Y.

For every source (snnTorch with its defaults, snnTorch with reset_mechanism="zero", Norse
with its defaults), model family and target framework: build the model with seeded random
weights, export it with X's own exporter, convert it with nirb, import the result with Y's
own importer (with the keyword arguments nirb stored in the file), run both on the same
random spike input for 300 steps (batch 2) and compare every spiking layer:

* verdict "exact": the spike trains must be identical, except flips where a membrane lies
  within 1e-5 (relative) of its threshold (counted and reported);
* verdict "approximate": allowed only with the agreement nirb measured (--verify); the
  framework-measured agreement is recorded next to it;
* verdict "impossible": nirb must exit 1 with the reason and write no output file; a step
  that refuses named nodes as unsupported (the source's reading, or the target importer's
  node list) counts as impossible with its message, under the same conditions.

The session writes docs/compatibility.md (the matrix of pairs x families).
"""

import dataclasses
import datetime
import pathlib
import re
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (NotExportable, build_model, compare_traces, export_model,  # noqa: E402
                     frameworks, import_model, random_spikes, run_imported, run_native,
                     run_nirb)

ROOT = pathlib.Path(__file__).resolve().parents[2]
STEPS, BATCH, SEED = 300, 2, 7

#: name -> (framework, build options, nirb convert options for the source): every source
#: variant of every framework's interop module (plugins/<fw>/interop.py)
SOURCES = {name: (fw, options, extra) for fw, module in frameworks().items()
           for name, (options, extra, _) in module.SOURCES.items()}
TARGETS = tuple(frameworks())
FAMILIES = ("lif_mlp", "cuba_mlp", "recurrent", "conv")


@dataclasses.dataclass
class Cell:
    verdict: str
    detail: str


RESULTS = {}


@pytest.fixture(scope="session", autouse=True)
def compatibility_report():
    yield
    if RESULTS:
        write_report(ROOT / "docs" / "compatibility.md")


def convert(src, out, source, target, extra):
    """Run nirb convert; returns (verdict, reason, measured agreement or None, process)."""
    proc = run_nirb("convert", src, out, "--from", SOURCES[source][0], "--to", target,
                    "--verify", *extra)
    text = proc.stdout + proc.stderr
    m = re.search(r"verdict:\s*(exact|approximate|impossible)", text)
    verdict = m.group(1) if m else None
    reason = re.search(r"verdict:\s*\w+\s*\((.*)\)", text)
    unsupported = re.search(r"cannot import these nodes:((?:\n  .*)+)", text)
    if verdict is None and unsupported:  # refused before any verdict: nodes the importer lacks
        nodes = re.findall(r"^  (\S+ \(\w+\))$", unsupported.group(1), re.M)
        return "impossible", "cannot import " + ", ".join(nodes), None, proc
    agreement = re.search(r"spike agreement\s+([0-9.]+)", text)
    return (verdict, reason.group(1) if reason else "", float(agreement.group(1))
            if agreement else None, proc)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", list(SOURCES))
def test_conversion(source, target, family, tmp_path):
    fw, options, extra = SOURCES[source]
    try:
        built = build_model(fw, family, seed=SEED, **options)
    except NotExportable as e:
        RESULTS[(source, target, family)] = Cell("n/a", str(e))
        pytest.skip(str(e))
    src = tmp_path / "model.nir"
    export_model(fw, built, src)
    out = tmp_path / f"model.{target}.nir"
    verdict, reason, measured, proc = convert(src, out, source, target, extra)
    # A step that cannot handle valid input (status 2, NIRB_UNSUPPORTED: the source's reading
    # or the target's importer refuses named nodes) is impossible too, with no output.
    refused = re.search(r"\(\S+\.(?:to|from)-canonical\): error: .*?\(status 2\): (.*)",
                        proc.stderr, re.S)
    if verdict is None and proc.returncode == 1 and refused:
        assert not out.exists(), "a refused conversion must write nothing"
        RESULTS[(source, target, family)] = Cell("impossible", " ".join(
            line.strip() for line in refused.group(1).splitlines() if "reproducer" not in line))
        return
    assert verdict is not None, f"nirb printed no verdict:\n{proc.stdout}\n{proc.stderr}"
    if verdict == "impossible":
        assert proc.returncode == 1 and not out.exists(), "impossible must exit 1, no output"
        assert reason, "impossible needs its reason"
        RESULTS[(source, target, family)] = Cell("impossible", reason)
        return
    assert proc.returncode == 0, proc.stderr
    x = random_spikes(STEPS, BATCH, built.in_shape, p=0.2, seed=SEED + 1)
    ref = run_native(fw, built, x)
    got = run_imported(target, import_model(target, out), x)
    # The module's own return value must be the output layer (catches graphs whose
    # structure makes nirtorch return another node).
    assert got.returned.reshape(STEPS, BATCH, -1).shape == \
        got.output.spikes.reshape(STEPS, BATCH, -1).shape
    assert (got.returned.reshape(STEPS, BATCH, -1) > 0).tolist() == \
        (got.output.spikes.reshape(STEPS, BATCH, -1) > 0).tolist(), "module returns another node"
    agreement = compare_traces(ref, got, rtol=1e-5)
    detail = (f"framework agreement {agreement.agreement:.4f}, "
              f"{len(agreement.allowed)} tie flips; nirb --verify "
              + (f"{measured:.4f}" if measured is not None else "n/a"))
    if verdict == "exact":
        RESULTS[(source, target, family)] = Cell("exact", detail)
        assert agreement.ok, agreement.report()
    else:
        assert measured is not None, "approximate needs the agreement nirb measured"
        RESULTS[(source, target, family)] = Cell("approximate", f"{detail}; {reason}")


def write_report(path):
    lines = [
        "# Compatibility matrix (generated)",
        "",
        "Generated by `tests/interop/test_conversions.py` against the installed frameworks "
        f"({', '.join(m.VERSION for m in frameworks().values())}, nirtorch 2.6, nir 1.0.7); "
        "do not edit by hand. Each "
        f"cell: model built in the source framework with seeded random weights, exported by "
        f"its own exporter, converted with `nirb convert --from SRC --to DST --verify`, "
        f"imported by the target's own importer, both run on the same random spikes "
        f"({STEPS} steps, batch {BATCH}); spikes of every layer compared. *exact* = identical "
        "spikes except flips within 1e-5 (relative) of threshold; *approximate* = nirb's "
        "verdict with its measured agreement; *impossible* = nirb refused (exit 1, no "
        "output) with the reason shown.",
        "",
        "Sources: " + "; ".join(f"`{name}` = {about}" for m in frameworks().values()
                                for name, (_, _, about) in m.SOURCES.items()) + ".",
        "",
        "| source -> target | " + " | ".join(FAMILIES) + " |",
        "|---|" + "---|" * len(FAMILIES),
    ]
    for source in SOURCES:
        for target in TARGETS:
            cells = []
            for family in FAMILIES:
                cell = RESULTS.get((source, target, family))
                cells.append("(not run)" if cell is None else
                             f"**{cell.verdict}**: {cell.detail}".replace("|", "/"))
            lines.append(f"| {source} -> {target} | " + " | ".join(cells) + " |")
    lines += ["", f"_Last run: {datetime.date.today().isoformat()}._", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def test_wrong_source_framework_warns_and_names_the_exporter(tmp_path):
    built = build_model("norse", "lif_mlp", seed=SEED)
    src = tmp_path / "norse.nir"
    export_model("norse", built, src)
    proc = run_nirb("convert", src, tmp_path / "out.nir", "--from", "snntorch", "--to", "norse")
    assert "does not look like a snntorch export" in proc.stderr
    assert "looks like a norse export" in proc.stderr


def test_unsupported_nodes_are_listed_and_nothing_is_written(tmp_path):
    import nir
    import numpy as np

    n = 3
    graph = nir.NIRGraph(
        nodes={"input": nir.Input(input_type=np.array([n])),
               "lin": nir.Affine(weight=np.eye(n, dtype=np.float32), bias=np.zeros(n, np.float32)),
               "li": nir.LI(tau=np.full(n, 1e-5, np.float32), r=np.ones(n, np.float32),
                            v_leak=np.zeros(n, np.float32)),
               "output": nir.Output(output_type=np.array([n]))},
        edges=[("input", "lin"), ("lin", "li"), ("li", "output")])
    src = tmp_path / "li.nir"
    nir.write(str(src), graph)
    out = tmp_path / "li.norse.nir"
    proc = run_nirb("convert", src, out, "--from", "norse", "--to", "norse")
    assert proc.returncode == 1
    assert "cannot import these nodes" in proc.stderr and "li (LI)" in proc.stderr
    assert not out.exists()
