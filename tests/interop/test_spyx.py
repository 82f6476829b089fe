"""Spyx-specific checks of the spyx plugin against real Spyx 1.0.0 and the other exporters:
the `--from spyx` exporter check, the dt Spyx's importer would silently clip, and the nodes
Spyx's importer would silently drop."""

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (LayerTrace, Trace, build_model, compare_traces,  # noqa: E402
                     export_model, framework, import_model, random_spikes, run_imported,
                     run_nirb)


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


def test_simulator_reproduces_spyx_recurrent_layers_after_conversion(tmp_path):
    """Spyx's raw recurrent export cannot be simulated as written (its input is wired through
    w_rec: test_sim_vs_frameworks.py's strict xfail); the graph `nirb convert --from spyx --to
    spyx` makes of it (a reset_next_step neuron <-> w_rec, then a one-step Delay: the file
    from_nir reads) runs under `--profile spyx` plus the node semantics nirb stored in it, and
    reproduces Spyx's own run of the RLIF, RCuBaLIF and RIF layers and the LIF after them: every
    spike, and every membrane to 1e-5 (of the threshold, or of the membrane where larger)."""
    import h5py
    import nir

    built = build_model("spyx", "recurrent", seed=0)
    src, out = tmp_path / "rec.nir", tmp_path / "rec.spyx.nir"
    export_model("spyx", built, src)
    proc = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx")
    assert proc.returncode == 0 and "verdict: exact" in proc.stdout, proc.stderr
    graph = nir.read(str(out))
    succ = {}
    for a, b in graph.edges:
        succ.setdefault(a, []).append(b)
    overrides, neurons, node = {}, [], "input"
    while node != "output":  # the chain, skipping the recurrent weights
        node = next(n for n in succ[node] if not isinstance(graph.nodes[n], nir.Linear)
                    or n not in succ.get(node, []) or node not in succ.get(n, []))
        with h5py.File(out, "r") as f:
            meta = f["node"]["nodes"][node].get("metadata", {})
            timing = meta.get("nirb.profile.spike_timing")
            if timing is not None:
                overrides[node] = timing[()].decode()
        if isinstance(graph.nodes[node], (nir.LIF, nir.CubaLIF)):
            neurons.append(node)
    assert list(overrides.values()) == ["reset_next_step"] * 3, overrides
    profile = tmp_path / "rec.yaml"
    profile.write_text("nirb_profile: 1\nname: rec\nbase: spyx\nnode_overrides:\n" + "".join(
        f"  {n}: {{spike_timing: {t}}}\n" for n, t in overrides.items()))
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=1)
    np.save(tmp_path / "x.npy", x)
    args = ["simulate", out, "--profile", profile, "--input", tmp_path / "x.npy", "--output",
            tmp_path / "sim.h5", "-q"]
    for n in neurons:
        args += ["--record", n, "--record", f"{n}:v_pre"]
    run_nirb(*args, check=True)
    ref = framework("spyx").run_native(built, x)
    layers = []
    with h5py.File(tmp_path / "sim.h5", "r") as f:
        for n, layer in zip(neurons, ref.layers, strict=True):
            obs = f["nodes"][n]["observables"]
            spikes = np.transpose(obs["output"]["data"][()], (1, 0, 2))
            theta = np.asarray(graph.nodes[n].v_threshold, np.float64)
            margin = (np.transpose(obs["v_pre"]["data"][()], (1, 0, 2)) - theta) / abs(theta)
            if n in overrides:  # Spyx emits z_{t-1} and compares V_{t-1}: one step later
                spikes = np.concatenate([np.zeros_like(spikes[:1]), spikes[:-1]])
                margin = np.concatenate([np.full_like(margin[:1], -1.0), margin[:-1]])
            layers.append(LayerTrace(n, spikes > 0, margin))
            # float32: 1e-5 of the threshold, or of the membrane where it is larger
            assert (np.abs(margin - layer.margin) <= 1e-5 * np.maximum(1, np.abs(margin))).all()
    agreement = compare_traces(ref, Trace(layers))
    assert agreement.ok and not agreement.allowed, agreement.report()
    assert all(0.0 < r < 0.9 for r in ref.rates()), ref.rates()


def test_resonate_fire_and_quantised_layers_are_refused_by_spyx_with_the_layer():
    """Neither reaches a NIR file: Spyx 1.0.0's to_nir refuses ResonateFire (no real-valued
    NIR primitive) and qwix-quantised layers (named by index and class), so there is nothing
    for nirbridge to convert or lose."""
    import jax.numpy as jnp
    import pytest
    import spyx.nn as snn
    import spyx.quant
    from flax import nnx
    from spyx.nir import to_nir
    from spyx.phasor import ResonateFire

    rngs = nnx.Rngs(0)
    shapes = ({"input": np.array([4])}, {"output": np.array([3])})
    resonate = snn.Sequential(nnx.Linear(4, 3, rngs=rngs), ResonateFire((3,), rngs=rngs))
    with pytest.raises(NotImplementedError, match="ResonateFire has no faithful NIR"):
        to_nir(resonate, *shapes)
    model = snn.Sequential(nnx.Linear(4, 3, rngs=rngs), snn.LIF((3,), rngs=rngs))
    quantised = spyx.quant.quantize(model, jnp.zeros((2, 4)), model.initial_state(2),
                                    mode="ptq")
    with pytest.raises(ValueError, match=r"Layer 0 \(\w+\) is qwix-quantized"):
        to_nir(quantised, *shapes)


def test_a_recurrent_subgraph_spyx_does_not_write_is_refused_with_its_path(tmp_path):
    """Only the subgraph to_nir writes (input -> w_rec <-> lif -> output, w_rec Linear) has a
    known meaning; the paper's shape (input -> lif) under --from spyx is refused, naming it."""
    import nir

    n = 3
    sub = nir.NIRGraph(
        nodes={"rec.input": nir.Input(input_type=np.array([n])), "rec.lif": _lif(),
               "rec.w_rec": nir.Linear(weight=np.eye(n, dtype=np.float32)),
               "rec.output": nir.Output(output_type=np.array([n]))},
        edges=[("rec.input", "rec.lif"), ("rec.lif", "rec.w_rec"), ("rec.w_rec", "rec.lif"),
               ("rec.lif", "rec.output")])
    src, out = tmp_path / "paper.nir", tmp_path / "out.nir"
    nir.write(str(src), _chain(("rec", sub)))
    proc = run_nirb("convert", src, out, "--from", "spyx", "--to", "spyx")
    assert proc.returncode == 1 and not out.exists()
    assert "rec (subgraph): not the recurrent subgraph spyx.nir.to_nir writes" in proc.stderr
