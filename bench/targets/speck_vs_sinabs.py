"""nirb's Speck emulation (profile speck) against sinabs' discretised network on the same
integers, 1000 steps: identical output spikes checked, then both timed in one run.

    NIRB_BIN=build/tools/nirb .venv/bin/python bench/targets/speck_vs_sinabs.py [--wide]

Uses the test's network and reference (tests/python/test_target_speck.py): Conv -> IAF ->
SumPool -> Conv -> IAF -> SumPool -> Flatten -> Linear -> IAF on 2 x 16 x 16 input spikes at
rate 0.1; 4 and 8 channels, or 32 and 64 with --wide.
1. Identity: `nirb simulate --profile speck` (the CLI) against sinabs' forward pass.
2. Simulation only (target_timing.py): sinabs' forward pass of the discretised torch module
   (built once before; torch on one thread like nirb, or --torch-threads) against
   nirb-bench-sim's timed run, interleaved rounds.
3. Whole command, for reference: the module built and run in this process, against `nirb
   simulate` as a subprocess (process start, plugin loading and file I/O included).
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
import torch  # noqa: E402

import target_timing as tt  # noqa: E402
import test_target_speck as t  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--wide", action="store_true", help="32 and 64 channels")
    ap.add_argument("--torch-threads", type=int, default=1,
                    help="torch's threads (nirb runs one: a batch of 1 is one lane)")
    args = ap.parse_args()
    torch.set_num_threads(args.torch_threads)
    env = dict(os.environ, NIRB_PLUGIN_PATH=str(t.BUILD / "plugins" / "speck"))
    p = t.params(0, args.wide)
    x = (np.random.default_rng(7).random((args.steps, 2, 16, 16)) < 0.1).astype(np.float32)
    print(tt.load_average())
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        env["NIRB_PLUGIN_CACHE"] = str(tmp / "cache")
        mapped, _, _ = t.map_model(tmp, p, env)
        disc = t.sinabs_discretised(p)
        whole_vendor, want = tt.timed(lambda: t.sinabs_forward(disc, x))
        x_path = tmp / "x.npy"
        np.save(x_path, x[:, None])

        def simulate():
            r = t.nirb(["simulate", mapped, "--profile", "speck", "--input", x_path,
                        "--output", tmp / "y.npy"], env)
            assert r.returncode == 0, r.stderr
            return np.load(tmp / "y.npy")[:, 0]

        whole_nirb, got = tt.timed(simulate)
        same = np.array_equal(got, want)
        print(f"{'wide' if args.wide else 'small'} network, steps={args.steps}: output spikes "
              f"identical={same} ({int(want.sum())})")
        print(f"whole command: sinabs build + forward {whole_vendor:.3f} s | nirb simulate "
              f"subprocess {whole_nirb:.3f} s | ratio {whole_vendor / whole_nirb:.1f}x")
        net = t.torch_net(disc)
        inputs = torch.tensor(x)
        binary = tt.bench_sim_binary(t.NIRB)

        def vendor():
            for module in net.modules():  # IAFSqueeze keeps its state between calls
                if hasattr(module, "reset_states"):
                    module.reset_states()
            with torch.no_grad():
                seconds, out = tt.timed(lambda: net(inputs))
            return seconds, out.sum().item()

        times, counts = tt.interleaved(
            vendor, lambda: tt.nirb_run(binary, mapped, x_path, "speck", env), args.rounds)
        same_counts = tt.report(f"simulation only, {args.rounds} rounds, torch threads "
                                f"{args.torch_threads}", times, counts)
    print(tt.load_average())
    return 0 if same and same_counts else 1


if __name__ == "__main__":
    sys.exit(main())
