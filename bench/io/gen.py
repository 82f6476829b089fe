"""Generate benchmark graphs with the reference package: Input -> (Affine -> LIF) x k ->
Output, float32 16x16 weights, graph metadata. `--nodes N` counts the Affine and LIF nodes
(N/2 pairs). `--big PATH` instead writes one Affine with a 1 GiB float32 weight."""
import argparse

import nir
import numpy as np


def chain(n_nodes, width=16):
    rng = np.random.default_rng(0)
    nodes = {"input": nir.Input(input_type=np.array([width]))}
    prev, edges = "input", []
    for i in range(n_nodes // 2):
        a, l = f"affine_{i}", f"lif_{i}"
        nodes[a] = nir.Affine(weight=rng.standard_normal((width, width), dtype=np.float32),
                              bias=np.zeros(width, dtype=np.float32))
        ones = np.ones(width, dtype=np.float32)
        nodes[l] = nir.LIF(tau=ones * 0.01, r=ones, v_leak=ones * 0, v_threshold=ones,
                           v_reset=ones * 0)
        edges += [(prev, a), (a, l)]
        prev = l
    nodes["output"] = nir.Output(output_type=np.array([width]))
    edges.append((prev, "output"))
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False,
                        metadata={"dt": 1e-4, "source": "bench/io/gen.py", "nodes": n_nodes})


def big(gib=1):
    side = int((gib * 2**30 / 4) ** 0.5)  # square float32 matrix of ~gib GiB
    w = np.random.default_rng(0).standard_normal((side, side), dtype=np.float32)
    nodes = {"input": nir.Input(input_type=np.array([side])),
             "w": nir.Linear(weight=w),
             "output": nir.Output(output_type=np.array([side]))}
    return nir.NIRGraph(nodes=nodes, edges=[("input", "w"), ("w", "output")], type_check=False)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--big", action="store_true")
    a = ap.parse_args()
    nir.write(a.out, big() if a.big else chain(a.nodes))
