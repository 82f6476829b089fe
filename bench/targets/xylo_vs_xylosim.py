"""nirb's Xylo emulation (profile xylo-audio2) against XyloSim on the same quantised network,
1000 steps: identical spikes and states checked, then both simulators timed in one run.

    NIRB_BIN=build/tools/nirb .venv/bin/python bench/targets/xylo_vs_xylosim.py [--hidden 512]

Uses the test's reference helpers (tests/python/xylo_reference.py: rockpool's mapper and
quantiser, XyloSim with only the samna import stubbed) and the test's network builder.
1. Identity: `nirb simulate --profile xylo-audio2` (the CLI, recording spikes and the integer
   states of both layers) against XyloSim's evolve with record=True: all equal.
2. Simulation only (target_timing.py): XyloSim's evolve (record=False; the simulator object
   built once before) against nirb-bench-sim's timed run, interleaved rounds.
3. Whole command, for reference: XyloSim built from the specification and run with record=True
   in this process, against `nirb simulate` as a subprocess (process start, plugin loading,
   file I/O and recording included).
Not run by CI.
"""
import argparse
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "python"))
sys.path.insert(0, str(ROOT / "bench" / "targets"))

import numpy as np  # noqa: E402

import target_timing as tt  # noqa: E402
import test_target_xylo as t  # noqa: E402
import xylo_reference as ref  # noqa: E402


def xylosim(q):
    """XyloSim built once from the integer specification q."""
    return ref._import_xylo_sim().from_specification(
        weights_in=q["weights_in"].astype(int), weights_rec=q["weights_rec"].astype(int),
        weights_out=q["weights_out"].astype(int), threshold=q["threshold"],
        threshold_out=q["threshold_out"], dash_mem=q["dash_mem"], dash_syn=q["dash_syn"],
        dash_mem_out=q["dash_mem_out"], dash_syn_out=q["dash_syn_out"], bias=q["bias"],
        bias_out=q["bias_out"], dt=t.DT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(t.PLUGINS))
    p = t.params(0, True, False, n_hid=args.hidden, n_out=8)
    p["w_rec"] *= np.sqrt(24 / args.hidden)
    x = (np.random.default_rng(1).random((args.steps, 16)) < args.rate).astype(int)
    print(tt.load_average())
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        env["NIRB_PLUGIN_CACHE"] = str(tmp / "cache")
        q, exported = t.rockpool_case(p, "global")
        mapped, _, _ = t.map_model(tmp, exported, env, "quantizer=global", "compat=true")
        whole_vendor, want = tt.timed(lambda: ref.run_xylosim(q, x, t.DT))
        whole_nirb, got = tt.timed(lambda: t.simulate(tmp, mapped, x, env))
        same = all(np.array_equal(got[k], want[k].reshape(got[k].shape))
                   for k in ("spikes", "out", "v", "i", "v_out", "i_out"))
        print(f"hidden={args.hidden} steps={args.steps}: spikes and states identical={same} "
              f"(hidden spikes {int(want['spikes'].sum())}, output {int(want['out'].sum())})")
        print(f"whole command: XyloSim build + record {whole_vendor:.3f} s | nirb simulate "
              f"subprocess {whole_nirb:.3f} s | ratio {whole_vendor / whole_nirb:.1f}x")
        sim = xylosim(q)
        x_path = tmp / "x.npy"  # written by t.simulate: (T, 1, 16) float32
        binary = tt.bench_sim_binary(t.NIRB)

        def vendor():
            sim.reset_state()
            seconds, (out, _, _) = tt.timed(lambda: sim(x, record=False))
            return seconds, np.asarray(out).sum()

        times, counts = tt.interleaved(
            vendor, lambda: tt.nirb_run(binary, mapped, x_path, "xylo-audio2", env), args.rounds)
        same_counts = tt.report(f"simulation only, {args.rounds} rounds", times, counts)
    print(tt.load_average())
    return 0 if same and same_counts else 1


if __name__ == "__main__":
    sys.exit(main())
