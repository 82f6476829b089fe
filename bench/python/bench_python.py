"""nirb from Python against the alternatives (docs/python.md, "Benchmark"):

1. nirb.read + nirb.to_nir against nir.read on the 1,000-node graph
   (tests/fixtures/reference/large_many_nodes.nir); the target is at least 5x faster;
2. an in-memory nirb.convert (nir.NIRGraph in, nir.NIRGraph out) against the same
   conversion through the CLI and files (nir.write, `nirb convert --from --to`, nir.read).

Run it on a quiet machine with the package installed and the CLI built:
    NIRB_BIN=build/tools/nirb .venv-pypkg/bin/python bench/python/bench_python.py
Prints the best and median of --repeat runs of each, and the ratios.
"""

import argparse
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


def timed(fn, repeat):
    fn()  # warm up (imports, plugin discovery, page cache)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def cli_convert(graph, folder, nirb_bin, verify):
    src, out = folder / "in.nir", folder / "out.nir"
    nir.write(str(src), graph)
    args = [nirb_bin, "convert", str(src), str(out), "--from", "snntorch", "--to", "norse",
            "--force"] + (["--verify"] if verify else [])
    subprocess.run(args, check=True, capture_output=True)
    return nir.read(str(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--nirb", default=os.environ.get("NIRB_BIN", str(ROOT / "build/tools/nirb")))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = []

    reference = timed(lambda: nir.read(str(LARGE)), args.repeat)
    ours = timed(lambda: nirb.to_nir(nirb.read(LARGE)), args.repeat)
    read_only = timed(lambda: nirb.read(LARGE), args.repeat)
    rows += [("nir.read (1,000 nodes)", reference), ("nirb.read + to_nir", ours),
             ("nirb.read alone", read_only)]
    ratios = [("nir.read / (nirb.read + to_nir)", reference[0] / ours[0])]

    graph = nir.read(str(MODEL))
    with tempfile.TemporaryDirectory() as tmp:
        for verify in (False, True):
            label = " --verify" if verify else ""
            memory = timed(lambda: nirb.convert(graph, "snntorch", "norse", verify=verify),
                           args.repeat)
            files = timed(lambda: cli_convert(graph, pathlib.Path(tmp), args.nirb, verify),
                          args.repeat)
            rows += [(f"nirb.convert in memory{label}", memory),
                     (f"nir.write + nirb convert{label} + nir.read", files)]
            ratios.append((f"CLI+files / in memory{label}", files[0] / memory[0]))

    print(f"{'what':<46} {'best ms':>9} {'median ms':>10}")
    for name, (best, median) in rows:
        print(f"{name:<46} {best * 1e3:>9.2f} {median * 1e3:>10.2f}")
    for name, ratio in ratios:
        print(f"{name:<46} {ratio:>9.1f}x")


if __name__ == "__main__":
    main()
