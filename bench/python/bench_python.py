"""nirb from Python against the alternatives (docs/python.md, "Benchmark"):

1. nirb.read + nirb.to_nir against nir.read on the 1,000-node graph of the I/O benchmark
   (bench/io/gen.py: Input -> (Affine 16x16 -> LIF) x 500 -> Output, written by nir.write
   into a temporary folder); the target is at least 5x faster. The same on
   tests/fixtures/reference/large_many_nodes.nir (200 nodes of mixed widths, skip edges);
2. an in-memory nirb.convert (nir.NIRGraph in, nir.NIRGraph out) against the same
   conversion through the CLI and files (nir.write, `nirb convert --from --to`, nir.read).

The candidates of each group run interleaved (one run of each per round, the order rotating
each round), so a change in the machine's load hits all of them alike. Prints the best and
median wall time of --repeat rounds, the load average before and after, and the ratios.
nirb.read reads in a worker process by default (isolate=True, the safe default: a file that
crashes libhdf5 raises instead); the isolate=False rows read in this process.

Run it with the package installed and the CLI built:
    NIRB_BIN=build/tools/nirb .venv-pypkg/bin/python bench/python/bench_python.py
"""

import argparse
import importlib.util
import os
import pathlib
import statistics
import subprocess
import tempfile
import time
import warnings

import nir

import nirb

ROOT = pathlib.Path(__file__).resolve().parents[2]
LARGE = ROOT / "tests" / "fixtures" / "reference" / "large_many_nodes.nir"
MODEL = ROOT / "examples" / "models" / "snntorch_mlp.nir"


def thousand_node_graph(folder):
    """The I/O benchmark's 1,000-node graph, written by nir.write as bench/io/run.sh does."""
    spec = importlib.util.spec_from_file_location("gen", ROOT / "bench" / "io" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = folder / "nodes1000.nir"
    nir.write(str(path), gen.chain(1000))
    return path


def interleaved(candidates, repeat):
    """{name: [wall seconds]} of `repeat` rounds; each round runs every candidate once,
    starting one further along the list than the round before. (Wall time: nirb.read's CPU
    is spent in a worker process this process cannot account for.)"""
    for fn in candidates.values():
        fn()  # warm up (imports, plugin discovery, page cache)
    names = list(candidates)
    times = {name: [] for name in names}
    for r in range(repeat):
        for name in names[r % len(names):] + names[:r % len(names)]:
            start = time.perf_counter()
            candidates[name]()
            times[name].append(time.perf_counter() - start)
    return times


def cli_convert(graph, folder, nirb_bin, verify):
    src, out = folder / "in.nir", folder / "out.nir"
    nir.write(str(src), graph)
    args = [nirb_bin, "convert", str(src), str(out), "--from", "snntorch", "--to", "norse",
            "--force"] + (["--verify"] if verify else [])
    subprocess.run(args, check=True, capture_output=True)
    return nir.read(str(out))


def report(title, times, ratios):
    print(f"\n{title}")
    print(f"{'what':<46} {'best ms':>9} {'median ms':>10}")
    for name, runs in times.items():
        print(f"{name:<46} {min(runs) * 1e3:>9.2f} {statistics.median(runs) * 1e3:>10.2f}")
    for slow, fast in ratios:
        best = min(times[slow]) / min(times[fast])
        median = statistics.median(times[slow]) / statistics.median(times[fast])
        print(f"{slow + ' / ' + fast:<62} best {best:5.1f}x, median {median:5.1f}x")


def reading(path, repeat):
    graph = nirb.read(path)
    return interleaved({
        "nir.read": lambda: nir.read(str(path)),
        "nirb.read + to_nir": lambda: nirb.to_nir(nirb.read(path)),
        "nirb.read": lambda: nirb.read(path),
        "nirb.read(isolate=False) + to_nir": lambda: nirb.to_nir(nirb.read(path, isolate=False)),
        "nirb.read(isolate=False)": lambda: nirb.read(path, isolate=False),
        "to_nir": lambda: nirb.to_nir(graph),
        "nir.read(type_check=False)": lambda: nir.read(str(path), type_check=False),
    }, repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--nirb", default=os.environ.get("NIRB_BIN", str(ROOT / "build/tools/nirb")))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())

    read_ratios = [("nir.read", "nirb.read + to_nir"), ("nir.read", "nirb.read"),
                   ("nir.read", "nirb.read(isolate=False) + to_nir")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        report("1,000 nodes (bench/io/gen.py)", reading(thousand_node_graph(folder), args.repeat),
               read_ratios)
        report("200 nodes (large_many_nodes.nir)", reading(LARGE, args.repeat), read_ratios)

        graph = nir.read(str(MODEL))
        for verify in (False, True):
            label = " --verify" if verify else ""
            times = interleaved({
                "nirb.convert in memory": lambda: nirb.convert(graph, "snntorch", "norse",
                                                               verify=verify),
                "CLI and files": lambda: cli_convert(graph, folder, args.nirb, verify),
            }, args.repeat)
            report(f"snnTorch MLP -> Norse{label}", times,
                   [("CLI and files", "nirb.convert in memory")])
    print("\nload average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
