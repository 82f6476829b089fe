"""Files Sinabs 3.1.3 writes that nir.read rejects are read by nirb, repaired with one warning
per repair, and converted: layers built with a scalar tau/threshold (0-d parameters) and a
Conv2d without input_shape (to_nir leaves it empty until nir's type inference runs)."""

import pathlib
import sys

import h5py
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from harness import (build_model, compare_traces, export_model, import_model,  # noqa: E402
                     random_spikes, run_imported, run_native, run_nirb)
from harness.models import Built  # noqa: E402


def scalar_tau_mlp():
    import sinabs.layers as sl
    import torch

    torch.manual_seed(0)
    layers = [torch.nn.Linear(8, 16), sl.LIFSqueeze(tau_mem=10.0, spike_threshold=1.0,
                                                    num_timesteps=1),
              torch.nn.Linear(16, 4), sl.LIFSqueeze(tau_mem=12.0, spike_threshold=0.8,
                                                    num_timesteps=1)]
    with torch.no_grad():
        layers[0].weight.mul_(12.0)
        layers[2].weight.mul_(12.0)
        layers[2].bias.abs_()
    return Built("sinabs", "lif_mlp", torch.nn.Sequential(*layers), (8,), {})


def test_scalar_parameters_are_broadcast_with_a_warning_each(tmp_path):
    import nir

    built = scalar_tau_mlp()
    src = tmp_path / "scalar.nir"
    export_model("sinabs", built, src)
    with pytest.raises(ValueError, match="Type inference error"):
        nir.read(str(src))
    out = tmp_path / "scalar.sinabs.nir"
    proc = run_nirb("convert", src, out, "--from", "sinabs", "--to", "sinabs")
    assert proc.returncode == 0, proc.stderr
    repairs = [line for line in proc.stderr.splitlines() if "warning" in line and "repaired" in line]
    # tau, r, v_leak, v_reset, v_threshold of both LIF layers
    assert len(repairs) == 10, proc.stderr
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=3)
    ref = run_native("sinabs", built, x)
    got = run_imported("sinabs", import_model("sinabs", out), x)
    agreement = compare_traces(ref, got)
    assert agreement.ok and agreement.agreement == 1.0, agreement.report()
    assert all(r > 0 for r in ref.rates())


def test_missing_conv_input_shape_is_inferred_with_a_warning(tmp_path):
    import nir

    built = build_model("sinabs", "conv", seed=1, min_v_mem="threshold")
    src = tmp_path / "conv.nir"
    export_model("sinabs", built, src)
    with h5py.File(src, "a") as f:  # as to_nir writes it before nir's type inference
        del f["node"]["nodes"]["0"]["input_shape"]
    with pytest.raises(TypeError, match="input_shape"):
        nir.read(str(src))
    out = tmp_path / "conv.sinabs.nir"
    proc = run_nirb("convert", src, out, "--from", "sinabs", "--to", "sinabs",
                    "--from-option", "min_v_mem=-threshold")
    assert proc.returncode == 0, proc.stderr
    assert "repaired: missing 'input_shape'" in proc.stderr
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=3)
    got = run_imported("sinabs", import_model("sinabs", out), x)
    assert compare_traces(run_native("sinabs", built, x), got).agreement == 1.0
