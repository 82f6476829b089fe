#!/usr/bin/env python3
"""Bit-flip and truncation audit of the .nir reader, as in issue 11: flip random bits of a
fixture (or cut it short), run `nirb info` on each variant with a time limit, and keep every
variant that crashed, hung, used too much memory or exited with anything but 0/1.

    tests/fuzz/bitflip.py --nirb build/tools/nirb --fixture F.nir --flips 1000 --out DIR

NIRB_READ_GUARD=0 (--unguarded) shows what libhdf5 does without the read supervisor; with
the supervisor on (the default) every variant must end in 0 or 1 with a message.
"""
import argparse
import os
import pathlib
import random
import resource
import signal
import subprocess
import sys
import time


def run(nirb, path, timeout, unguarded):
    env = dict(os.environ)
    if unguarded:
        env["NIRB_READ_GUARD"] = "0"
    start = time.monotonic()
    proc = subprocess.Popen([nirb, "info", str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "hang", time.monotonic() - start, 0, b""
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, max over children
    code = proc.returncode
    kind = "ok" if code in (0, 1) else ("signal %d" % -code if code < 0 else "exit %d" % code)
    return kind, time.monotonic() - start, rss, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nirb", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--flips", type=int, default=1000)
    ap.add_argument("--truncations", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--unguarded", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    data = pathlib.Path(a.fixture).read_bytes()
    rng = random.Random(a.seed)
    variants = []
    for i in range(a.flips):
        bit = rng.randrange(len(data) * 8)
        b = bytearray(data)
        b[bit // 8] ^= 1 << (bit % 8)
        variants.append(("flip%06d" % bit, bytes(b)))
    for i in range(a.truncations):
        n = rng.randrange(len(data))
        variants.append(("cut%06d" % n, data[:n]))
    work = out / "current.nir"
    counts = {}
    for name, b in variants:
        work.write_bytes(b)
        kind, secs, rss, err = run(a.nirb, work, a.timeout, a.unguarded)
        counts[kind] = counts.get(kind, 0) + 1
        if kind != "ok":
            (out / (name + ".nir")).write_bytes(b)
            print(f"{name}: {kind} after {secs:.1f} s: {err.decode(errors='replace')[-200:]}",
                  flush=True)
    work.unlink()
    print("summary:", counts, "max child RSS (KiB):",
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
