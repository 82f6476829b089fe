"""nir.NIRGraph objects to and from nirb.Graph, through nir's own dict form.

to_nir hands nir.dict2NIRNode the dict nir.read would build from the same document written
as a file (nir 1.0.7's hdf2dict form), so the objects are the ones nir.read returns;
from_nir reads each node's NIRNode.to_dict(), what nir.write would store.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict

from . import _nirb


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


def to_nir(graph: "_nirb.Graph", type_check: bool = True) -> Any:
    nir = _nir()

    data = graph.to_dict()
    if data.get("type") == "NIRGraph":
        data["type_check"] = type_check  # as nir.read passes it
    return nir.dict2NIRNode(data)
