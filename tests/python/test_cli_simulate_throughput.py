"""`nirb simulate`'s summary line, the throughput report: steps/s, the synaptic events the run
processed and events/s are printed, and the event count is exactly what the network did (each
nonzero input of a weight layer times its fan-out), whatever the timing."""
import re
import subprocess

import h5py
import nir
import numpy as np

from test_roundtrip_nir import NIRB

SUMMARY = re.compile(r"simulated (\d+) steps x batch (\d+) .* in ([\d.]+) s \((\d+) steps/s, "
                     r"(\d+) synaptic events, ([\d.e+-]+) synaptic events/s\)")


def two_layer_model(path):
    rng = np.random.default_rng(1)
    sizes = (6, 5, 3)

    def lif(n):
        return nir.LIF(tau=np.full(n, 2e-3), r=np.full(n, 20.0), v_leak=np.zeros(n),
                       v_threshold=np.full(n, 0.5), v_reset=np.zeros(n))

    graph = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([sizes[0]])),
            "fc1": nir.Linear(weight=rng.uniform(0, 1, (sizes[1], sizes[0])).astype(np.float32)),
            "lif1": lif(sizes[1]),
            "fc2": nir.Linear(weight=rng.uniform(0, 1, (sizes[2], sizes[1])).astype(np.float32)),
            "lif2": lif(sizes[2]),
            "output": nir.Output(output_type=np.array([sizes[2]])),
        },
        edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"),
               ("lif2", "output")],
    )
    nir.write(path, graph)
    return sizes


def test_summary_reports_events_equal_to_spikes_times_fan_out(tmp_path):
    sizes = two_layer_model(tmp_path / "m.nir")
    steps, batch = 300, 4
    x = (np.random.default_rng(2).random((steps, batch, sizes[0])) < 0.3).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    r = subprocess.run([NIRB, "simulate", str(tmp_path / "m.nir"), "--input",
                        str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.h5"), "--record",
                        "lif1", "--threads", "2"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    m = SUMMARY.search(r.stdout)
    assert m, r.stdout
    assert (int(m[1]), int(m[2])) == (steps, batch)
    steps_per_s, events, events_per_s = int(m[4]), int(m[5]), float(m[6])
    with h5py.File(tmp_path / "y.h5") as f:
        hidden = f["nodes/lif1/observables/output/data"][()]  # (B, T, n)
    assert set(np.unique(hidden)) <= {0.0, 1.0} and hidden.sum() > 0
    # fc1 sees the input spikes, fc2 the hidden ones; each reaches every output of its layer.
    assert events == int(x.sum()) * sizes[1] + int(hidden.sum()) * sizes[2]
    assert steps_per_s > 0 and events_per_s > 0
    # Both rates divide by the same simulation time: their ratio is events per sample-step
    # (up to the printed rounding), independent of how fast the machine was.
    assert abs(events_per_s / steps_per_s / (events / (steps * batch)) - 1) < 0.01
