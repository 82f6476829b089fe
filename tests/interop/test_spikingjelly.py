"""SpikingJelly-specific rewrites of spikingjelly.from-canonical, checked against the real
SpikingJelly 2.0.0 importer (the matrix in test_conversions.py covers the model families):

* per-neuron thresholds, which import_from_nir refuses (one value per layer), are folded into
  the incoming weights: the imported module spikes exactly like `nirb simulate` of the source
  under the `spikingjelly` profile;
* per-neuron time constants with a hard reset cannot be held: the conversion is refused
  naming the layer, exit 1, nothing written;
* the file says how to import it (nirb.import.dt, nirb.import.step_mode);
* IF layers (r = 1/dt, v_reset != 0) round-trip exactly.
"""

import pathlib
import sys

import h5py
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (Built, build_model, compare_traces, export_model,  # noqa: E402
                     import_kwargs_from_metadata, import_model, random_spikes, run_imported,
                     run_native, run_nirb)
from harness.models import scaled_linear, seeded  # noqa: E402

STEPS, BATCH = 300, 2


def sj_export(tmp_path, edit):
    """SpikingJelly's own lif_mlp export, then `edit(h5py file)` on its neuron fields."""
    built = build_model("spikingjelly", "lif_mlp", seed=3)
    path = tmp_path / "sj.nir"
    export_model("spikingjelly", built, path)
    with h5py.File(path, "r+") as f:
        edit(f["node"]["nodes"])
    return built, path


def simulate_output(path, x, tmp_path):
    np.save(tmp_path / "x.npy", x)
    out = tmp_path / "sim.h5"
    run_nirb("simulate", path, "--profile", "spikingjelly", "--input", tmp_path / "x.npy",
             "--output", out, "-q", check=True, timeout=300)
    with h5py.File(out, "r") as f:
        data = f["nodes"]["output"]["observables"]["output"]["data"][()]
    return np.transpose(data, (1, 0, 2)) > 0  # (batch, steps, n) -> (steps, batch, n)


def test_per_neuron_thresholds_are_folded_into_the_weights(tmp_path):
    def spread(nodes):
        theta = nodes["_1"]["v_threshold"]
        theta[...] = np.linspace(0.6, 1.4, theta.shape[0])

    built, src = sj_export(tmp_path, spread)
    out = tmp_path / "sj.sj.nir"
    proc = run_nirb("convert", src, out, "--from", "spikingjelly", "--to", "spikingjelly",
                    "--verify")
    assert proc.returncode == 0, proc.stderr
    assert "verdict: exact" in proc.stdout + proc.stderr
    assert "thresholds and input gain folded into the incoming weights" in proc.stdout + proc.stderr
    x = random_spikes(STEPS, BATCH, built.in_shape, p=0.2, seed=4)
    expected = simulate_output(src, x, tmp_path)
    got = run_imported("spikingjelly", import_model("spikingjelly", out), x)
    spikes = got.returned.reshape(expected.shape) > 0
    assert 0 < expected.mean() < 0.9
    assert (spikes == expected).all(), f"{(spikes != expected).sum()} output slots differ"
    assert import_kwargs_from_metadata(out) == {"dt": 1e-4,
                                                "step_mode": "s"}


def test_per_neuron_time_constants_are_refused_naming_the_layer(tmp_path):
    def spread(nodes):
        tau = nodes["_3"]["tau"]
        tau[...] = np.linspace(5e-4, 9e-4, tau.shape[0])

    _, src = sj_export(tmp_path, spread)
    out = tmp_path / "out.nir"
    proc = run_nirb("convert", src, out, "--from", "spikingjelly", "--to", "spikingjelly")
    assert proc.returncode == 1 and not out.exists()
    assert "impossible" in proc.stderr + proc.stdout
    assert "_3: per-neuron time constants" in proc.stderr + proc.stdout


def test_if_layers_round_trip_exactly(tmp_path):
    """IFNode (r = 1/dt, not one of the harness families): SpikingJelly -> nirb ->
    SpikingJelly spikes exactly like the native model, layer by layer."""
    import torch
    from spikingjelly.activation_based import neuron

    g = seeded(5)
    module = torch.nn.Sequential(scaled_linear(g, 8, 12, 0.8), neuron.IFNode(v_threshold=1.0),
                                 scaled_linear(g, 12, 4, 0.8),
                                 neuron.IFNode(v_threshold=0.7, v_reset=-0.1))
    built = Built("spikingjelly", "if_mlp", module, (8,), {})
    src, out = tmp_path / "if.nir", tmp_path / "if.sj.nir"
    export_model("spikingjelly", built, src)
    proc = run_nirb("convert", src, out, "--from", "spikingjelly", "--to", "spikingjelly",
                    "--verify")
    assert proc.returncode == 0 and "verdict: exact" in proc.stdout + proc.stderr, proc.stderr
    x = random_spikes(STEPS, BATCH, (8,), p=0.2, seed=6)
    ref = run_native("spikingjelly", built, x)
    got = run_imported("spikingjelly", import_model("spikingjelly", out), x)
    assert all(0 < r < 0.9 for r in ref.rates()), ref.rates()
    agreement = compare_traces(ref, got, rtol=1e-5)
    assert agreement.ok, agreement.report()
