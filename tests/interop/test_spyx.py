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


def _chain(*middle):
    """input -> middle nodes -> output, 3 neurons wide."""
    import nir

    nodes = {"input": nir.Input(input_type=np.array([3]))}
    nodes.update(middle)
    nodes["output"] = nir.Output(output_type=np.array([3]))
    names = list(nodes)
    return nir.NIRGraph(nodes=nodes, edges=list(zip(names, names[1:])))


def _lif():
    import nir

    n = 3  # as Spyx writes it at dt = 1: tau = 1/(1 - beta), r = beta
    return nir.LIF(tau=np.full(n, 5.0, np.float32), r=np.full(n, 0.8, np.float32),
                   v_leak=np.zeros(n, np.float32), v_threshold=np.ones(n, np.float32))


def test_nodes_from_nir_would_drop_are_folded_or_refused_with_their_paths(tmp_path):
    import nir

    x = random_spikes(50, 1, (3,), p=0.5, seed=5)
    # A Scale right before a population: folded into its gain, exact (checked by --verify).
    src = tmp_path / "scale.nir"
    nir.write(str(src), _chain(("w", nir.Linear(weight=np.eye(3, dtype=np.float32))),
                               ("gain", nir.Scale(scale=np.array([0.5, 2, 3], np.float32))),
                               ("lif", _lif())))
    out = tmp_path / "scale.spyx.nir"
    proc = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx", "--verify")
    assert proc.returncode == 0 and "verdict: exact" in proc.stdout, proc.stderr
    assert "Scale 'gain' folded into r" in proc.stdout + proc.stderr
    assert "spike agreement 1.000000" in proc.stdout
    assert run_imported("spyx", import_model("spyx", out), x).output.spikes.any()
    # Delay: from_nir would drop it; nothing expresses it: impossible, nothing written.
    src = tmp_path / "delay.nir"
    nir.write(str(src), _chain(("delay", nir.Delay(delay=np.ones(3, np.float32))),
                               ("lif", _lif())))
    out = tmp_path / "delay.spyx.nir"
    proc = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx")
    assert proc.returncode == 1 and not out.exists()
    assert "delay: Delay: from_nir drops it" in proc.stdout + proc.stderr
