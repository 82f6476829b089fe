"""Simulator benchmark against every framework peer in bench/sim/peers/, in one interleaved run.

Models: the 784-1000-1000-10 LIF MLP of run_bench.py (built in snnTorch with seeded weights,
exported by snnTorch's exporter) and the NIR paper's Sinabs CNN (tests/fixtures/real/
cnn_sinabs.nir, Sinabs' export, NIR 0.2.0: re-saved by nir 1.0.7 first, since the conversions
refuse NIR 0.2). For each model and peer framework FW the row takes one route:

* "nirb convert": `nirb convert SRC --from <source fw> --to FW` accepted the model (for the
  source framework itself: FW -> FW). FW runs the converted file with its own importer
  (peers/FW.py `prepare`), nirb runs the same file under the profile its metadata describes
  (`nirb-bench-sim --profile metadata`, what `nirb convert --verify` simulates).
* "own model": FW is the source framework and builds models itself, or nirb refused the
  conversion (the framework's spike timing cannot be reproduced exactly) and FW can express
  the model: the same architecture with the same weights (model_layers.py) is built in FW
  itself (peers/FW.py `build_native`) and exported with FW's OWN exporter; FW runs that model,
  nirb runs FW's export after `nirb convert OWN --from FW --to FW` (which records FW's profile
  in the metadata).
* "not run": the reason (conversion refused and FW cannot build the model, or FW failed).

Timing: one long-lived worker process per peer group (torch, jax, mlx, numpy) and thread
count (peer_worker.py), pinned to that many cores; the model is loaded and run once (warm-up,
and for JAX the jit compilation, timed separately) before any timed round. Each round runs
every peer and nirb (nirb-bench-sim, one process per call, pinned the same way) in a rotated
order; in each round both sides run `--inner` times and keep their best, so both have had a
warm run (once each when the peer's warm-up took longer than --slow-seconds: SC-NeuroCore at
batch 64 takes minutes). Reported: best, median and worst round, the load average before and
after, and the output spike counts of both sides, checked equal (a difference is printed
loudly; at batch > 1 a difference of at most 2 spikes is labelled a float-summation tie).

Layer-wise peers (Sinabs, SpikingJelly multi-step, Rockpool) need all T steps of the input at
once and O(T*B*N) memory: Sinabs and SpikingJelly run in time chunks whose memory estimate
fits --peer-memory-gb, state carried over between chunks (the chunk is printed); Rockpool's
state does not carry over exactly, so it always runs whole.

Usage: NIRB_BUILD=build .venv/bin/python bench/sim/run_peers.py [--models mlp,cnn]
       [--peers sinabs,spyx] [--steps 1000] [--batches 1,64] [--threads 2] [--repeats 3]
Prints a markdown table (docs/performance.md) and writes --json (default
bench/sim/results_peers.json). Exit 1 when any spike count differs (beyond a batch>1 tie).
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = pathlib.Path(os.environ.get("NIRB_BUILD", ROOT / "build"))
NIRB = BUILD / "tools" / "nirb"
BENCH_BIN = BUILD / "bench" / "sim" / "nirb-bench-sim"
CNN_FIXTURE = ROOT / "tests" / "fixtures" / "real" / "cnn_sinabs.nir"
#: model name -> (source framework, input shape, Bernoulli input rate); as in run_bench.py
MODELS = {"mlp": ("snntorch", (784,), 0.1), "cnn": ("sinabs", (2, 34, 34), 0.05)}
MODEL_TITLES = {"mlp": "LIF MLP 784-1000-1000-10", "cnn": "CNN cnn_sinabs.nir"}
#: a difference this small at batch > 1 is a float tie (summation order), not a model error
TIE_SPIKES = 2


def peer_modules(selected):
    import importlib.util

    names = sorted(p.stem for p in (HERE / "peers").glob("*.py") if not p.stem.startswith("_"))
    if selected:
        unknown = set(selected) - set(names)
        if unknown:
            sys.exit(f"run_peers.py: unknown peers {sorted(unknown)} (have {names})")
        names = [n for n in names if n in selected]
    out = {}
    for name in names:
        spec = importlib.util.spec_from_file_location(f"nirb_peer_{name}",
                                                      HERE / "peers" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # peer files import their framework lazily
        out[name] = module
    return out


def convert(src, dst, source_fw, target):
    """(True, verdict) or (False, nirb's reason)."""
    proc = subprocess.run([str(NIRB), "convert", str(src), str(dst), "--from", source_fw,
                           "--to", target, "--force"], capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    verdict = re.search(r"verdict: (\w+)(?: \(([^;)]*))?", text)
    if not verdict:
        error = re.search(r"(?:error|impossible)[^:]*: (.*)", text, re.S)
        lines = []
        for line in (error.group(1) if error else text).splitlines():
            if lines and re.search(r"step \d+ \(", line):  # the same error repeated
                break
            lines.append(line.strip())
        return False, " ".join(lines)[:240]
    kind, first_reason = verdict.group(1), verdict.group(2) or ""
    return proc.returncode == 0, kind if proc.returncode == 0 else f"{kind}: {first_reason}"


class Worker:
    """A peer_worker.py process for one group and thread count."""

    def __init__(self, threads):
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "peer_worker.py"), str(HERE / "peers"), str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, **request):
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            return {"ok": False, "error": f"worker died (exit {self.proc.wait()})"}
        return json.loads(line)

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait()


def pin_to(threads):
    cores = sorted(os.sched_getaffinity(0))[:threads]
    return lambda: os.sched_setaffinity(0, cores)


def time_nirb(path, x_path, threads, inner):
    """nirb-bench-sim under the profile the file's metadata names: (best seconds, spikes)."""
    cmd = [str(BENCH_BIN), str(path), "--input", str(x_path), "--profile", "metadata",
           "--threads", str(threads), "--repeats", str(inner)]
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=pin_to(threads))
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-300:])
    out = json.loads(proc.stdout)
    return out["seconds"], float(out["output_spikes"])


def state_floats_per_sample(path):
    """Sum of every node's input size: what a layer-wise peer holds per step and sample."""
    import nir

    graph = nir.read(str(path))
    return sum(int(np.prod(np.asarray(t).reshape(-1))) for node in graph.nodes.values()
               for t in node.input_type.values())


def make_sources(models, tmp):
    """model -> its source file (the MLP exported by snnTorch, the CNN fixture)."""
    out = {}
    if "mlp" in models:
        import torch
        from run_bench import snn_mlp
        from snntorch.export_nir import export_to_nir
        import nir

        out["mlp"] = tmp / "mlp.source.nir"
        nir.write(str(out["mlp"]), export_to_nir(snn_mlp(), torch.zeros(1, 784), ignore_dims=[0]))
    if "cnn" in models:  # the fixture is NIR 0.2.0, which the conversions refuse: re-saved
        import nir

        out["cnn"] = tmp / "cnn.source.nir"
        nir.write(str(out["cnn"]), nir.read(str(CNN_FIXTURE)))
    return out


def plan_routes(model, source, peers, tmp):
    """peer -> route dict: kind ("converted"|"own"|"none"), the file, the row's text."""
    source_fw = MODELS[model][0]
    routes = {}
    for name, module in peers.items():
        dst = tmp / f"{model}.{name}.nir"
        own = {"kind": "own", "path": tmp / f"{model}.{name}.own.nir"}
        if name == source_fw and hasattr(module, "build_native"):
            routes[name] = {**own, "text": "own model, own export (the source framework)"}
            continue
        ok, verdict = convert(source, dst, source_fw, name)
        if name == source_fw and not ok:
            raise RuntimeError(f"nirb convert --from {name} --to {name}: {verdict}")
        elif ok:
            routes[name] = {"kind": "converted", "path": dst,
                            "text": f"nirb convert --from {source_fw} ({verdict})"}
        elif hasattr(module, "build_native"):
            routes[name] = {**own, "refused": verdict,
                            "text": f"own model, own export (conversion refused: {verdict})"}
        else:
            routes[name] = {"kind": "none", "text": "not run",
                            "why": f"conversion refused: {verdict}"}
    return routes


def nirb_file_for_own_export(name, own, tmp):
    """FW's own export converted FW -> FW, so that nirb simulates it under FW's profile."""
    dst = own.with_suffix(".nirb.nir")
    ok, verdict = convert(own, dst, name, name)
    if not ok:
        raise RuntimeError(f"nirb convert --from {name} --to {name} of its own export: {verdict}")
    return dst


def chunk_steps(source, batch, args):
    """The time chunk of a layer-wise peer: the longest divisor of --steps (all chunks equal)
    whose activations (input, output and one temporary per node, float32) fit the budget."""
    per_step = state_floats_per_sample(source) * batch * 4 * 3
    budget = max(1, int(args.peer_memory_gb * 2**30 // per_step))
    return max(c for c in range(1, args.steps + 1) if args.steps % c == 0 and c <= budget or
               c == 1)


def prepare_peer(row, route, module, x_path, source, chunk, workers, tmp, args):
    """Load (or build) the peer's model in its worker and run it once; None with row["error"]
    set when it cannot run, else (worker, key, the file nirb runs)."""
    name, model, batch, threads = row["peer"], row["model"], row["batch"], row["threads"]
    if route["kind"] == "none":
        row["error"] = route["why"]
        return None
    if not getattr(module, "BATCH_AXIS", True) and batch > 1 and args.skip_no_batch_axis:
        row["error"] = "not run (--skip-no-batch-axis): no batch axis, runs B samples in turn"
        return None
    if not (getattr(module, "LAYERWISE", False) and getattr(module, "CHUNKABLE", True)):
        chunk = None
    group = getattr(module, "GROUP", "torch")
    if (group, threads) not in workers:
        workers[(group, threads)] = Worker(threads)
    worker, key = workers[(group, threads)], f"{model}.{batch}.{name}"
    if route["kind"] == "own":
        answer = worker.ask(op="native", key=key, peer=name, source=str(source),
                            out=str(route["path"]), x=str(x_path), chunk=chunk)
    else:
        answer = worker.ask(op="prepare", key=key, peer=name, path=str(route["path"]),
                            x=str(x_path), chunk=chunk)
    if not answer["ok"]:
        if "refused" in route:
            row["route"] = f"not run (conversion refused: {route['refused']})"
        row["error"] = f"{row['version']}: {answer['error']}"
        return None
    nirb_path = route["path"]
    if route["kind"] == "own":
        try:
            nirb_path = nirb_file_for_own_export(name, route["path"], tmp)
        except RuntimeError as e:
            row["error"] = str(e)
            worker.ask(op="drop", key=key)
            return None
    # a run that takes longer than --slow-seconds is warm after the warm-up: one per round
    row.update(compile_s=answer.get("compile_s"), note=answer.get("note"),
               inner=1 if answer["warmup_s"] > args.slow_seconds else args.inner,
               chunk=chunk if chunk and chunk < args.steps and answer["chunked"] else None,
               peer_rounds=[], nirb_rounds=[], peer_count=answer["count"],
               peer_counts=[answer["count"]])
    return worker, key, nirb_path


def time_side(side, row, worker, key, nirb_path, x_path):
    """One round of one side: (seconds, output spikes); raises RuntimeError on a failure."""
    if side == "nirb":
        return time_nirb(nirb_path, x_path, row["threads"], row["inner"])
    answer = worker.ask(op="run", key=key, inner=row["inner"])
    if not answer["ok"]:
        raise RuntimeError(answer["error"])
    return answer["seconds"], answer["count"]


def measure_cell(model, source, batch, threads, args, peers, routes, workers, tmp):
    """All peers and nirb on one (model, batch): prepare every peer, then --repeats rounds in
    a rotated order, peer and nirb alternating which goes first."""
    in_shape, rate = MODELS[model][1], MODELS[model][2]
    rng = np.random.default_rng(0)
    x = (rng.random((args.steps, batch, *in_shape)) < rate).astype(np.float32)
    x_path = tmp / f"x.{model}.{batch}.npy"
    np.save(x_path, x)
    chunk = chunk_steps(source, batch, args)
    rows, live, cell_load = [], [], os.getloadavg()
    for name, route in routes.items():
        row = {"model": model, "batch": batch, "threads": threads, "peer": name,
               "version": getattr(peers[name], "VERSION", name),
               "how": getattr(peers[name], "HOW", ""), "route": route["text"]}
        rows.append(row)
        prepared = prepare_peer(row, route, peers[name], x_path, source, chunk, workers, tmp,
                                args)
        if prepared:
            live.append((row, *prepared))
    for rnd in range(args.repeats):
        shift = rnd % max(1, len(live))
        for row, worker, key, nirb_path in live[shift:] + live[:shift]:
            for side in (("peer", "nirb") if rnd % 2 == 0 else ("nirb", "peer")):
                if "error" in row:
                    break
                try:
                    seconds, count = time_side(side, row, worker, key, nirb_path, x_path)
                except RuntimeError as e:
                    row["error"] = f"{side} failed in round {rnd}: {e}"
                    break
                row[f"{side}_rounds"].append(seconds)
                row.setdefault(f"{side}_counts", []).append(count)
                row[f"{side}_count"] = count
                print(f"{model} B={batch} round {rnd} {row['peer']} {side}: {seconds:.4f} s, "
                      f"{count:.0f} spikes", file=sys.stderr)
    for _, worker, key, _ in live:
        worker.ask(op="drop", key=key)
    x_path.unlink()
    for row in rows:  # the JSON keeps the load around each (model, batch) cell
        row["cell_load_before"], row["cell_load_after"] = cell_load, os.getloadavg()
    return rows


def check_counts(row):
    """Sets row["check"]; returns False on a real mismatch."""
    if "error" in row or "nirb_count" not in row:
        return True
    diff = row["peer_count"] - row["nirb_count"]
    runs = {side: sorted(set(row.get(f"{side}_counts", []))) for side in ("peer", "nirb")}
    if any(len(counts) > 1 for counts in runs.values()):
        row["check"] = f"MISMATCH: runs of one side differ {runs}"
        return False
    if diff == 0:
        row["check"] = "equal"
    elif row["batch"] > 1 and abs(diff) <= TIE_SPIKES:
        row["check"] = f"differ by {diff:+.0f}: float tie at batch {row['batch']}"
    else:
        row["check"] = f"MISMATCH by {diff:+.0f}"
        return False
    return True


def shorten(text, width):
    return text if len(text) <= width else text[:width - 4] + " ...)"


def spread(rounds):
    return min(rounds), statistics.median(rounds), max(rounds)


def print_table(rows, load_before, load_after, args):
    print(f"\n{args.steps} steps, best of {args.repeats} rounds ({args.inner} runs each), "
          f"load average (1, 5, 15 min) before {tuple(round(v, 2) for v in load_before)}, "
          f"after {tuple(round(v, 2) for v in load_after)}\n")
    print("| model | batch | threads | peer | route | peer s: best (median, worst) | "
          "nirb s: best (median, worst) | nirb speedup | compile s | "
          "output spikes peer / nirb |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        head = (f"| {MODEL_TITLES[r['model']]} | {r['batch']} | {r['threads']} | "
                f"{r['version']}{' (' + r['how'] + ')' if r['how'] else ''} | "
                f"{shorten(r['route'], args.route_width)}"
                f"{'; ' + r['note'] if r.get('note') else ''}"
                f"{'; %d-step chunks' % r['chunk'] if r.get('chunk') else ''} |")
        if "error" in r or not r.get("nirb_rounds") or not r.get("peer_rounds"):
            print(f"{head} {r.get('error', 'no rounds')} | - | - | - | - |")
            continue
        p, n = spread(r["peer_rounds"]), spread(r["nirb_rounds"])
        compile_s = f"{r['compile_s']:.2f}" if r.get("compile_s") is not None else "-"
        print(f"{head} {p[0]:.4f} ({p[1]:.4f}, {p[2]:.4f}) | {n[0]:.4f} ({n[1]:.4f}, {n[2]:.4f}) "
              f"| {p[0] / n[0]:.2f}x | {compile_s} | {r['peer_count']:.0f} / "
              f"{r['nirb_count']:.0f} ({r['check']}) |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="mlp,cnn", help="comma-separated: mlp, cnn")
    ap.add_argument("--peers", default="", help="comma-separated subset of bench/sim/peers")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--batches", default="1,64", help="batch 1 runs on 1 thread, others on "
                                                      "--threads")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="interleaved rounds")
    ap.add_argument("--inner", type=int, default=2, help="runs per side and round (best kept)")
    ap.add_argument("--slow-seconds", type=float, default=10.0,
                    help="a peer whose warm-up run took longer runs once per round (both sides)")
    ap.add_argument("--peer-memory-gb", type=float, default=2.0,
                    help="memory budget that sets the time chunk of layer-wise peers")
    ap.add_argument("--skip-no-batch-axis", action="store_true",
                    help="do not run peers without a batch axis at batch > 1 (SC-NeuroCore)")
    ap.add_argument("--route-width", type=int, default=160,
                    help="characters of the route column (the JSON keeps it whole)")
    ap.add_argument("--keep-files", action="store_true",
                    help="keep the models and converted files (their folder is printed)")
    ap.add_argument("--json", default=str(HERE / "results_peers.json"))
    args = ap.parse_args()
    models = [m for m in args.models.split(",") if m]
    if set(models) - set(MODELS):
        sys.exit(f"run_peers.py: unknown models {sorted(set(models) - set(MODELS))}")
    sys.path.insert(0, str(HERE))
    peers = peer_modules([p for p in args.peers.split(",") if p])
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="nirb-peers-"))
    if args.keep_files:
        print(f"run_peers.py: files in {tmp}", file=sys.stderr)
    sources = make_sources(models, tmp)
    load_before = os.getloadavg()
    rows, workers = [], {}
    try:
        for model in models:
            routes = plan_routes(model, sources[model], peers, tmp)
            for batch in [int(b) for b in args.batches.split(",")]:
                threads = 1 if batch == 1 else args.threads
                rows += measure_cell(model, sources[model], batch, threads, args, peers,
                                     routes, workers, tmp)
    finally:
        for worker in workers.values():
            worker.close()
        if not args.keep_files:
            shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()
    ok = all([check_counts(r) for r in rows])
    pathlib.Path(args.json).write_text(json.dumps(
        {"steps": args.steps, "repeats": args.repeats, "inner": args.inner,
         "load_before": load_before, "load_after": load_after, "rows": rows}, indent=1,
        default=str))
    print_table(rows, load_before, load_after, args)
    for r in rows:
        if r.get("check", "").startswith("MISMATCH"):
            print(f"*** SPIKE COUNT MISMATCH: {r['model']} batch {r['batch']} {r['peer']}: "
                  f"peer {r['peer_count']:.0f}, nirb {r['nirb_count']:.0f}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
