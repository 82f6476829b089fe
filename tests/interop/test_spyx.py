"""Spyx-specific checks of the spyx plugin against real Spyx 1.0.0 and the other exporters:
the `--from spyx` exporter check, the dt Spyx's importer would silently clip, and the nodes
Spyx's importer would silently drop."""

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (build_model, compare_traces, export_model, framework,  # noqa: E402
                     import_model, random_spikes, run_imported, run_nirb)


def test_from_spyx_on_a_snntorch_file_warns_and_names_the_exporter(tmp_path):
    src = tmp_path / "snntorch.nir"
    export_model("snntorch", build_model("snntorch", "lif_mlp", seed=3), src)
    proc = run_nirb("convert", src, tmp_path / "out.nir", "--from", "spyx", "--to", "spyx")
    assert "does not look like a spyx export" in proc.stderr
    assert "looks like a snntorch export" in proc.stderr


def test_export_dt_is_an_option_and_a_wrong_one_is_reported(tmp_path):
    """A file Spyx wrote at dt = 1e-4: read with the default dt = 1 every beta would be
    clipped to 0 (what from_nir does silently); nirb warns. With --from-option dt=1e-4 the
    conversion is exact and stores dt = 1e-4 for from_nir, which then reproduces the model."""
    import nir
    from spyx.nir import to_nir

    built = build_model("spyx", "lif_mlp", seed=3)
    src = tmp_path / "dt.nir"
    nir.write(str(src), to_nir(built.module, {"input": np.array(built.in_shape)},
                               {"output": np.array([4])}, dt=1e-4))
    wrong = run_nirb("convert", src, tmp_path / "wrong.nir", "--from", "spyx", "--to", "spyx")
    assert "Spyx clips beta to 0" in wrong.stderr
    out = tmp_path / "right.nir"
    right = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx", "--from-option",
                     "dt=1e-4", "--verify")
    assert right.returncode == 0 and "verdict: exact" in right.stdout, right.stderr
    loaded = import_model("spyx", out)
    assert loaded.dt == 1e-4  # from nirb.import.dt
    x = random_spikes(100, 2, built.in_shape, p=0.2, seed=4)
    agreement = compare_traces(framework("spyx").run_native(built, x), run_imported(
        "spyx", loaded, x))
    assert agreement.ok, agreement.report()


def test_nodes_from_nir_would_drop_are_refused_with_their_paths(tmp_path):
    import nir

    n = 3
    lif = dict(tau=np.full(n, 2.0, np.float32), r=np.full(n, 0.5, np.float32),
               v_leak=np.zeros(n, np.float32), v_threshold=np.ones(n, np.float32))
    graph = nir.NIRGraph(
        nodes={"input": nir.Input(input_type=np.array([n])),
               "gain": nir.Scale(scale=np.full(n, 2.0, np.float32)),
               "delay": nir.Delay(delay=np.ones(n, np.float32)),
               "lif": nir.LIF(**lif),
               "output": nir.Output(output_type=np.array([n]))},
        edges=[("input", "gain"), ("gain", "delay"), ("delay", "lif"), ("lif", "output")])
    src = tmp_path / "drop.nir"
    nir.write(str(src), graph)
    out = tmp_path / "drop.spyx.nir"
    proc = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx")
    assert proc.returncode == 1 and not out.exists()
    assert "gain (Scale)" in proc.stderr and "delay (Delay)" in proc.stderr
