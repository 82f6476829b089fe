"""Deep equality of nir objects: node types, every field with its dtype, shape and values,
metadata value kinds, edges, and (when ordered) node and edge order."""

import math

import numpy as np


def assert_same_value(a, b, where):
    if isinstance(a, dict):
        assert isinstance(b, dict), f"{where}: dict vs {type(b).__name__}"
        assert list(a) == list(b), f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            assert_same_value(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), f"{where}: ndarray vs {type(b).__name__}"
        assert a.dtype == b.dtype, f"{where}: dtype {a.dtype} vs {b.dtype}"
        assert a.shape == b.shape, f"{where}: shape {a.shape} vs {b.shape}"
        if a.dtype.kind in "fc":
            assert np.array_equal(a, b, equal_nan=True), f"{where}: values differ"
        else:
            assert a.tolist() == b.tolist(), f"{where}: values differ"
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
        assert len(a) == len(b), f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_value(x, y, f"{where}[{i}]")
    else:
        assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
        if isinstance(a, (float, np.floating)) and math.isnan(a):
            assert math.isnan(b), f"{where}: nan vs {b}"
        else:
            assert a == b, f"{where}: {a!r} vs {b!r}"


def assert_same_graph(a, b, where="graph", ordered=True):
    """a and b are the same nir node (graphs recursively). ordered=False ignores the order
    of nodes, edges and metadata keys (two writers may store them differently)."""
    import nir

    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, nir.NIRGraph):
        names_a, names_b = list(a.nodes), list(b.nodes)
        assert (names_a if ordered else sorted(names_a)) == \
            (names_b if ordered else sorted(names_b)), f"{where}: nodes differ"
        for name in names_a:
            assert_same_graph(a.nodes[name], b.nodes[name], f"{where}.{name}", ordered)
        edges_a, edges_b = list(map(tuple, a.edges)), list(map(tuple, b.edges))
        assert (edges_a if ordered else sorted(edges_a)) == \
            (edges_b if ordered else sorted(edges_b)), f"{where}: edges differ"
        rest = {k: v for k, v in vars(a).items() if k not in ("nodes", "edges")}
        other = {k: v for k, v in vars(b).items() if k not in ("nodes", "edges")}
    else:
        rest, other = vars(a), vars(b)
    if not ordered:
        rest, other = _sorted(rest), _sorted(other)
    assert_same_value(rest, other, where)


def _sorted(d):
    return {k: _sorted(v) if isinstance(v, dict) else v for k, v in sorted(d.items())}
