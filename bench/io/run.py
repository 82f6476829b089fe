"""Reading and writing benchmark: nirbridge vs the reference package (nir 1.0.7), h5py and
a bare libhdf5 walk, in the same run. See docs/performance.md ("Reading and writing").

Every timed command runs as its own process under /usr/bin/time (wall time and peak RSS);
the best of --repeat runs is reported (for the 1 GiB array the commands take turns, see
taking_turns). Python timings are given two ways: the whole
command (interpreter start and `import nir` included, like `nirb info`) and the call alone
(measured inside the script).
"""
import argparse
import os
import pathlib
import random
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
PY = sys.executable


def run_once(cmd):
    """Wall time (s), peak RSS (MiB), stdout and CPU time (user + sys) of one run of `cmd`.
    CPU time is reported too because the benchmark machine is shared: wall times grow with
    the load, CPU times much less."""
    with tempfile.NamedTemporaryFile("r") as tf:
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", tf.name, *cmd],
                             check=True, capture_output=True, text=True).stdout
        wall, rss, user, sys_ = tf.read().split()[-4:]
    return float(wall), int(rss) / 1024, out, float(user) + float(sys_)


def timed(cmd, repeat):
    """The run of `cmd` with the best wall time out of `repeat`."""
    return min((run_once(cmd) for _ in range(repeat)), key=lambda r: r[0])


def with_inner(run):
    """A run of a command that prints the seconds of its timed call last."""
    return (*run, float(run[2].strip().splitlines()[-1]))


def py_cmd(snippet, path):
    """A Python command that times `snippet` after `import nir` and prints the seconds."""
    code = ("import time, nir, h5py, numpy as np\n"
            f"p = {str(path)!r}\n"
            "t = time.perf_counter()\n" + snippet + "\n"
            "print(time.perf_counter() - t)")
    return [PY, "-c", code]


def py_inner(snippet, path, repeat):
    """Whole-command and in-script time of a Python snippet."""
    return with_inner(timed(py_cmd(snippet, path), repeat))


def cpp_inner(args, cmd, repeat):
    """Whole-command and in-process time of nirb_rw (read_nir / write_nir alone)."""
    return with_inner(timed([args.rw, *cmd], repeat))


def taking_turns(cmds, repeat):
    """Best run (by wall time) of each command, the commands taking turns in a different
    (seeded, reproducible) order every round. For the 1 GiB array the cost of first touching
    fresh memory depends on what ran just before (this VM hands freed memory back to its
    host, which then faults it in again), so no command may always run first or always
    after the same one."""
    names = list(cmds)
    best = {}
    rng = random.Random(2)
    for _ in range(repeat):
        order = names[:]
        rng.shuffle(order)
        for name in order:
            cmd, inner = cmds[name]
            run = with_inner(run_once(cmd)) if inner else run_once(cmd)
            if name not in best or run[0] < best[name][0]:
                best[name] = run
    return {name: best[name] for name in names}


def generate(work, nodes, big):
    path = work / (f"big.nir" if big else f"chain_{nodes}.nir")
    if not path.exists():
        subprocess.run([PY, HERE / "gen.py", path] + (["--big"] if big else
                       ["--nodes", str(nodes)]), check=True)
    return path


def bench_graph(args, work, nodes):
    src = generate(work, nodes, False)
    rep = 1 if nodes >= 100000 else args.repeat
    out = work / "out.nir"
    rows = {}
    rows["nirb info"] = timed([args.nirb, "info", src], rep)
    # The read supervisor's cost (docs/robustness.md): the same command without it.
    rows["nirb info (NIRB_READ_GUARD=0)"] = timed(
        ["env", "NIRB_READ_GUARD=0", args.nirb, "info", src], rep)
    rows["h5walk (floor)"] = timed([args.h5walk, src], rep)
    rows["nir.read"] = py_inner("nir.read(p, type_check=False)", src, rep)
    rows["nirb_rw read (read_nir)"] = cpp_inner(args, ["read", src], rep)
    rows["nirb convert a.nir b.nir"] = timed([args.nirb, "convert", "--force", src, out], rep)
    rows["nirb_rw write (write_nir)"] = cpp_inner(args, ["write", src, out], rep)
    rows["nir.write"] = py_inner(
        "g = nir.read(p, type_check=False)\nt = time.perf_counter()\n"
        f"nir.write({str(out)!r}, g)", src, rep)
    return src, rows


def bench_big(args, work):
    src = generate(work, 0, True)
    return src, taking_turns({
        "nirb info": ([args.nirb, "info", src], False),
        "h5walk (floor)": ([args.h5walk, src], False),
        "nirb_rw read (read_nir)": ([args.rw, "read", src], True),
        "h5py read": (py_cmd("f = h5py.File(p, 'r')\nf['node/nodes/w/weight'][()]", src), True),
        "nir.read": (py_cmd("nir.read(p, type_check=False)", src), True),
    }, args.repeat)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nirb", required=True)
    ap.add_argument("--h5walk", required=True)
    ap.add_argument("--rw", required=True, help="the nirb_rw timing program")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "nirb-bench-io"))
    ap.add_argument("--sizes", type=int, nargs="*", default=[10, 1000, 100000])
    ap.add_argument("--big", action="store_true", help="also the 1 GiB weight array")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| case | command | wall s (best) | CPU s | in-script s | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    cases = [bench_graph(args, work, n) + (f"{n} nodes",) for n in args.sizes]
    if args.big:
        cases.append(bench_big(args, work) + ("1 GiB weight",))
    for src, rows, label in cases:
        size = src.stat().st_size / 2**20
        for name, row in rows.items():
            inner = f"{row[4]:.3f}" if len(row) > 4 else ""
            print(f"| {label} ({size:.1f} MiB) | {name} | {row[0]:.3f} | {row[3]:.2f} | "
                  f"{inner} | {row[1]:.0f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
