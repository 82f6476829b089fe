"""nirb's Speck emulation (`nirb simulate --profile speck`) against sinabs' discretised
network on the same integers: 1000 steps, identical output spikes checked, both wall times
printed.

    NIRB_BIN=build/tools/nirb .venv/bin/python bench/targets/speck_vs_sinabs.py

Uses the test's network and reference (tests/python/test_target_speck.py). The nirb time
includes process start and file I/O. Not run by CI.
"""
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "python"))

import numpy as np  # noqa: E402

import test_target_speck as t  # noqa: E402


def main(steps=1000):
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(t.BUILD / "plugins" / "speck"))
    p = t.params(0)
    x = (np.random.default_rng(7).random((steps, 2, 16, 16)) < 0.1).astype(np.float32)
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        env["NIRB_PLUGIN_CACHE"] = str(tmp / "cache")
        mapped, _, _ = t.map_model(tmp, p, env)
        disc = t.sinabs_discretised(p)
        start = time.perf_counter()
        want = t.sinabs_forward(disc, x)
        sinabs_s = time.perf_counter() - start
        np.save(tmp / "x.npy", x[:, None])
        start = time.perf_counter()
        r = t.nirb(["simulate", mapped, "--profile", "speck", "--input", tmp / "x.npy",
                    "--output", tmp / "y.npy"], env)
        nirb_s = time.perf_counter() - start
        assert r.returncode == 0, r.stderr
        got = np.load(tmp / "y.npy")[:, 0]
    same = np.array_equal(got, want)
    print(f"steps={steps}: identical={same} output_spikes={int(want.sum())} "
          f"sinabs={sinabs_s:.3f}s nirb={nirb_s:.3f}s ratio={sinabs_s / nirb_s:.1f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
