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


class _Shapes:
    """Each type value as a list of ints when it is a plain shape (a 1-d integer array or a
    tuple of ints), for which nir's np.array_equal tests (also on [value] wrapped in
    np.array) agree with list equality; None for anything else (None included). Memoised by
    identity: the values stay referenced by the nodes while the check runs."""

    def __init__(self) -> None:
        self.seen: Dict[int, Optional[List[int]]] = {}

    def of(self, value: Any) -> Optional[List[int]]:
        key = id(value)
        if key not in self.seen:
            self.seen[key] = _shape(value)
        return self.seen[key]

    def single(self, types: Any) -> Optional[Tuple[str, List[int], Any]]:
        """(key, shape, value) of a type dict holding one plain shape, else None."""
        if type(types) is not dict or len(types) != 1:
            return None
        ((key, value),) = types.items()
        shape = self.of(value)
        return None if shape is None else (key, shape, value)


def _shape(value: Any) -> Optional[List[int]]:
    if type(value) is np.ndarray:
        # uint64 against int64 compares through float64 in NumPy: not exact beyond 2**53.
        if value.ndim == 1 and value.dtype.kind in "iu" and value.dtype != np.uint64:
            return value.tolist()
        return None
    if type(value) is tuple and all(type(x) is int for x in value):
        return list(value)
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
    while ready:
        pre_key, post_key = ready.pop()
        pre, post = nodes[pre_key], nodes[post_key]
        produced = shapes.single(pre.output_type)
        if produced is None or type(post.input_type) is not dict or len(post.input_type) != 1:
            return False
        if _undefined(post.input_type):
            key, _, value = produced
            post.input_type = {key.replace("output", "input"): value}
        else:
            accepted = shapes.single(post.input_type)
            if accepted is None or accepted[1] != produced[1]:
                return False  # nir raises its type mismatch
        if type(post) is Output:
            post.output_type = {k.replace("input", "output"): v for k, v in post.input_type.items()}
        if _undefined(post.output_type):
            return False  # nir's check_types or leaf check refuses it
        seen.add(post_key)
        ready += [e for e in leaving.get(post_key, ()) if e[1] not in seen]
    # Every leaf must already be an Output (nir adds Output nodes or raises otherwise).
    leaves = nodes.keys() - {e[0] for e in edges}
    return bool(leaves) and all(type(nodes[k]) is Output for k in leaves)


def _check(nodes: Dict[str, Any], edges: List[Edge], shapes: _Shapes) -> bool:
    # check_types: both ends typed, one shape each, equal.
    for src, dst in edges:
        produced = shapes.single(nodes[src].output_type)
        accepted = shapes.single(nodes[dst].input_type)
        if produced is None or accepted is None or produced[1] != accepted[1]:
            return False
    return True
