"""nirb's Loihi 2 emulation (`nirb simulate --profile loihi2`) against Lava 0.10.0's
bit-accurate CPU model on the same quantised network: 1000 steps, identical spikes and
voltages checked, wall time of each printed. Not a test: the timings mean something only
on a quiet machine (docs/performance.md says how they were taken).

    .venv/bin/python bench/targets/loihi2_vs_lava.py [--nirb build/tools/nirb] [--steps 1000]

Needs .venv (nir, h5py, numpy) and .venv-lava (scripts/setup.sh).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import h5py
import nir
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "python"))
from test_target_loihi2 import lava_spec, mlp  # noqa: E402  the same network and reader


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nirb", default=str(ROOT / "build" / "tools" / "nirb"))
    ap.add_argument("--steps", type=int, default=1000)
    args = ap.parse_args()
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(pathlib.Path(args.nirb).resolve().parents[1] /
                                                "plugins" / "loihi2"))
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        rng = np.random.default_rng(0)
        nir.write(tmp / "mlp.nir", mlp(rng))
        subprocess.run([args.nirb, "map", tmp / "mlp.nir", "--target", "loihi2", "-o",
                        tmp / "mlp.json"], check=True, env=env, capture_output=True)
        spec = lava_spec(json.loads((tmp / "mlp.json").read_text()))
        (tmp / "spec.json").write_text(json.dumps(spec))
        spikes = (rng.random((args.steps, 8)) < 0.2).astype(np.int64)
        np.save(tmp / "spikes.npy", spikes)
        np.save(tmp / "x.npy", spikes[:, None, :].astype(np.float32))
        (tmp / "jobs.json").write_text(json.dumps([{"spec": str(tmp / "spec.json"),
            "spikes": str(tmp / "spikes.npy"), "out": str(tmp / "lava.npz")}]))
        start = time.perf_counter()
        subprocess.run([ROOT / ".venv-lava" / "bin" / "python",
                        ROOT / "plugins" / "loihi2" / "lava_run.py", tmp / "jobs.json"],
                       check=True, capture_output=True)
        lava_seconds = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([args.nirb, "simulate", tmp / "mlp.json", "--profile", "loihi2",
                        "--input", tmp / "x.npy", "--output", tmp / "y.h5", "-q",
                        "--record", "lif1", "--record", "lif1:v", "--record", "lif2",
                        "--record", "lif2:v"], check=True, env=env, capture_output=True)
        nirb_seconds = time.perf_counter() - start
        lava = np.load(tmp / "lava.npz")
        with h5py.File(tmp / "y.h5") as f:
            for n in ("lif1", "lif2"):
                s = f[f"nodes/{n}/observables/output/data"][0]
                v = np.round(f[f"nodes/{n}/observables/v/data"][0] * 64)
                assert (s == lava[f"{n}.s"]).all(), f"{n}: spikes differ"
                assert (v == lava[f"{n}.v"]).all(), f"{n}: v differs"
    print(json.dumps({"steps": args.steps, "identical": True, "lava_seconds": lava_seconds,
                      "nirb_seconds": nirb_seconds, "speedup": lava_seconds / nirb_seconds,
                      "note": "both include process start-up; Lava's includes its import"}))


if __name__ == "__main__":
    main()
