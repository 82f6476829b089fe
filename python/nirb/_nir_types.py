"""nir's graph type check (NIRGraph.infer_types + check_types, nir 1.0.7) for the common case,
without its cost: nir rescans every edge for each edge it visits (quadratic) and builds NumPy
arrays to compare two shapes, so the check is most of nir.read on a large graph.

type_check(graph) makes exactly the changes nir's check makes (the same nodes get the same
input_type dicts holding the same array objects, in the same visiting order) and returns
True, or returns False as soon as the graph leaves the case it mirrors: nested graphs, nodes
nir would have to add (a root that is not an Input, a leaf that is not an Output), shapes
nir infers by computation (Conv, pooling, Flatten), types that are not one plain integer
shape, and every case where nir raises. The caller then builds the graph again with nir's
own code, so nir's result or nir's message is what the user gets.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

Edge = Tuple[str, str]

# The nir release whose NIRGraph.infer_types and check_types this module mirrors.
MIRRORED_NIR_VERSION = "1.0.7"


class _Shapes:
    """Each type value as a tuple of ints when it is a plain shape (a 1-d integer array or a
    tuple of ints), for which nir's np.array_equal tests (also on [value] wrapped in
    np.array) agree with tuple equality; None for anything else (None included). Memoised
    by identity, each value kept alive with its entry so that no other object takes its id."""

    def __init__(self) -> None:
        self.seen: Dict[int, Tuple[Any, Optional[Tuple[int, ...]]]] = {}

    def single(self, types: Any) -> Optional[Tuple[int, ...]]:
        """The shape of a type dict holding one plain shape, else None."""
        if type(types) is not dict or len(types) != 1:
            return None
        for value in types.values():
            entry = self.seen.get(id(value))
            if entry is None:
                entry = self.seen[id(value)] = (value, _shape(value))
            return entry[1]
        return None


def _shape(value: Any) -> Optional[Tuple[int, ...]]:
    if type(value) is np.ndarray:
        # uint64 against int64 compares through float64 in NumPy: not exact beyond 2**53.
        kind = value.dtype.kind
        if value.ndim == 1 and (kind == "i" or (kind == "u" and value.dtype.itemsize < 8)):
            return tuple(value.tolist())
        return None
    if type(value) is tuple and all(type(x) is int for x in value):
        return value
    return None


def _undefined(types: Any) -> bool:
    return types is None or any(v is None for v in types.values())


def type_check(graph: Any, nir: Any) -> bool:
    """Run nir's infer_types and check_types on `graph` (built with type_check=False), or
    return False where the result could differ from nir's (see the module's text). The
    nodes are instances of nir's own classes (from str2NIRNode), so their exact type says
    what they are."""
    nodes: Dict[str, Any] = graph.nodes
    edges: List[Edge] = graph.edges
    if not nodes:
        return False
    mirrored = {nir.Input, nir.Output, nir.Affine, nir.Linear, nir.Scale, nir.Threshold,
                nir.Delay, nir.I, nir.IF, nir.LI, nir.LIF, nir.CubaLI, nir.CubaLIF}
    if any(type(node) not in mirrored for node in nodes.values()):
        return False  # nested graphs, and the nodes whose output type nir computes
    shapes = _Shapes()
    try:
        return _infer(nodes, edges, nir, shapes) and _check(nodes, edges, shapes)
    except Exception:  # e.g. a dangling edge: nir's own check says what it says
        return False


def _infer(nodes: Dict[str, Any], edges: List[Edge], nir: Any, shapes: _Shapes) -> bool:
    # infer_types: every root must already be an Input with a type (nir adds Input nodes
    # or raises otherwise).
    Input, Output = nir.Input, nir.Output
    roots = nodes.keys() - {e[1] for e in edges}
    for key in roots:
        if type(nodes[key]) is not Input or _undefined(nodes[key].input_type):
            return False
    inputs = {k for k, n in nodes.items() if type(n) is Input}
    ready = [e for e in edges if e[0] in inputs]
    if not ready:
        return False
    # nir scans every edge for the ones leaving post_key; the same edges in the same order.
    leaving: Dict[str, List[Edge]] = {}
    for e in edges:
        leaving.setdefault(e[0], []).append(e)
    seen = {e[0] for e in ready}
    single = shapes.single
    while ready:
        pre_key, post_key = ready.pop()
        pre, post = nodes[pre_key], nodes[post_key]
        produced = single(pre.output_type)
        accepting = post.input_type
        if produced is None or type(accepting) is not dict or len(accepting) != 1:
            return False
        (accepted,) = accepting.values()
        if accepted is None:  # nir: an undefined input type takes the produced one
            post.input_type = {k.replace("output", "input"): v for k, v in pre.output_type.items()}
        elif single(accepting) != produced:
            return False  # nir raises its type mismatch (or the type is not a plain shape)
        if type(post) is Output:
            post.output_type = {k.replace("input", "output"): v for k, v in post.input_type.items()}
        if single(post.output_type) is None:
            return False  # undefined (nir's check_types or leaf check refuses it), or not plain
        seen.add(post_key)
        ready += [e for e in leaving.get(post_key, ()) if e[1] not in seen]
    # Every leaf must already be an Output (nir adds Output nodes or raises otherwise).
    leaves = nodes.keys() - {e[0] for e in edges}
    return bool(leaves) and all(type(nodes[k]) is Output for k in leaves)


def _check(nodes: Dict[str, Any], edges: List[Edge], shapes: _Shapes) -> bool:
    # check_types: both ends typed, one shape each, equal.
    produced = {k: shapes.single(n.output_type) for k, n in nodes.items()}
    accepted = {k: shapes.single(n.input_type) for k, n in nodes.items()}
    for src, dst in edges:
        if produced[src] is None or produced[src] != accepted[dst]:
            return False
    return True
