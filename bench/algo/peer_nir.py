"""Peer for bench/algo: Python nir's NIRGraph construction (infer_types + check_types) on the
graph of bench/algo/generate.hpp, built identically. Prints one markdown row per size.

Timing: time.thread_time() (CPU time of this thread, as the C++ side), best of
NIRB_BENCH_REPEATS (default 3); building the node objects is not timed.
Usage: python bench/algo/peer_nir.py 10000 100000
"""
import os
import sys
import time

import numpy as np
import nir


def target(i, k, n):
    t = [i + 1, i + 2, i - 5, (i * 7919) % n][k]
    return min(max(t, 1), n - 1)


def make_nodes(n):
    nodes = {}
    w = np.zeros((4, 4), dtype=np.float32)
    v = np.zeros((4,), dtype=np.float32)
    for i in range(n):
        name = f"n{i}"
        if i == 0:
            nodes[name] = nir.Input(input_type={"input": np.array([4])})
        elif i == n - 1:
            nodes[name] = nir.Output(output_type={"output": None})
        elif i % 3 == 0:
            nodes[name] = nir.Linear(weight=w)
        elif i % 3 == 1:
            nodes[name] = nir.Scale(scale=v)
        else:
            nodes[name] = nir.Threshold(threshold=v)
    return nodes


def make_edges(n):
    edges = []
    for i in range(n - 1):
        seen = set()
        for k in range(4):
            t = target(i, k, n)
            if t not in seen:
                seen.add(t)
                edges.append((f"n{i}", f"n{t}"))
    return edges


def main():
    repeats = int(os.environ.get("NIRB_BENCH_REPEATS", "3"))
    print("| nodes | edges | nir.NIRGraph (ms) |\n|---|---|---|")
    for arg in sys.argv[1:]:
        n = int(arg)
        edges = make_edges(n)
        best = float("inf")
        for _ in range(repeats):
            nodes = make_nodes(n)  # fresh: infer_types mutates the nodes
            t0 = time.thread_time()
            nir.NIRGraph(nodes=nodes, edges=edges, type_check=True)
            best = min(best, time.thread_time() - t0)
        print(f"| {n} | {len(edges)} | {best * 1e3:.0f} |", flush=True)


if __name__ == "__main__":
    sys.setrecursionlimit(10_000_000)
    main()
