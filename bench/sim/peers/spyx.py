"""Benchmark peer: Spyx 1.0.0 (JAX, jit-compiled on CPU) runs a .nir file with its own importer
(bench/sim/run_peers.py).

prepare(path, x, chunk) builds the model with spyx.nir.from_nir (which also runs it once) and
compiles jax.jit(spyx.nn.run) (jax.lax.scan over time) for the whole input ahead of time:
the runner's `compile_seconds` is that compilation, kept out of the timed runs. Spikes x are
time-major and channels-first like every peer's, transposed to Spyx's channels-last here.

nirb refuses converting the benchmark models to Spyx (Spyx spikes from the previous membrane,
one step later per layer), so build_native builds the same architecture with the source's
weights from Spyx's own layers, exports it with spyx.nir.to_nir and runs that export as Spyx
imports it; nirb runs the same export (after `nirb convert --from spyx --to spyx`, which
reorders Spyx's channels-last Flatten) under the spyx profile.
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402

VERSION = "Spyx 1.0.0"
HOW = "JAX jit, lax.scan"
GROUP = "jax"
#: the dt Spyx's to_nir and from_nir default to
SPYX_DT = 1.0


def _channels_last(x):
    x = np.asarray(x, dtype=np.float32)
    return np.moveaxis(x, 2, -1) if x.ndim == 5 else x


def prepare(path, x, chunk=None):
    import time

    import jax
    import nir
    from spyx.nir import from_nir
    from spyx.nn import run as spyx_run

    xs = jax.numpy.asarray(_channels_last(x))
    model, _ = from_nir(nir.read(str(path)), xs[:1], dt=SPYX_DT)
    t0 = time.perf_counter()
    compiled = jax.jit(lambda inputs: spyx_run(model, inputs)[0]).lower(xs).compile()
    compile_seconds = time.perf_counter() - t0

    def run():
        return compiled(xs).block_until_ready()

    run.compile_seconds = compile_seconds
    return run


def _scalar(a, what):
    if np.ptp(a) != 0:
        raise ValueError(f"Spyx takes one {what} per layer here; the source has several")
    return float(np.asarray(a).reshape(-1)[0])


def build_native(in_shape, layers, out_path, x, chunk=None):
    """The source's chain from Spyx's own layers (flax nnx Linear/Conv, spyx.nn LIF, IF,
    SumPool, Flatten), exported by spyx.nir.to_nir; then run as prepare() runs a file."""
    import jax.numpy as jnp
    import nir
    import spyx.nn as snn
    from flax import nnx
    from spyx.nir import to_nir

    rngs = nnx.Rngs(0)
    built, shape = [], tuple(in_shape)  # shape: channels-first, as in the source
    for layer in layers:
        kind = layer["kind"]
        if kind == "affine":
            w = layer["weight"]
            if len(shape) == 1 and built and isinstance(built[-1], snn.Flatten):
                # Spyx flattens channels-last (H, W, C); the source's columns are (C, H, W)
                c, h, wd = flat_from
                w = w.reshape(-1, c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
            lin = nnx.Linear(w.shape[1], w.shape[0], rngs=rngs)
            lin.kernel[...], lin.bias[...] = jnp.asarray(w.T), jnp.asarray(layer["bias"])
            built.append(lin)
            shape = (w.shape[0],)
        elif kind == "conv":
            w = layer["weight"]
            (ph, pw) = layer["padding"]
            conv = nnx.Conv(w.shape[1], w.shape[0], w.shape[2:], strides=layer["stride"],
                            padding=[(ph, ph), (pw, pw)], rngs=rngs)
            conv.kernel[...] = jnp.asarray(w.transpose(2, 3, 1, 0))
            conv.bias[...] = jnp.asarray(layer["bias"])
            built.append(conv)
            h = (shape[1] + 2 * ph - w.shape[2]) // layer["stride"][0] + 1
            wd = (shape[2] + 2 * pw - w.shape[3]) // layer["stride"][1] + 1
            shape = (w.shape[0], h, wd)
        elif kind in ("lif", "if"):
            hidden = shape[1:] + shape[:1] if len(shape) == 3 else shape
            theta = _scalar(layer["threshold"], "threshold")
            if kind == "if":
                built.append(snn.IF(hidden, threshold=theta, rngs=rngs))
            else:
                lif = snn.LIF(hidden, threshold=theta, rngs=rngs)
                lif.beta[...] = jnp.asarray(layer["beta"].reshape(hidden))
                built.append(lif)
        elif kind == "sumpool":
            built.append(snn.SumPool(layer["kernel"], layer["stride"], "VALID"))
            shape = (shape[0], shape[1] // layer["stride"][0], shape[2] // layer["stride"][1])
        elif kind == "flatten":
            built.append(snn.Flatten())
            flat_from, shape = shape, (int(np.prod(shape)),)
        else:
            raise ValueError(f"Spyx has no layer for {kind}")
    graph = to_nir(snn.Sequential(*built), {"input": np.array(in_shape)},
                   {"output": np.array(shape)}, dt=SPYX_DT)
    nir.write(str(out_path), graph)
    return prepare(out_path, x, chunk), None
