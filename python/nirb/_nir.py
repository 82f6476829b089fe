"""nir.NIRGraph objects to and from nirb.Graph, through nir's own dict form.

to_nir builds the objects from the dict nir.read would build from the same document written
as a file (nir 1.0.7's hdf2dict form), with nir's own node classes, so they are the ones
nir.read returns; only nir's graph type check is replaced (_nir_types), by one that makes the
same changes or defers to nir's. from_nir reads each node's NIRNode.to_dict(), what
nir.write would store.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Tuple

from . import _nir_types, _nirb


def _nir() -> Any:
    try:
        import nir
    except ImportError as e:
        raise ImportError("nirb.from_nir and nirb.to_nir need the nir package "
                          "(pip install nir==1.0.7, or pip install .[nir])") from e
    return nir


def _node_dict(node: Any) -> Dict[str, Any]:
    import nir

    if not isinstance(node, nir.NIRGraph):
        return node.to_dict()
    # NIRGraph.to_dict() deep-copies the whole graph before replacing its nodes; take the
    # graph's own fields shallowly and recurse instead.
    out: Dict[str, Any] = {
        f.name: getattr(node, f.name)
        for f in dataclasses.fields(node)
        if f.name not in ("nodes", "input_type", "output_type")
    }
    out["type"] = "NIRGraph"
    out["nodes"] = {name: _node_dict(child) for name, child in node.nodes.items()}
    return out


def from_nir(graph: Any) -> "_nirb.Graph":
    nir = _nir()

    if not isinstance(graph, nir.NIRNode):
        raise TypeError(f"expected a nir.NIRGraph (or another nir.NIRNode), got {type(graph).__name__}")
    return _nirb._from_dict(_node_dict(graph), getattr(nir, "version", None))


def _graph_without_nir_check(nir: Any, data: Dict[str, Any], edges: List[Tuple[str, str]],
                             type_check: bool) -> Any:
    """What nir.NIRGraph.from_dict builds from `data`, with nir's type check replaced by
    _nir_types.type_check; None where that check defers to nir's (or anything raises: nir's
    own run then raises its own error). The nodes are built by their classes' from_dict, as
    nir.dict2NIRNode does, in the same order. `edges` are the graph's edges as (str, str)
    tuples (nirb.Graph.edges), what nir makes of data["edges"] by decoding each name as
    UTF-8, without going through the NumPy array of bytes."""
    try:
        classes: Dict[str, Any] = {}
        nodes: Dict[str, Any] = {}
        for name, child in data["nodes"].items():
            cls = classes.get(child["type"])
            if cls is None:
                cls = classes[child["type"]] = nir.str2NIRNode(child["type"])
            nodes[name] = cls.from_dict(child)
        rest = {k: v for k, v in data.items() if k not in ("type", "nodes", "edges")}
        graph = nir.NIRGraph(nodes=nodes, edges=edges, type_check=False, **rest)
        if type_check:
            if not _nir_types.type_check(graph, nir):
                return None
            graph._update_input_output_types()  # as nir's check ends
        return graph
    except Exception:
        return None


def to_nir(graph: "_nirb.Graph", type_check: bool = True) -> Any:
    nir = _nir()

    data = graph.to_dict()
    if data.get("type") != "NIRGraph":
        return nir.dict2NIRNode(data)
    # _nir_types mirrors nir 1.0.7's check; another nir version gets its own check.
    if getattr(nir, "version", None) == _nir_types.MIRRORED_NIR_VERSION:
        fast = _graph_without_nir_check(nir, data, graph.edges, type_check)
        if fast is not None:
            return fast
    # nir's own construction (the node classes' from_dict change the dicts they are given,
    # so from a fresh dict): its result, or its error message.
    data = graph.to_dict()
    data["type_check"] = type_check  # as nir.read passes it
    return nir.dict2NIRNode(data)
