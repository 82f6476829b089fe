"""Simulator benchmark against every framework peer in bench/sim/peers/, in one run.

The model is the 784-1000-1000-10 LIF MLP of run_bench.py, built in snnTorch with seeded
weights and exported by snnTorch's exporter. For each peer framework FW it is converted with
`nirb convert --from snntorch --to FW` (a refused conversion is reported with nirb's reason
and not timed). The framework then runs the converted file with its own importer
(bench/sim/peers/FW.py: run(path, x) -> (seconds, output spike counts)) and nirb runs the same
file under the profile its metadata describes (`nirb-bench-sim --profile metadata`, what
`nirb convert --verify` simulates). Both get the same random spikes, 1000 steps, batch 1 on
one thread and batch 64 on --threads threads; simulation time only (import and, for Spyx,
jit compilation excluded), best of --repeats, the peers and nirb interleaved in a rotated
order, the machine's load average printed before and after, output spike counts of both
sides printed so that equal work can be checked.

Usage: NIRB_BUILD=build .venv/bin/python bench/sim/run_peers.py [--peers rockpool,sinabs]
Prints a markdown table (docs/performance.md) and writes bench/sim/results_peers.json.
"""

import argparse
import importlib.util
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = pathlib.Path(os.environ.get("NIRB_BUILD", ROOT / "build"))
NIRB = BUILD / "tools" / "nirb"
BENCH_BIN = BUILD / "bench" / "sim" / "nirb-bench-sim"


def load_by_path(path: pathlib.Path, name: str):
    """A module from its file (peers/mlxsnn.py must not shadow the mlxsnn package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def convert(src, dst, target):
    """(True, verdict line) or (False, nirb's reason)."""
    proc = subprocess.run([str(NIRB), "convert", str(src), str(dst), "--from", "snntorch",
                           "--to", target, "--force"], capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    verdict = re.search(r"verdict: (\w+)(?: \(([^;)]*))?", text)
    if not verdict:
        return False, text.strip()[-200:]
    kind, first_reason = verdict.group(1), verdict.group(2) or ""
    return proc.returncode == 0, kind if proc.returncode == 0 else f"{kind}: {first_reason}"


def time_nirb(path, x_path, threads, repeats):
    cmd = [str(BENCH_BIN), str(path), "--input", str(x_path), "--profile", "metadata",
           "--threads", str(threads), "--repeats", str(repeats)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def count(c):
    return float(np.sum(np.asarray(c, dtype=np.float64)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peers", default="", help="comma-separated subset of bench/sim/peers")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from run_bench import snn_mlp  # noqa: E402
    from snntorch.export_nir import export_to_nir
    import nir

    names = sorted(p.stem for p in (HERE / "peers").glob("*.py"))
    if args.peers:
        names = [n for n in names if n in args.peers.split(",")]
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="nirb-peers-"))
    src = tmp / "mlp.nir"
    nir.write(str(src), export_to_nir(snn_mlp(), torch.zeros(1, 784), ignore_dims=[0]))
    load_before = os.getloadavg()
    peers, refused = {}, {}
    for name in names:
        dst = tmp / f"mlp.{name}.nir"
        ok, verdict = convert(src, dst, name)
        if ok:
            peers[name] = (load_by_path(HERE / "peers" / f"{name}.py", f"peer_{name}"), dst,
                           verdict)
        else:
            refused[name] = verdict
    rows = []
    too_slow = {}
    for batch in (1, 64):
        threads = 1 if batch == 1 else args.threads
        torch.set_num_threads(threads)
        os.environ["OMP_NUM_THREADS"] = str(threads)
        rng = np.random.default_rng(0)
        x = (rng.random((args.steps, batch, 784)) < 0.1).astype(np.float32)
        x_path = tmp / f"x{batch}.npy"
        np.save(x_path, x)
        best = {n: [1e300, None, 1e300, None] for n in peers}  # peer s, count, nirb s, count
        # A peer without a batch axis (it runs the samples one after another) and slow at
        # batch 1 is not run at batch 64: the estimate is reported instead.
        order = [n for n in peers if batch == 1 or n not in too_slow]
        for rep in range(args.repeats):
            order = order[1:] + order[:1]  # rotate: no peer always runs first
            for name in order:
                module, path, _ = peers[name]
                seconds, counts = module.run(str(path), x)
                r = time_nirb(path, x_path, threads, 1)
                b = best[name]
                b[0], b[1] = min(b[0], seconds), count(counts)
                b[2], b[3] = min(b[2], r["seconds"]), r["output_spikes"]
                print(f"B={batch} {name}: peer {seconds:.3f}s nirb {r['seconds']:.3f}s",
                      file=sys.stderr)
        for name in order:
            ps, pc, ns, nc = best[name]
            if batch == 1 and getattr(peers[name][0], "BATCH_AXIS", True) is False and \
                    ps * 64 > 300:
                too_slow[name] = ps * 64
            rows.append({"peer": name, "batch": batch, "threads": threads, "peer_s": ps,
                         "nirb_s": ns, "speedup": ps / ns, "peer_out_spikes": pc,
                         "nirb_out_spikes": nc, "conversion": peers[name][2]})
    load_after = os.getloadavg()
    (HERE / "results_peers.json").write_text(json.dumps(
        {"rows": rows, "refused": refused, "too_slow_at_64": too_slow,
         "load_before": load_before,
         "load_after": load_after}, indent=1))
    print(f"\nload average (1, 5, 15 min) before {load_before}, after {load_after}\n")
    print("| peer | batch | threads | peer s | nirb s | nirb speedup | output spikes peer / nirb "
          "| conversion |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['peer']} | {r['batch']} | {r['threads']} | {r['peer_s']:.3f} | "
              f"{r['nirb_s']:.3f} | {r['speedup']:.2f}x | {r['peer_out_spikes']:.0f} / "
              f"{r['nirb_out_spikes']:.0f} | {r['conversion']} |")
    for name, estimate in too_slow.items():
        print(f"| {name} | 64 | - | ~{estimate:.0f} (estimated: 64 x batch 1, no batch axis) | "
              "- | - | - | not run |")
    for name, reason in refused.items():
        print(f"| {name} | - | - | - | - | - | - | refused: {reason} |")


if __name__ == "__main__":
    main()
