"""Spyx 1.0.0 (JAX, jit-compiled on CPU) as a bench/sim peer: load a .nir file with Spyx's own
importer and run it on a spike array, the way a Spyx user would.

    seconds, counts = run(path, x, dt=1.0, repeats=2)

x is time-major (T, B, ...), channels-first like every peer's (transposed to Spyx's
channels-last here). spyx.nir.from_nir builds the model and runs it once; the run is then a
jax.jit of spyx.nn.run (jax.lax.scan over time). The first call compiles: its time is
returned separately (run_with_compile), the timed runs reuse the compiled function. Output
spike counts are per output neuron, summed over time and batch, to check against `nirb
simulate` under the spyx profile (the same graph: `nirb convert --to spyx` or Spyx's own
export). Not a test: the lead runs all peers together on a quiet machine.
"""

import os
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402


def _channels_last(x):
    x = np.asarray(x, dtype=np.float32)
    return np.moveaxis(x, 2, -1) if x.ndim == 5 else x


def run_with_compile(path, x, dt=1.0, repeats=2):
    """(compile seconds, best run seconds, output spike counts) of the model in `path`."""
    import jax
    import nir
    from spyx.nir import from_nir
    from spyx.nn import run as spyx_run

    xs = jax.numpy.asarray(_channels_last(x))
    model, _ = from_nir(nir.read(str(path)), xs[:1], dt=dt)
    step = jax.jit(lambda inputs: spyx_run(model, inputs)[0])
    t0 = time.perf_counter()
    step(xs).block_until_ready()
    compile_s = time.perf_counter() - t0
    best = 1e300
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = step(xs).block_until_ready()
        best = min(best, time.perf_counter() - t0)
    counts = np.asarray(out).reshape(out.shape[0], out.shape[1], -1).sum(axis=(0, 1))
    return compile_s, best, counts


def run(path, x, dt=1.0, repeats=2):
    """(best run seconds without compilation, output spike counts per output neuron)."""
    _, seconds, counts = run_with_compile(path, x, dt, repeats)
    return seconds, counts


if __name__ == "__main__":
    import argparse
    import sys

    # Run as a script, this file's folder comes first on sys.path and "spyx" would be itself.
    sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(
        os.path.abspath(__file__))]

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--input", required=True, help=".npy spikes (T, B, ...)")
    ap.add_argument("--dt", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=2)
    a = ap.parse_args()
    c, s, n = run_with_compile(a.model, np.load(a.input), a.dt, a.repeats)
    print(f'{{"compile_seconds": {c}, "seconds": {s}, "output_spikes": {float(n.sum())}}}')
