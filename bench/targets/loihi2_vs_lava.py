"""nirb's Loihi 2 emulation (profile loihi2) against Lava 0.10.0's bit-accurate CPU model on
the same quantised network, 1000 steps: identical spikes and voltages checked, then both timed
in one run. Not a test: the timings mean something only on a quiet machine
(docs/performance.md says how they were taken).

    .venv/bin/python bench/targets/loihi2_vs_lava.py [--nirb build/tools/nirb] [--steps 1000]

1. Identity: `nirb simulate --profile loihi2` (the CLI, recording spikes and v of both
   populations) against plugins/loihi2/lava_run.py in .venv-lava: all equal.
2. Simulation only (target_timing.py), interleaved rounds: Lava's `run` call (its
   run_seconds: compiling the process graph, starting the runtime, the steps with the
   monitors lava_run.py attaches; the second run in a fresh Lava process, so imports and
   first-use caches are outside) against nirb-bench-sim's timed run (the output recorded).
3. Whole command, for reference: the Lava process (import included) against `nirb simulate`.
Needs .venv (nir, h5py, numpy) and .venv-lava (scripts/setup.sh).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import h5py
import nir
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "python"))
sys.path.insert(0, str(ROOT / "bench" / "targets"))
import target_timing as tt  # noqa: E402
from test_target_loihi2 import lava_spec, mlp  # noqa: E402  the same network and reader

LAVA = [ROOT / ".venv-lava" / "bin" / "python", ROOT / "plugins" / "loihi2" / "lava_run.py"]


def lava_runs(tmp, runs):
    """One Lava process running the network `runs` times: the last run's outputs and every
    run's run_seconds."""
    jobs = [{"spec": str(tmp / "spec.json"), "spikes": str(tmp / "spikes.npy"),
             "out": str(tmp / f"lava{k}.npz")} for k in range(runs)]
    (tmp / "jobs.json").write_text(json.dumps(jobs))
    subprocess.run([*LAVA, tmp / "jobs.json"], check=True, capture_output=True)
    outs = [np.load(tmp / f"lava{k}.npz") for k in range(runs)]
    return outs[-1], [float(o["run_seconds"]) for o in outs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nirb", default=str(ROOT / "build" / "tools" / "nirb"))
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(pathlib.Path(args.nirb).resolve().parents[1] /
                                                "plugins" / "loihi2"))
    print(tt.load_average())
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        env["NIRB_PLUGIN_CACHE"] = str(tmp / "cache")
        rng = np.random.default_rng(0)
        nir.write(tmp / "mlp.nir", mlp(rng))
        mapped = tmp / "mlp.json"
        subprocess.run([args.nirb, "map", tmp / "mlp.nir", "--target", "loihi2", "-o", mapped],
                       check=True, env=env, capture_output=True)
        spec = lava_spec(json.loads(mapped.read_text()))
        (tmp / "spec.json").write_text(json.dumps(spec))
        spikes = (rng.random((args.steps, 8)) < 0.2).astype(np.int64)
        np.save(tmp / "spikes.npy", spikes)
        x_path = tmp / "x.npy"
        np.save(x_path, spikes[:, None, :].astype(np.float32))
        whole_lava, (lava, _) = tt.timed(lambda: lava_runs(tmp, 1))
        whole_nirb, _ = tt.timed(lambda: subprocess.run(
            [args.nirb, "simulate", mapped, "--profile", "loihi2", "--input", x_path,
             "--output", tmp / "y.h5", "-q", "--record", "lif1", "--record", "lif1:v",
             "--record", "lif2", "--record", "lif2:v"], check=True, env=env,
            capture_output=True))
        with h5py.File(tmp / "y.h5") as f:
            for n in ("lif1", "lif2"):
                s = f[f"nodes/{n}/observables/output/data"][0]
                v = np.round(f[f"nodes/{n}/observables/v/data"][0] * 64)
                assert (s == lava[f"{n}.s"]).all(), f"{n}: spikes differ"
                assert (v == lava[f"{n}.v"]).all(), f"{n}: v differs"
        print(f"steps={args.steps}: spikes and v identical=True "
              f"(output spikes {int(lava['lif2.s'].sum())})")
        print(f"whole command: Lava process {whole_lava:.3f} s | nirb simulate subprocess "
              f"{whole_nirb:.3f} s | ratio {whole_lava / whole_nirb:.1f}x")
        binary = tt.bench_sim_binary(args.nirb)

        def vendor():
            out, seconds = lava_runs(tmp, 2)  # the second run: a warm Lava process
            return seconds[-1], out["lif2.s"].sum()

        times, counts = tt.interleaved(
            vendor, lambda: tt.nirb_run(binary, mapped, x_path, "loihi2", env), args.rounds)
        same = tt.report(f"simulation only, {args.rounds} rounds", times, counts)
    print(tt.load_average())
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
