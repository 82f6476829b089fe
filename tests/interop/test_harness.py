"""Checks of the interop harness itself and of the upstream behaviour it documents
(plugins/*/README.md). These run the real frameworks; nothing is mocked."""

import sys
import pathlib

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (FAMILIES, NotExportable, build_model, compare_traces,  # noqa: E402
                     export_model, frameworks, random_spikes, run_native)


def test_trace_matches_module_output():
    import torch

    built = build_model("snntorch", "lif_mlp", seed=3)
    x = random_spikes(50, 2, built.in_shape, seed=4)
    trace = run_native("snntorch", built, x)
    for layer in built.module:
        if hasattr(layer, "reset_mem"):
            layer.reset_mem()
    with torch.no_grad():
        outs = [built.module(torch.as_tensor(x[t])).numpy() for t in range(50)]
    assert np.array_equal(trace.output.spikes, np.stack(outs) > 0)
    # a spike is exactly a positive margin (strict comparator)
    assert np.array_equal(trace.output.spikes, trace.output.margin > 0)


@pytest.mark.parametrize("fw", list(frameworks()))
@pytest.mark.parametrize("family", FAMILIES)
def test_models_spike_moderately(fw, family):
    try:
        built = build_model(fw, family, seed=0)
    except NotExportable:
        pytest.skip("not exportable")
    trace = run_native(fw, built, random_spikes(300, 2, built.in_shape, seed=1))
    for rate in trace.rates():
        assert 0.01 < rate < 0.6


def test_compare_detects_difference_and_ties():
    built = build_model("snntorch", "lif_mlp", seed=0)
    x = random_spikes(100, 2, built.in_shape, seed=1)
    a = run_native("snntorch", built, x)
    assert compare_traces(a, a).raw_mismatches == 0
    b = run_native("snntorch", built, x)
    b.layers[-1].spikes[10, 0, 1] = 1 - b.layers[-1].spikes[10, 0, 1]  # spikes are counts
    b.layers[-1].margin[10, 0, 1] = 0.5
    res = compare_traces(a, b)
    assert not res.ok and len(res.violations) == 1
    a.layers[-1].margin[10, 0, 1] = 1e-7  # now a threshold tie on the reference side
    res = compare_traces(a, b)
    assert res.ok and len(res.allowed) == 1 and res.desync == {0: 10}


def test_norse_export_writes_dt_over_tau_inv(tmp_path):
    import nir

    built = build_model("norse", "lif_mlp", seed=0)
    export_model("norse", built, tmp_path / "m.nir", export_dt=1e-3)
    tau = nir.read(str(tmp_path / "m.nir")).nodes["1"].tau
    tau_inv = built.module[1].p.tau_mem_inv.numpy()
    assert np.allclose(tau, 1e-3 / tau_inv)  # not 1/tau_inv: Norse 1.1.0 quirk


def test_snntorch_cannot_import_its_recurrent_export(tmp_path):
    import nir
    from snntorch.import_nir import import_from_nir

    export_model("snntorch", build_model("snntorch", "recurrent", seed=0), tmp_path / "r.nir")
    with pytest.raises(AttributeError):
        import_from_nir(nir.read(str(tmp_path / "r.nir")))
