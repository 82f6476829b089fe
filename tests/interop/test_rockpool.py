"""Rockpool 3.1.0 specifics the shared suites do not cover (plugins/rockpool):

* a file exactly as Rockpool's exporter writes it (batch dimension in the Input/Output types,
  rejected by nir.read) is read by nirb with one warning per repair, and `nirb simulate`
  under the `rockpool` profile reproduces Rockpool's own spike COUNTS (several per step);
* a multi-spike Rockpool layer that provably never emits two spikes in one step converts
  exactly to the single-spike frameworks;
* the NIR paper's recorded Rockpool trace is reproduced from the file Rockpool wrote;
* nodes from_nir cannot import are refused for `--to rockpool`, every node path listed, and
  no output file is written.
"""

import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import (build_model, compare_traces, export_model, framework,  # noqa: E402
                     import_model, random_spikes, run_imported, run_native, run_nirb)

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAPER = ROOT / "tests" / "fixtures" / "paper" / "01_lif"


def simulate(path, x, tmp_path, *extra, record=()):
    import h5py

    np.save(tmp_path / "x.npy", x)
    out = tmp_path / "out.h5"
    args = ["simulate", path, "--input", tmp_path / "x.npy", "--output", out, *extra]
    for r in record:
        args += ["--record", r]
    proc = run_nirb(*args, check=True, timeout=300)
    with h5py.File(out, "r") as f:
        data = {r: f["nodes"][r.split(":")[0]]["observables"][r.split(":")[1] if ":" in r
                                                              else "output"]["data"][()]
                for r in record}
    return proc, data


def test_raw_export_is_repaired_and_simulated_with_rockpool_counts(tmp_path):
    import nir

    built = build_model("rockpool", "cuba_mlp", seed=3)
    raw = tmp_path / "raw.nir"
    nir.write(str(raw), framework("rockpool").raw_export(built))
    with pytest.raises(ValueError, match="Type inference error"):
        nir.read(str(raw))
    x = random_spikes(300, 2, built.in_shape, p=0.3, seed=4)
    ref = run_native("rockpool", built, x)
    _, data = simulate(raw, x, tmp_path, "--profile", "rockpool", record=["3_LIFTorch"])
    out = tmp_path / "repaired.nir"
    proc = run_nirb("convert", raw, out, "--from", "rockpool", "--to", "rockpool")
    assert proc.returncode == 0, proc.stderr
    repairs = [line for line in proc.stderr.splitlines() if "repaired the" in line]
    assert len(repairs) == 2, proc.stderr  # one warning per repair
    assert "Input type (1, 8) -> (8)" in repairs[0] and "Output type (1, 1, 4) -> (4)" in repairs[1]
    nir.read(str(out))  # what nirb writes, nir.read accepts
    counts = np.transpose(data["3_LIFTorch"], (1, 0, 2))  # (B, T, N) -> (T, B, N)
    native = ref.returned.reshape(counts.shape)
    assert native.max() >= 2, "the test model must emit several spikes per step somewhere"
    assert np.array_equal(counts, native)


@pytest.mark.parametrize("target", ["snntorch", "norse"])
def test_provably_single_spike_layers_convert_exactly(target, tmp_path):
    built = build_model("rockpool", "lif_bounded", seed=0)
    src = tmp_path / "bounded.nir"
    export_model("rockpool", built, src)
    out = tmp_path / f"bounded.{target}.nir"
    proc = run_nirb("convert", src, out, "--from", "rockpool", "--to", target)
    assert proc.returncode == 0, proc.stderr
    assert "at most one spike per step, proven" in proc.stderr
    assert proc.stdout.startswith("verdict: exact"), proc.stdout
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=1)
    ref = run_native("rockpool", built, x)
    assert all(0.0 < r < 0.9 for r in ref.rates()), ref.rates()
    agreement = compare_traces(ref, run_imported(target, import_model(target, out), x),
                               rtol=1e-5)
    assert agreement.ok, agreement.report()


def test_paper_trace_is_reproduced(tmp_path):
    trace = np.loadtxt(PAPER / "lif_rockpool.csv", delimiter=",")
    x = trace[:, 0].reshape(-1, 1, 1).astype(np.float32)  # (T, B, N)
    proc, data = simulate(PAPER / "lif_rockpool.nir", x, tmp_path, "--profile", "rockpool",
                          "--profile-option", "dt=1e-4",
                          record=["1_LIFNeuronTorch", "1_LIFNeuronTorch:v"])
    spikes = data["1_LIFNeuronTorch"].reshape(-1)
    v = data["1_LIFNeuronTorch:v"].reshape(-1)
    assert tuple(np.nonzero(spikes)[0]) == tuple(np.nonzero(trace[:, 2])[0]) == \
        (450, 500, 710, 760)
    np.testing.assert_allclose(v, trace[:, 1], rtol=0, atol=1e-6)


def test_paper_trace_is_reproduced_by_rockpools_importer(tmp_path):
    """Rockpool 3.1.0 crashes on the LIF node of the paper's file; converted by nirb it imports
    and spikes at the recorded steps."""
    trace = np.loadtxt(PAPER / "lif_rockpool.csv", delimiter=",")
    out = tmp_path / "paper.rockpool.nir"
    proc = run_nirb("convert", PAPER / "lif_rockpool.nir", out, "--from", "rockpool", "--to",
                    "rockpool", check=True)
    assert proc.stdout.startswith("verdict: exact"), proc.stdout
    x = trace[:, 0].reshape(-1, 1, 1).astype(np.float32)
    got = run_imported("rockpool", import_model("rockpool", out), x)
    assert tuple(np.nonzero(got.output.spikes.reshape(-1))[0]) == (450, 500, 710, 760)


def test_nodes_rockpool_cannot_import_are_listed_and_nothing_is_written(tmp_path):
    built = build_model("snntorch", "conv", seed=0)
    src = tmp_path / "conv.nir"
    export_model("snntorch", built, src)
    out = tmp_path / "conv.rockpool.nir"
    proc = run_nirb("convert", src, out, "--from", "snntorch", "--to", "rockpool")
    assert proc.returncode == 1
    assert proc.stdout.startswith("verdict: impossible"), proc.stdout
    for node, why in (("0", "Conv2d"), ("2", "AvgPool2d"), ("3", "Flatten")):
        assert f"{node}: from_nir has no {why}" in proc.stdout, proc.stdout
    assert not out.exists()


def test_if_is_refused_for_rockpool(tmp_path):
    import nir

    n = 3
    graph = nir.NIRGraph(
        nodes={"input": nir.Input(input_type=np.array([n])),
               "lin": nir.Affine(weight=np.eye(n, dtype=np.float32),
                                 bias=np.zeros(n, np.float32)),
               "if": nir.IF(r=np.ones(n, np.float32), v_threshold=np.ones(n, np.float32)),
               "output": nir.Output(output_type=np.array([n]))},
        edges=[("input", "lin"), ("lin", "if"), ("if", "output")])
    src = tmp_path / "if.nir"
    nir.write(str(src), graph)
    out = tmp_path / "if.rockpool.nir"
    proc = run_nirb("convert", src, out, "--from", "norse", "--to", "rockpool")
    assert proc.returncode == 1
    assert "verdict: impossible (if: from_nir has no IF" in proc.stdout, proc.stdout
    assert not out.exists()


def test_from_nir_guesses_the_intended_dt(tmp_path):
    """from_nir guesses dt = min(tau_mem / (1 + r)); nirb writes r so that the guess is the
    dt it stored (nirb.import.dt), up to float32 rounding, even without setting it."""
    from harness import import_kwargs_from_metadata
    from rockpool.nn.modules import LIFTorch, from_nir

    import nir

    built = build_model("snntorch", "lif_mlp", seed=0)
    src = tmp_path / "snn.nir"
    export_model("snntorch", built, src)
    out = tmp_path / "snn.rockpool.nir"
    run_nirb("convert", src, out, "--from", "snntorch", "--to", "rockpool", check=True)
    intended = float(import_kwargs_from_metadata(out)["dt"])
    guessed = [m.dt for m in from_nir(nir.read(str(out))).modules() if isinstance(m, LIFTorch)]
    assert intended == 1e-4 and len(guessed) == 2
    np.testing.assert_allclose(guessed, intended, rtol=1e-6)
