"""nirb.to_nir runs nir's graph type check through nirb._nir_types (nir's own check rescans
every edge for each edge it visits). These tests hold the replacement to nir's: on every
fixture and on graphs made to reach each of nir's outcomes (shapes inferred, mismatches,
Input or Output nodes nir adds, cycles, nodes nir computes shapes for), to_nir gives exactly
what nir's own construction of the same dict gives, including which type arrays are shared
between nodes, or nir's exception with nir's message; and the fast build is really taken
where it should be."""

import numpy as np
import pytest

import nirb
from conftest import FIXTURES, nir_files
from nir_compare import assert_same_graph
from nirb import _nir

FILES = nir_files()


def nir_own(graph, type_check):
    """What nir builds from the same dict (nir.read's dict2NIRNode call)."""
    import nir

    data = graph.to_dict()
    data["type_check"] = type_check
    return nir.dict2NIRNode(data)


def outcome(build):
    try:
        return build(), None
    except Exception as e:  # compared as type and message
        return None, (type(e).__name__, str(e))


def sharing(graph):
    """For each array, tuple or dict held by a node or the graph, the first place holding the
    same object: nir hands one node's output type array to the next node's input type."""
    first, out = {}, []

    def visit(where, value):
        if isinstance(value, (np.ndarray, tuple, list, dict)):
            out.append((where, first.setdefault(id(value), where)))
        if isinstance(value, dict):
            for k, v in value.items():
                visit(where + (k,), v)

    for name, node in graph.nodes.items():
        for attr, value in vars(node).items():
            visit((name, attr), value)
    for attr in ("input_type", "output_type", "metadata"):
        visit(("graph", attr), getattr(graph, attr))
    return out


def assert_like_nir(graph, type_check=True):
    ours, our_error = outcome(lambda: nirb.to_nir(graph, type_check=type_check))
    theirs, their_error = outcome(lambda: nir_own(graph, type_check))
    assert our_error == their_error
    if theirs is not None:
        assert_same_graph(ours, theirs)
        assert sharing(ours) == sharing(theirs)


def takes_fast_build(graph):
    import nir

    return _nir._graph_without_nir_check(nir, graph.to_dict(), graph.edges, True) is not None


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture_like_nir(path):
    graph = nirb.read(path)
    for type_check in (True, False):
        assert_like_nir(graph, type_check)


def test_fast_build_covers_the_plain_fixtures():
    fast = {p.name for p in FILES if takes_fast_build(nirb.read(p))}
    assert {"large_many_nodes.nir", "recurrent.nir", "self_loop.nir", "prim_Linear.nir",
            "multi_io.nir", "braille_noDelay_bias_zero.nir"} <= fast
    assert not {"conv_net.nir", "nested_subgraphs.nir", "prim_Flatten.nir"} & fast


def lif(n, dtype=np.float32):
    import nir

    ones = np.ones(n, dtype=dtype)
    return nir.LIF(tau=ones, r=ones, v_leak=ones * 0, v_threshold=ones, v_reset=ones * 0)


def graph_of(nodes, edges):
    import nir

    return nirb.from_nir(nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))


def cases():
    """name -> (nirb.Graph, whether the fast build applies)."""
    import nir

    def inp(shape):
        return nir.Input(input_type=np.array(shape))

    def outp(shape):
        return nir.Output(output_type=np.array(shape))

    affine = nir.Affine(weight=np.ones((3, 3), np.float32), bias=np.zeros(3, np.float32))
    chain = [("in", "a"), ("a", "b"), ("b", "out")]
    return {
        "chain": (graph_of({"in": inp([3]), "a": lif(3), "b": lif(3), "out": outp([3])},
                           chain), True),
        "recurrent": (graph_of({"in": inp([3]), "a": affine, "b": lif(3), "out": outp([3])},
                               chain + [("b", "a")]), True),
        "linear tuple type": (graph_of({"in": inp([3]),
                                        "a": nir.Linear(weight=np.ones((4, 3), np.float32)),
                                        "b": lif(4), "out": outp([4])}, chain), True),
        "int32 shapes": (graph_of({"in": nir.Input(input_type=np.array([3], np.int32)),
                                   "a": lif(3), "b": lif(3), "out": outp([3])}, chain), True),
        "two inputs, one node": (graph_of({"x": inp([3]), "y": inp([3]), "a": lif(3),
                                           "out": outp([3])},
                                          [("x", "a"), ("y", "a"), ("a", "out")]), True),
        "mismatch": (graph_of({"in": inp([3]), "a": lif(4), "b": lif(4), "out": outp([4])},
                              chain), False),
        "output mismatch": (graph_of({"in": inp([3]), "a": lif(3), "b": lif(3),
                                      "out": outp([5])}, chain), False),
        "inputs disagree": (graph_of({"x": inp([3]), "y": inp([4]), "a": lif(3),
                                      "out": outp([3])},
                                     [("x", "a"), ("y", "a"), ("a", "out")]), False),
        "no output node": (graph_of({"in": inp([3]), "a": lif(3), "b": lif(3)}, chain[:2]),
                           False),
        "no input node": (graph_of({"a": lif(3), "b": lif(3), "out": outp([3])}, chain[1:]),
                          False),
        "cycle only": (graph_of({"a": lif(3), "b": lif(3)}, [("a", "b"), ("b", "a")]), False),
        "float shape": (graph_of({"in": nir.Input(input_type=np.array([3.0])), "a": lif(3),
                                  "b": lif(3), "out": outp([3])}, chain), False),
        "flatten inferred": (graph_of({"in": inp([2, 3]),
                                       "a": nir.Flatten(input_type={"input": None}),
                                       "b": lif(6), "out": outp([6])}, chain), False),
        "no nodes": (graph_of({}, []), False),
    }


CASES = cases()


@pytest.mark.parametrize("name", list(CASES))
def test_graph_like_nir(name):
    graph, fast = CASES[name]
    assert takes_fast_build(graph) == fast
    for type_check in (True, False):
        assert_like_nir(graph, type_check)


def test_nir_message_for_a_mismatch():
    with pytest.raises(ValueError, match="type mismatch"):
        nirb.to_nir(CASES["mismatch"][0])


def test_another_nir_version_gets_nirs_own_check(monkeypatch):
    import nir

    graph, _ = CASES["chain"]
    calls = []
    monkeypatch.setattr(_nir, "_graph_without_nir_check", lambda *a: calls.append(a))
    nirb.to_nir(graph)
    assert len(calls) == 1  # nir 1.0.7: the mirrored check is tried
    monkeypatch.setattr(nir, "version", "1.1.0")
    assert_like_nir(graph)
    assert len(calls) == 1  # not tried for another version
