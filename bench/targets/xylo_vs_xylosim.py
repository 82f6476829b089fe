"""nirb's Xylo emulation (`nirb simulate --profile xylo-audio2`) against XyloSim on the same
quantised network: 1000 steps, identical spikes and states checked, both wall times printed.

    NIRB_BIN=build/tools/nirb .venv/bin/python bench/targets/xylo_vs_xylosim.py [--hidden 512]

Uses the test's reference helpers (tests/python/xylo_reference.py: rockpool's mapper and
quantiser, XyloSim with only the samna import stubbed) and the test's network builder. The nirb time
includes process start and file I/O; XyloSim's its Python wrapper. Not run by CI.
"""
import argparse
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "python"))

import numpy as np  # noqa: E402

import test_target_xylo as t  # noqa: E402
import xylo_reference as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=0.1)
    args = ap.parse_args()
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(t.PLUGINS))
    p = t.params(0, True, False, n_hid=args.hidden, n_out=8)
    p["w_rec"] *= np.sqrt(24 / args.hidden)
    x = (np.random.default_rng(1).random((args.steps, 16)) < args.rate).astype(int)
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        env["NIRB_PLUGIN_CACHE"] = str(tmp / "cache")
        q, exported = t.rockpool_case(p, "global")
        mapped, _, _ = t.map_model(tmp, exported, env, "quantizer=global", "compat=true")
        start = time.perf_counter()
        want = ref.run_xylosim(q, x, t.DT)
        xylosim_s = time.perf_counter() - start
        start = time.perf_counter()
        got = t.simulate(tmp, mapped, x, env)
        nirb_s = time.perf_counter() - start
    same = all(np.array_equal(got[k], want[k].reshape(got[k].shape))
               for k in ("spikes", "out", "v", "i", "v_out", "i_out"))
    print(f"hidden={args.hidden} steps={args.steps}: identical={same} "
          f"hidden_spikes={int(want['spikes'].sum())} xylosim={xylosim_s:.3f}s "
          f"nirb={nirb_s:.3f}s ratio={xylosim_s / nirb_s:.1f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
