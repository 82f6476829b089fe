"""bench/sim/run_peers.py end to end at tiny sizes (10 steps, batch 2, one round): every peer
framework in bench/sim/peers runs, the output spike counts of each peer and of nirb on the same
file are equal, and the models a framework cannot take are reported with a reason instead of a
time. A tiny --peer-memory-gb makes the layer-wise peers run in time chunks, so carrying their
state across chunks is checked too (it caught Rockpool, which now never chunks). Checks
correctness only, never timing (docs/performance.md has the benchmark)."""

import json
import os
import pathlib
import subprocess
import sys

from test_roundtrip_nir import NIRB, ROOT

PEERS = sorted(p.stem for p in (ROOT / "bench" / "sim" / "peers").glob("*.py")
               if not p.stem.startswith("_"))
#: (model, peer) pairs that cannot run today, and a word their reason must contain (one that
#: starts to run, e.g. after a plugin learns the conversion, must then agree like the others)
NOT_RUN = {("cnn", "mlxsnn"): "cannot express conv", ("cnn", "norse"): "to_nir has no",
           ("cnn", "rockpool"): "Conv2d", ("cnn", "scneurocore"): "Conv2d",
           ("cnn", "snntorch"): "Leaky(beta=1)"}


def test_run_peers_smoke(tmp_path):
    out = tmp_path / "peers.json"
    env = {**os.environ, "NIRB_BUILD": str(pathlib.Path(NIRB).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sim" / "run_peers.py"), "--steps", "10",
         "--batches", "2", "--repeats", "1", "--inner", "1", "--peer-memory-gb", "0.0004",
         "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(out.read_text())["rows"]
    assert sorted({r["peer"] for r in rows}) == PEERS
    for r in rows:
        if "error" in r:  # only where the framework cannot take the model, and saying why
            assert NOT_RUN.get((r["model"], r["peer"]), "(expected to run)") in r["error"], r
            continue
        assert r["peer_count"] == r["nirb_count"] > 0, r
        assert len(r["peer_rounds"]) == len(r["nirb_rounds"]) == 1
    chunked = {(r["model"], r["peer"]) for r in rows if r.get("chunk")}
    assert {("mlp", "sinabs"), ("cnn", "sinabs"), ("cnn", "spikingjelly")} <= chunked
    measured = {r["peer"] for r in rows if "error" not in r}
    assert measured == set(PEERS), "every peer runs at least one model"
    assert "| LIF MLP 784-1000-1000-10 | 2 | 2 |" in proc.stdout


def test_count_check_labels_ties_and_mismatches(monkeypatch):
    """The count check the benchmark prints: equal, a tie of <= 2 spikes only at batch > 1,
    anything else (or one side disagreeing with itself between runs) a MISMATCH."""
    monkeypatch.syspath_prepend(str(ROOT / "bench" / "sim"))
    from run_peers import check_counts

    def row(batch, peer, nirb, peer_runs=None):
        return {"batch": batch, "peer_count": peer, "nirb_count": nirb,
                "peer_counts": peer_runs or [peer], "nirb_counts": [nirb]}

    cases = [(row(1, 10, 10), True, "equal"), (row(64, 80688, 80687), True, "float tie"),
             (row(64, 80690, 80687), False, "MISMATCH"), (row(1, 11, 10), False, "MISMATCH"),
             (row(1, 10, 10, [10, 12]), False, "runs of one side differ")]
    for r, ok, label in cases:
        assert check_counts(r) is ok and label in r["check"], r
