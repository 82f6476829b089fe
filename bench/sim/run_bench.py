"""Simulator benchmark: nirb's reference simulator against snnTorch 1.0.0 (torch CPU), same
models, same spike inputs, same number of steps, in the same run.

Models: the paper CNN (tests/fixtures/real/cnn_sinabs.nir), the Braille RNN
(tests/fixtures/real/braille_noDelay_bias_zero.nir) and a 784-1000-1000-10 LIF MLP (built in
snnTorch, exported with snnTorch's exporter). The snnTorch side of the two fixture models is
built from the file's parameters with the matching snnTorch modules. Both sides run
1000 steps at batch 1 and batch 64; each time is the best of --repeats runs of the whole
sequence (model state reset in between). Output spike counts of both sides are printed so
that equal work can be checked.

Usage: NIRB_BUILD=build .venv/bin/python bench/sim/run_bench.py [--steps 1000]
Prints a markdown table (the one in docs/performance.md) and writes bench/sim/results.json.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
BUILD = pathlib.Path(os.environ.get("NIRB_BUILD", ROOT / "build"))
BENCH_BIN = BUILD / "bench" / "sim" / "nirb-bench-sim"

# IF neurons (Sinabs CNN) integrate the raw input (gain 1) and reset to 0, like the
# snnTorch Leaky(beta=1, reset "zero") the snnTorch side uses.
CNN_PROFILE = """nirb_profile: 1
name: bench-if
base: snntorch
input_gain: {integrator: one}
reset: to_v_reset
"""


def snn_mlp(seed=0):
    import snntorch as snn

    g = torch.Generator().manual_seed(seed)
    sizes = [784, 1000, 1000, 10]
    layers = []
    for i in range(3):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            lin.weight.copy_((torch.rand(lin.weight.shape, generator=g) * 2 - 1) * 0.12)
            lin.bias.copy_(torch.rand(lin.bias.shape, generator=g) * 0.02)
        beta = 0.85 + 0.1 * torch.rand(sizes[i + 1], generator=g)
        layers += [lin, snn.Leaky(beta=beta, threshold=torch.ones(sizes[i + 1]), init_hidden=True)]
    return torch.nn.Sequential(*layers)


def snn_cnn(path):
    import nir
    import snntorch as snn

    g = nir.read(str(path))
    n = g.nodes
    layers = []
    for name in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]:
        node = n[name]
        kind = type(node).__name__
        if kind == "Conv2d":
            conv = torch.nn.Conv2d(node.weight.shape[1], node.weight.shape[0],
                                   node.weight.shape[2:], stride=tuple(node.stride),
                                   padding=tuple(node.padding))
            with torch.no_grad():
                conv.weight.copy_(torch.as_tensor(node.weight))
                conv.bias.copy_(torch.as_tensor(node.bias))
            layers.append(conv)
        elif kind == "IF":
            layers.append(snn.Leaky(beta=1.0, threshold=torch.as_tensor(node.v_threshold).float(),
                                    reset_mechanism="zero", init_hidden=True))
        elif kind == "SumPool2d":
            layers.append(torch.nn.LPPool2d(1, tuple(node.kernel_size), tuple(node.stride)))
        elif kind == "Flatten":
            layers.append(torch.nn.Flatten())
        elif kind == "Affine":
            lin = torch.nn.Linear(node.weight.shape[1], node.weight.shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.as_tensor(node.weight))
                lin.bias.copy_(torch.as_tensor(node.bias))
            layers.append(lin)
    return torch.nn.Sequential(*layers), (2, 34, 34)


def snn_braille(path):
    import nir
    import snntorch as snn

    g = nir.read(str(path))
    n = g.nodes
    dt = 1e-4

    def linear(node):
        lin = torch.nn.Linear(node.weight.shape[1], node.weight.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.as_tensor(node.weight))
            lin.bias.copy_(torch.as_tensor(node.bias))
        return lin

    def ab(node):
        return (torch.as_tensor(1 - dt / node.tau_syn).float(),
                torch.as_tensor(1 - dt / node.tau_mem).float(),
                torch.as_tensor(node.v_threshold).float())

    a1, b1, t1 = ab(n["lif1.lif"])
    rec = snn.RSynaptic(alpha=a1, beta=b1, threshold=t1, linear_features=38, init_hidden=True)
    with torch.no_grad():
        rec.recurrent.weight.copy_(torch.as_tensor(n["lif1.w_rec"].weight))
        rec.recurrent.bias.copy_(torch.as_tensor(n["lif1.w_rec"].bias))
    a2, b2, t2 = ab(n["lif2"])
    out = snn.Synaptic(alpha=a2, beta=b2, threshold=t2, init_hidden=True)
    return torch.nn.Sequential(linear(n["fc1"]), rec, linear(n["fc2"]), out), (12,)


def reset_snn(module):
    import snntorch as snn

    for m in module.modules():
        if isinstance(m, snn.SpikingNeuron):
            for attr in ("mem", "syn", "spk"):
                if hasattr(m, attr) and isinstance(getattr(m, attr), torch.Tensor):
                    setattr(m, attr, torch.zeros(0))


def time_snntorch(module, x, repeats):
    """Best-of-`repeats` time of running all steps; then one untimed run counting spikes."""
    xs = torch.as_tensor(x)
    best = 1e300
    with torch.no_grad():
        for _ in range(repeats):
            reset_snn(module)
            t0 = time.perf_counter()
            for t in range(xs.shape[0]):
                module(xs[t])
            best = min(best, time.perf_counter() - t0)
        reset_snn(module)
        spikes = sum(float(module(xs[t]).sum()) for t in range(xs.shape[0]))
    return best, spikes


def time_nirb(model, x, profile, threads, repeats, tmp):
    np.save(tmp / "x.npy", x)
    cmd = [str(BENCH_BIN), str(model), "--input", str(tmp / "x.npy"), "--profile", profile,
           "--threads", str(threads), "--repeats", str(repeats)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2, help="threads for batch 64 (both sides)")
    args = ap.parse_args()
    from snntorch.export_nir import export_to_nir
    import nir

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="nirb-bench-"))
    (tmp / "bench-if.yaml").write_text(CNN_PROFILE)
    mlp = snn_mlp()
    nir.write(str(tmp / "mlp.nir"), export_to_nir(mlp, torch.zeros(1, 784), ignore_dims=[0]))
    cnn, cnn_in = snn_cnn(REAL / "cnn_sinabs.nir")
    braille, braille_in = snn_braille(REAL / "braille_noDelay_bias_zero.nir")
    models = [
        ("CNN (cnn_sinabs.nir)", cnn, cnn_in, REAL / "cnn_sinabs.nir",
         str(tmp / "bench-if.yaml"), 0.05),
        ("Braille RNN (braille_noDelay_bias_zero.nir)", braille, braille_in,
         REAL / "braille_noDelay_bias_zero.nir", "snntorch", 0.1),
        ("LIF MLP 784-1000-1000-10", mlp, (784,), tmp / "mlp.nir", "snntorch", 0.1),
    ]
    rows = []
    for name, module, in_shape, path, profile, rate in models:
        for batch in (1, 64):
            threads = 1 if batch == 1 else args.threads
            torch.set_num_threads(threads)
            rng = np.random.default_rng(0)
            x = (rng.random((args.steps, batch, *in_shape)) < rate).astype(np.float32)
            t_snn, spk_snn = time_snntorch(module, x, args.repeats)
            r = time_nirb(path, x, profile, threads, args.repeats, tmp)
            rows.append({"model": name, "batch": batch, "threads": threads, "rate": rate,
                         "snntorch_s": t_snn, "nirb_s": r["seconds"],
                         "speedup": t_snn / r["seconds"], "snntorch_out_spikes": spk_snn,
                         "nirb_out_spikes": r["output_spikes"], **{f"nirb_{k}": v for k, v in
                                                                    r.items()}})
            print(f"{name} B={batch}: snntorch {t_snn:.3f}s nirb {r['seconds']:.3f}s "
                  f"x{t_snn / r['seconds']:.1f}", file=sys.stderr)
    (ROOT / "bench" / "sim" / "results.json").write_text(json.dumps(rows, indent=1))
    bw = rows[-1]["nirb_copy_bandwidth"]
    print(f"\nmemory copy bandwidth (same run, best of 5 x 256 MiB memcpy): {bw / 1e9:.1f} GB/s\n")
    print("| model | batch | threads | input rate | snnTorch s | nirb s | speedup | "
          "synaptic events/s | weight bytes/s / copy bandwidth | output spikes snnTorch / nirb |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['batch']} | {r['threads']} | {r['rate']} | "
              f"{r['snntorch_s']:.3f} | {r['nirb_s']:.3f} | {r['speedup']:.1f}x | "
              f"{r['nirb_events_per_s']:.3g} | {r['nirb_bandwidth_fraction']:.3f} | "
              f"{r['snntorch_out_spikes']:.0f} / {r['nirb_output_spikes']:.0f} |")


if __name__ == "__main__":
    main()
