"""The benchmark models as a plain layer list, read from their source .nir file, so that every
peer can build the same architecture with the same weights in its own framework
(peers/FW.py `build_native`). Only the node kinds of bench/sim's two models are read: a chain
Input -> (Affine | Conv2d | LIF | IF | SumPool2d | Flatten)* -> Output.

Each layer is a dict with "kind" and float32 numpy arrays:
  affine:  weight (out, in), bias (out,)
  conv:    weight (out, in, kh, kw), bias (out,), stride, padding (2-tuples of int)
  lif:     beta (n,) = 1 - dt/tau (dt = the exporter's step, 1e-4 for snnTorch), threshold (n,)
  if:      threshold (*shape,)
  sumpool: kernel, stride (2-tuples of int)
  flatten: (no fields); in_shape of the layer is given for every layer
"""

import numpy as np

#: the time step of the MLP's exporter (snnTorch writes tau = dt / (1 - beta) with dt = 1e-4)
SNNTORCH_DT = 1e-4


def _pair(v):
    a = np.asarray(v).reshape(-1).astype(int)
    return (int(a[0]), int(a[-1]))


def _chain(graph):
    nxt = dict(graph.edges)
    if len(nxt) != len(graph.edges):
        raise ValueError("bench model is not a chain")
    name = next(n for n, node in graph.nodes.items() if type(node).__name__ == "Input")
    order = []
    while name in nxt:
        name = nxt[name]
        if type(graph.nodes[name]).__name__ != "Output":
            order.append(name)
    return order


def layers_of(path, dt=SNNTORCH_DT):
    """(input shape, [layer dict]) of the chain in `path`."""
    import nir

    graph = nir.read(str(path))
    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
    out = []
    for name in _chain(graph):
        node = graph.nodes[name]
        kind = type(node).__name__
        in_shape = tuple(int(v) for v in np.asarray(node.input_type["input"]).reshape(-1))
        if kind == "Affine":
            layer = {"kind": "affine", "weight": f32(node.weight), "bias": f32(node.bias)}
        elif kind == "Conv2d":
            if int(np.max(node.dilation)) != 1 or int(node.groups) != 1:
                raise ValueError("bench conv layers have no dilation or groups")
            layer = {"kind": "conv", "weight": f32(node.weight), "bias": f32(node.bias),
                     "stride": _pair(node.stride), "padding": _pair(node.padding)}
        elif kind == "LIF":
            layer = {"kind": "lif", "beta": f32(1.0 - dt / np.asarray(node.tau, np.float64)),
                     "threshold": f32(node.v_threshold)}
        elif kind == "IF":
            layer = {"kind": "if", "threshold": f32(node.v_threshold)}
        elif kind == "SumPool2d":
            layer = {"kind": "sumpool", "kernel": _pair(node.kernel_size),
                     "stride": _pair(node.stride)}
        elif kind == "Flatten":
            layer = {"kind": "flatten"}
        else:
            raise ValueError(f"bench models have no {kind} node ({name})")
        layer["in_shape"] = in_shape
        out.append(layer)
    input_node = next(n for n in graph.nodes.values() if type(n).__name__ == "Input")
    return tuple(int(v) for v in np.asarray(input_node.output_type["output"]).reshape(-1)), out
