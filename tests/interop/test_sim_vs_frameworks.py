"""The reference simulator against the real frameworks.

Each model is built in snnTorch 1.0.0 or Norse 1.1.0 (tests/interop/harness), exported with the
framework's own exporter, run natively on Bernoulli spikes for 300 steps, and run by
`nirb simulate` on the exported file under that framework's profile (plugins/<fw>/profiles/).
Spike trains must be identical except at (step, neuron) pairs where a membrane lies within
1e-5 (relative to the threshold) of the threshold, which float summation order can flip;
those are counted and reported (after such a flip that batch element is no longer
compared: its state legitimately diverges). The membrane each side compared with its
threshold must agree to 1e-5 of the threshold on every compared step.
"""

import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import (FAMILIES, LayerTrace, NotExportable, Trace, build_model,  # noqa: E402
                     compare_traces, export_model, frameworks, random_spikes, run_native,
                     run_nirb)

STEPS = 300
BATCH = 3
RTOL = 1e-5
SPIKING = ("LIF", "CubaLIF", "IF")

CASES = [(fw, f) for fw in frameworks() for f in FAMILIES]

# Framework options that change the dynamics, and the profile keys that express them (a
# profile file with `base:` the framework's own profile): each interop module's
# PROFILE_VARIANTS.
VARIANTS = [(fw, family, options, keys) for fw, module in frameworks().items()
            for family, options, keys in module.PROFILE_VARIANTS]


def spiking_nodes_in_order(path):
    """Spiking nodes of an exported graph in the order data reaches them (BFS from Inputs)."""
    import nir

    graph = nir.read(str(path))
    succ = {}
    for src, dst in graph.edges:
        succ.setdefault(src, []).append(dst)
    order, seen = [], set()
    frontier = [n for n, node in graph.nodes.items() if isinstance(node, nir.Input)]
    while frontier:
        nxt = []
        for name in frontier:
            if name in seen:
                continue
            seen.add(name)
            order.append(name)
            nxt.extend(succ.get(name, []))
        frontier = nxt
    nodes = [n for n in order if type(graph.nodes[n]).__name__ in SPIKING]
    thresholds = {n: np.asarray(graph.nodes[n].v_threshold, dtype=np.float64) for n in nodes}
    return nodes, thresholds


def simulate(path, profile, x, nodes, tmp_path):
    import h5py

    np.save(tmp_path / "x.npy", x)
    out = tmp_path / "out.h5"
    args = ["simulate", path, "--profile", profile, "--input", tmp_path / "x.npy", "--output", out,
            "-q"]
    for n in nodes:
        args += ["--record", n, "--record", f"{n}:v_pre"]
    run_nirb(*args, check=True, timeout=300)
    series = {}
    with h5py.File(out, "r") as f:
        for n in nodes:
            obs = f["nodes"][n]["observables"]
            # TimeGriddedData is (batch, steps, neurons); the harness is (steps, batch, ...)
            series[n] = (np.transpose(obs["output"]["data"][()], (1, 0, 2)),
                         np.transpose(obs["v_pre"]["data"][()], (1, 0, 2)))
    return series


def check(fw, family, tmp_path, options=None, profile_keys=None):
    try:
        built = build_model(fw, family, seed=0, **(options or {}))
        model = tmp_path / "model.nir"
        export_model(fw, built, model)
    except NotExportable as e:
        pytest.skip(str(e))
    profile = fw
    if profile_keys:
        profile = tmp_path / "variant.yaml"
        keys = "".join(f"{k}: {v}\n" for k, v in profile_keys.items())
        profile.write_text(f"nirb_profile: 1\nname: variant\nbase: {fw}\n{keys}")
    x = random_spikes(STEPS, BATCH, built.in_shape, p=0.2, seed=1)
    ref = run_native(fw, built, x)
    nodes, thresholds = spiking_nodes_in_order(model)
    assert len(nodes) == len(ref.layers), (nodes, [layer.name for layer in ref.layers])
    series = simulate(model, profile, x, nodes, tmp_path)
    layers = []
    for n, layer in zip(nodes, ref.layers):
        spikes, v_pre = series[n]
        theta = np.broadcast_to(thresholds[n].reshape(-1), v_pre.shape[2:])
        margin = (v_pre.astype(np.float64) - theta) / np.abs(theta)
        shape = layer.spikes.shape
        layers.append(LayerTrace(n, spikes.reshape(shape), margin.reshape(shape)))  # counts
    ours = Trace(layers)
    assert all(0.0 < r < 0.9 for r in ref.rates()), f"test model silent/saturated: {ref.rates()}"
    agreement = compare_traces(ref, ours, rtol=RTOL)
    print(f"\n{fw}/{family} {options or ''}: {agreement.report()}")
    assert agreement.ok, agreement.report()
    # Membranes (the value compared with the threshold) until a batch element desyncs.
    for li, (a, b) in enumerate(zip(ref.layers, ours.layers)):
        for bi in range(BATCH):
            stop = agreement.desync.get(bi, STEPS)
            diff = np.abs(a.margin[:stop, bi] - b.margin[:stop, bi])
            assert diff.max(initial=0.0) <= RTOL, (
                f"{fw}/{family} layer {li} batch {bi}: membrane differs by "
                f"{diff.max():.3g} x threshold (step {np.unravel_index(diff.argmax(), diff.shape)})")


@pytest.mark.parametrize("fw,family", CASES)
def test_simulator_reproduces_framework(fw, family, tmp_path, request):
    # A gap the framework's interop module names (SIMULATOR_GAPS) must still fail (strict).
    gap = getattr(frameworks()[fw], "SIMULATOR_GAPS", {}).get(family)
    if gap:
        request.applymarker(pytest.mark.xfail(reason=gap, strict=True))
    check(fw, family, tmp_path)


@pytest.mark.parametrize("fw,family,options,profile_keys", VARIANTS)
def test_profile_options_reproduce_framework_options(fw, family, options, profile_keys,
                                                     tmp_path):
    check(fw, family, tmp_path, options, profile_keys)
