"""Shared by the target benchmarks (xylo_vs_xylosim.py, speck_vs_sinabs.py): time a vendor's
simulator and nirb's emulation of the same quantised network, simulation only, interleaved.

* vendor: a Python callable that runs the vendor's simulator in this process (its set-up,
  e.g. building the simulator object, done before);
* nirb: `nirb-bench-sim MODEL --input X --profile P --repeats 1 --skip-bandwidth`, which
  times only `Simulator::run` over the steps inside its own process (reading the file, the
  plugins and building the plan are outside the timed span; bench/sim/bench_sim.cpp).

Each round runs both once, the order alternating, so a change in the machine's load hits both;
the load average is printed before and after. Results: best / median / worst seconds per side
and the ratio of the medians.
"""
import json
import os
import pathlib
import statistics
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def bench_sim_binary(nirb_bin):
    """nirb-bench-sim of the build that holds nirb_bin (build/tools/nirb)."""
    build = pathlib.Path(nirb_bin).resolve().parents[1]
    path = build / "bench" / "sim" / "nirb-bench-sim"
    if not path.exists():
        raise SystemExit(f"{path} is missing: build the project (ninja -C {build})")
    return path


def nirb_run(binary, model, x_path, profile, env):
    """One timed run of nirb's simulator: (seconds, output spikes)."""
    r = subprocess.run([str(binary), str(model), "--input", str(x_path), "--profile", profile,
                        "--repeats", "1", "--skip-bandwidth"],
                       capture_output=True, text=True, env=env, check=False)
    if r.returncode != 0:
        raise SystemExit(f"nirb-bench-sim failed: {r.stderr}")
    out = json.loads(r.stdout)
    return out["seconds"], out["output_spikes"]


def interleaved(vendor, nirb, rounds):
    """{side: [seconds]} and {side: set of spike counts} over `rounds` rounds; each side is a
    callable returning (seconds, output spikes)."""
    sides = {"vendor": vendor, "nirb": nirb}
    for fn in sides.values():
        fn()  # warm up (caches, lazy imports, page cache)
    times = {name: [] for name in sides}
    counts = {name: set() for name in sides}
    for r in range(rounds):
        for name in (("vendor", "nirb") if r % 2 == 0 else ("nirb", "vendor")):
            seconds, count = sides[name]()
            times[name].append(seconds)
            counts[name].add(float(count))
    return times, counts


def timed(fn):
    """(wall seconds of fn(), its return value)."""
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def spread(values):
    return min(values), statistics.median(values), max(values)


def report(label, times, counts):
    """Print the table row and return True when both sides counted the same spikes."""
    v, n = spread(times["vendor"]), spread(times["nirb"])
    same = counts["vendor"] == counts["nirb"] and len(counts["nirb"]) == 1
    print(f"{label}: vendor {v[0]:.4f} ({v[1]:.4f}, {v[2]:.4f}) s | nirb {n[0]:.4f} "
          f"({n[1]:.4f}, {n[2]:.4f}) s | median ratio {v[1] / n[1]:.1f}x "
          f"(best {v[0] / n[0]:.1f}x) | output spikes vendor {sorted(counts['vendor'])} "
          f"nirb {sorted(counts['nirb'])}{'' if same else ' MISMATCH'}")
    return same


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
