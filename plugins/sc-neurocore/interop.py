"""SC-NeuroCore 3.16.0 in the interop suite (tests/interop/harness finds this module): models
built from SC-NeuroCore's own node classes (an SCNetwork), its own to_nir and from_nir, run
with SCNetwork.step one sample at a time (it has no batch axis: each batch element is a
separate run after reset()). The harness documents the interface; SCNetworks are not torch
modules, so this module provides run()."""

import numpy as np

from harness.models import Built, NotExportable, scaled_linear, seeded, uniform
from harness.run import LayerTrace, Trace

FRAMEWORK = "scneurocore"
VERSION = "sc-neurocore 3.16.0"
SOURCES = {
    "scneurocore": ({}, [], 'SC-NeuroCore defaults (dt 1, reset_mode="reset")'),
    "scneurocore-subtract": ({"reset_mode": "subtract"},
                             ["--from-option", "reset_mode=subtract"],
                             'SC-NeuroCore reset_mode="subtract"'),
    # what an averaging importer (mlx-snn) can receive: per-neuron r and thresholds are
    # folded into the weights, one decay per layer is kept
    "scneurocore-layer-tau": ({"reset_mode": "subtract", "layer_tau": True},
                              ["--from-option", "reset_mode=subtract"],
                              'SC-NeuroCore reset_mode="subtract", one tau per layer, '
                              "per-neuron r and thresholds"),
}
# Options that change the dynamics, and the profile keys that express them (a profile file
# with `base: scneurocore`).
PROFILE_VARIANTS = [("lif_mlp", {"reset_mode": "subtract"}, {"reset": "subtract"})]
#: from_nir's default dt: time constants in steps
DT = 1.0


def build(family, seed, options) -> Built:
    """Options: reset_mode ("reset"|"subtract", default "reset"); layer_tau (default False):
    one tau (and tau_syn) per layer and per-neuron thresholds (theta x U(0.8, 1.2)) instead of
    per-neuron time constants and one threshold. Time constants in steps (dt = 1), per-neuron
    r, v_leak = v_reset = 0."""
    from sc_neurocore.nir_bridge import node_map as nm
    from sc_neurocore.nir_bridge.parser import SCNetwork

    opts = {"reset_mode": "reset", "layer_tau": False, **options}
    g = seeded(seed)

    def affine(name, n_in, n_out, gain):
        lin = scaled_linear(g, n_in, n_out, gain)
        return nm.SCAffineNode(name=name, weight=lin.weight.detach().double().numpy(),
                               bias=lin.bias.detach().double().numpy())

    def vec(n, lo, hi):
        return uniform(g, (n,), lo, hi).double().numpy()

    def tau(n, lo, hi):
        return np.full(n, vec(1, lo, hi)[0]) if opts["layer_tau"] else vec(n, lo, hi)

    def threshold(n, theta):
        return theta * vec(n, 0.8, 1.2) if opts["layer_tau"] else np.full(n, theta)

    def lif(name, n, theta=1.0):
        return nm.SCLIFNode(name=name, n_neurons=n, tau=tau(n, 5.0, 20.0), r=vec(n, 0.8, 1.25),
                            v_leak=np.zeros(n), v_threshold=threshold(n, theta),
                            v_reset=np.zeros(n), dt=DT, reset_mode=opts["reset_mode"])

    def cuba(name, n, theta=1.0):
        return nm.SCCubaLIFNode(name=name, n_neurons=n, tau_syn=tau(n, 2.0, 5.0),
                                tau_mem=tau(n, 5.0, 20.0), r=vec(n, 0.8, 1.25),
                                v_leak=np.zeros(n),
                                v_threshold=threshold(n, theta), v_reset=np.zeros(n),
                                w_in=np.ones(n), dt=DT, reset_mode=opts["reset_mode"])

    if family == "lif_mlp":
        nodes = [affine("fc1", 8, 16, 8.0), lif("lif1", 16), affine("fc2", 16, 4, 8.0),
                 lif("lif2", 4, 0.8)]
        chain, extra = [n.name for n in nodes], []
    elif family == "cuba_mlp":
        nodes = [affine("fc1", 8, 12, 16.0), cuba("lif1", 12), affine("fc2", 12, 4, 16.0),
                 cuba("lif2", 4, 0.8)]
        chain, extra = [n.name for n in nodes], []
    elif family == "recurrent":
        n = 12
        w_rec = scaled_linear(g, n, n, 3.0, bias=False).weight.detach().double().numpy()
        nodes = [affine("fc1", 8, n, 8.0), lif("lif1", n),
                 nm.SCLinearNode(name="w_rec", weight=w_rec), affine("fc2", n, 4, 8.0),
                 lif("lif2", 4, 0.8)]
        chain = ["fc1", "lif1", "fc2", "lif2"]
        extra = [("lif1", "w_rec"), ("w_rec", "lif1")]
    elif family == "conv":
        _conv_export_fails(nm, SCNetwork)
    else:
        raise ValueError(f"unknown family {family!r}")
    by_name = {"input": nm.SCInputNode(name="input", shape=(8,))}
    by_name.update({n.name: n for n in nodes})
    by_name["output"] = nm.SCOutputNode(name="output", shape=(4,))
    path = ["input", *chain, "output"]
    edges = list(zip(path, path[1:])) + extra
    network = SCNetwork(nodes=by_name, edges=edges, input_nodes=["input"],
                        output_nodes=["output"])
    return Built("scneurocore", family, network, (8,), opts)


def _conv_export_fails(nm, SCNetwork):
    """Conv2d(2->4) -> LIF(4*6*6) -> Flatten -> Affine -> LIF: SC-NeuroCore holds neuron
    parameters flat, so to_nir fails NIR type inference; raise NotExportable with its error."""
    from sc_neurocore.nir_bridge import to_nir

    n = 4 * 6 * 6
    nodes = {"input": nm.SCInputNode("input", (2, 6, 6)),
             "conv": nm.SCConv2dNode("conv", np.ones((4, 2, 3, 3)), np.zeros(4), (1, 1), (1, 1),
                                     (1, 1), 1, (6, 6)),
             "lif1": nm.SCLIFNode("lif1", n, np.full(n, 10.0), np.ones(n), np.zeros(n),
                                  np.ones(n), np.zeros(n)),
             "flat": nm.SCFlattenNode("flat", 0, -1),
             "fc": nm.SCAffineNode("fc", np.ones((4, n)), np.zeros(4)),
             "lif2": nm.SCLIFNode("lif2", 4, np.full(4, 10.0), np.ones(4), np.zeros(4),
                                  np.ones(4), np.zeros(4)),
             "output": nm.SCOutputNode("output", (4,))}
    path = list(nodes)
    network = SCNetwork(nodes=nodes, edges=list(zip(path, path[1:])), input_nodes=["input"],
                        output_nodes=["output"])
    try:  # the real exporter's answer, not a claim
        to_nir(network)
    except ValueError as e:
        raise NotExportable(f"SC-NeuroCore 3.16.0's to_nir: {e} (neuron parameters are "
                            "held flat)") from e
    raise AssertionError("SC-NeuroCore now exports conv graphs: extend this module")


def export(built, export_dt):
    """to_nir(network): it writes the node parameters as they are and no dt (export_dt is
    not used; the network runs at dt = 1)."""
    from sc_neurocore.nir_bridge import to_nir

    return to_nir(built.module)


def load(graph, kwargs):
    """from_nir(graph, dt=..., reset_mode=...) with the stored keywords, else its defaults."""
    from sc_neurocore.nir_bridge import from_nir

    call = {}
    if "dt" in kwargs:
        call["dt"] = float(kwargs["dt"])
    if "reset_mode" in kwargs:
        call["reset_mode"] = str(kwargs["reset_mode"])
    return from_nir(graph, **call)


def _v_pre(node, v_old, x):
    """The membrane SC-NeuroCore compared with its threshold in the forward() just run,
    recomputed with the same float64 operations from the previous membrane."""
    from sc_neurocore.nir_bridge import node_map as nm

    x = np.atleast_1d(x).flatten()[: node.n_neurons]
    if isinstance(node, nm.SCCubaLIFNode):
        return v_old + (node.v_leak - v_old + node.r * node.i_syn) * (node.dt / node.tau_mem)
    if isinstance(node, nm.SCIFNode):
        return v_old + node.r * x * node.dt
    return v_old + (node.v_leak - v_old + node.r * x) * (node.dt / node.tau)


def run(network, x, native):
    """Run the SCNetwork on x (T, B, *in), one batch element at a time (reset() before each);
    every LIF/CubaLIF/IF node is a layer, in the network's execution order."""
    from sc_neurocore.nir_bridge import node_map as nm

    spiking = (nm.SCLIFNode, nm.SCCubaLIFNode, nm.SCIFNode)
    names = [n for n in network.topo_order if isinstance(network.nodes[n], spiking)]
    xs = np.asarray(x, dtype=np.float64)
    steps, batch = xs.shape[:2]
    record = {n: ([], []) for n in names}
    originals = {n: network.nodes[n].forward for n in names}

    def wrap(name, node, original):
        def forward(inp):
            v_old = node.v.copy()
            spikes = original(inp)
            v_pre = _v_pre(node, v_old, inp)
            record[name][0].append(spikes > 0)
            record[name][1].append((v_pre - node.v_threshold) / np.abs(node.v_threshold))
            return spikes
        return forward

    for n in names:
        network.nodes[n].forward = wrap(n, network.nodes[n], originals[n])
    returned = []
    try:
        for b in range(batch):
            network.reset()
            for t in range(steps):
                out = network.step({network.input_nodes[0]: xs[t, b].reshape(-1)})
                returned.append(np.asarray(out[network.output_nodes[0]], dtype=np.float64))
    finally:
        for n in names:
            del network.nodes[n].forward
    layers = []
    for n in names:
        spikes, margins = record[n]
        shape = (batch, steps, -1)
        layers.append(LayerTrace(n, np.swapaxes(np.stack(spikes).reshape(shape), 0, 1),
                                 np.swapaxes(np.stack(margins).reshape(shape), 0, 1)))
    out = np.swapaxes(np.stack(returned).reshape(batch, steps, -1), 0, 1)
    return Trace(layers, out)
