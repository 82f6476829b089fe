"""A long-lived benchmark worker for bench/sim/run_peers.py: one process per group of peers
(torch, jax, mlx, numpy) and thread count, pinned to that many cores, that loads peer models
once and then times their runs on request, so that import time, model loading, warm-up and
(for JAX) jit compilation never fall into a timed run.

Protocol: one JSON object per line on stdin, one answer per line on the worker's original
stdout (the frameworks' own prints are sent to stderr). Requests:

    {"op": "prepare", "key": k, "peer": name, "path": model.nir, "x": spikes.npy,
     "chunk": steps or null}
        loads the model with the peer's importer (peers/NAME.py `prepare`), runs it once
        (warm-up) -> {"ok": true, "count": spikes, "warmup_s": s, "compile_s": s or null,
        "note": what the row should say or null, "chunked": false if it ignored the chunk}
    {"op": "native", "key": k, "peer": name, "source": file.nir, "out": own.nir,
     "x": spikes.npy, "chunk": ...}
        builds the model in the framework itself from the source file's weights
        (model_layers.py), exports it with the framework's own exporter to `out`
        (peers/NAME.py `build_native`), warm-up
        -> {"ok": true, "count": ..., "compile_s": ..., "note": ...}
    {"op": "run", "key": k, "inner": n}   -> {"ok": true, "seconds": best of n, "count": ...}
    {"op": "drop", "key": k}
A failure answers {"ok": false, "error": "..."}; the worker keeps serving.

Usage (by run_peers.py only): python peer_worker.py PEERS_DIR THREADS
"""

import importlib.util
import json
import os
import sys
import time
import traceback

import numpy as np

import model_layers  # noqa: F401 (bench/sim/*.py: this file's folder is sys.path[0] here)
import peer_runners  # noqa: F401 (imported here so that peers find it in sys.modules)


def _pin(threads):
    """Limit this process to `threads` cores and every thread pool to `threads` threads."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    if threads == 1:  # XLA's CPU client otherwise starts one Eigen thread per core
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                   " --xla_cpu_multi_thread_eigen=false"
                                   " intra_op_parallelism_threads=1").strip()
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) >= threads:
        os.sched_setaffinity(0, cores[:threads])


def _load_peer(peers_dir, name, cache={}):
    """peers/NAME.py by its path (peers/spyx.py must not shadow the spyx package)."""
    if name not in cache:
        spec = importlib.util.spec_from_file_location(f"nirb_peer_{name}",
                                                      os.path.join(peers_dir, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cache[name] = module
    return cache[name]


def spike_count(out):
    """Total of an output (numpy, torch, JAX or MLX array, or a number), as a float."""
    if hasattr(out, "detach"):
        out = out.detach().numpy()
    return float(np.sum(np.asarray(out, dtype=np.float64)))


def _serve(peers_dir, threads, proto):
    runners = {}
    for line in sys.stdin:
        req = json.loads(line)
        op, key = req["op"], req.get("key")
        try:
            if op in ("prepare", "native"):
                peer = _load_peer(peers_dir, req["peer"])
                if "torch" in sys.modules:
                    sys.modules["torch"].set_num_threads(threads)
                x = np.load(req["x"])
                note = None
                if op == "prepare":
                    runner = peer.prepare(req["path"], x, req.get("chunk"))
                else:
                    in_shape, layers = model_layers.layers_of(req["source"])
                    runner, note = peer.build_native(in_shape, layers, req["out"], x,
                                                     req.get("chunk"))
                if "torch" in sys.modules:  # the peer may have imported torch just now
                    sys.modules["torch"].set_num_threads(threads)
                t0 = time.perf_counter()
                count = spike_count(runner())  # warm-up run (and its output spikes)
                runners[key] = runner
                answer = {"ok": True, "count": count,
                          "note": note or getattr(runner, "note", None),
                          "chunked": getattr(runner, "chunked", True),
                          "warmup_s": time.perf_counter() - t0,
                          "compile_s": getattr(runner, "compile_seconds", None)}
            elif op == "run":
                runner, best, count = runners[key], float("inf"), None
                for _ in range(max(1, int(req.get("inner", 1)))):
                    t0 = time.perf_counter()
                    out = runner()  # runners block until their result is computed
                    best = min(best, time.perf_counter() - t0)
                    count = spike_count(out)
                answer = {"ok": True, "seconds": best, "count": count}
            elif op == "drop":
                runners.pop(key, None)
                answer = {"ok": True}
            else:
                answer = {"ok": False, "error": f"unknown op {op!r}"}
        except Exception as e:  # reported to the coordinator, which prints it in the table
            traceback.print_exc(file=sys.stderr)
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}".splitlines()[0][:300]}
        proto.write(json.dumps(answer) + "\n")
        proto.flush()


def main():
    peers_dir, threads = sys.argv[1], int(sys.argv[2])
    _pin(threads)
    proto = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # frameworks' prints go to stderr, never into the protocol
    # This file's folder comes first on sys.path: drop it so no peer file shadows a package.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    _serve(peers_dir, threads, proto)


if __name__ == "__main__":
    main()
