"""The NIR paper's recorded Sinabs LIF trace (tests/fixtures/paper/01_lif/lif_sinabs.csv),
reproduced by `nirb simulate` under the Sinabs profile and by the installed Sinabs 3.1.3.

The paper imported lif_norse.nir (Affine w = 1 -> LIF tau = 2.5 ms, threshold 0.1) into Sinabs
at 1e-4 s per step: a LIFSqueeze with tau_mem = 25 steps, norm_input=False, fed the csv's input
column (0.04 = dt/tau per input spike). Sinabs' exact decay exp(-1/25) and its same-step
subtraction put the spikes at steps 450/500/710/760 (the exact solution: 460/510/...). The csv's
voltage is the membrane after the reset. Profile: `base: sinabs` with dt = 1e-4 s and membrane
gain one (norm_input=False).
"""

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from harness import run_nirb  # noqa: E402

PAPER = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "paper" / "01_lif"


def paper_trace():
    trace = np.loadtxt(PAPER / "lif_sinabs.csv", delimiter=",", dtype=np.float32)
    return trace[:, 0], trace[:, 1], trace[:, 2]


def test_nirb_simulate_reproduces_the_papers_sinabs_trace(tmp_path):
    import h5py

    x, v_paper, spikes_paper = paper_trace()
    np.save(tmp_path / "x.npy", x.reshape(-1, 1, 1))
    profile = tmp_path / "sinabs-paper.yaml"
    profile.write_text("nirb_profile: 1\nname: sinabs-paper\nbase: sinabs\ndt: 1.0e-4\n"
                       "time_unit: s\ninput_gain: {membrane: one, synapse: decay, "
                       "integrator: one}\n")
    out = tmp_path / "out.h5"
    run_nirb("simulate", PAPER / "lif_norse.nir", "--profile", profile, "--input",
             tmp_path / "x.npy", "--output", out, "--record", "1", "--record", "1:v", "-q",
             check=True)
    with h5py.File(out, "r") as f:
        obs = f["nodes"]["1"]["observables"]
        spikes = obs["output"]["data"][()].reshape(-1)
        v = obs["v"]["data"][()].reshape(-1)
    assert np.flatnonzero(spikes).tolist() == [450, 500, 710, 760]
    assert spikes.tolist() == spikes_paper.tolist()
    np.testing.assert_allclose(v, v_paper, rtol=0, atol=2e-6)


def test_sinabs_itself_still_gives_the_papers_trace():
    import sinabs.layers as sl
    import torch

    x, v_paper, spikes_paper = paper_trace()
    lif = sl.LIFSqueeze(tau_mem=torch.tensor([25.0]), spike_threshold=torch.tensor([0.1]),
                        norm_input=False, num_timesteps=1)
    spikes, v = [], []
    with torch.no_grad():
        for value in x:
            spikes.append(float(lif(torch.tensor([[value]]))))
            v.append(float(lif.v_mem))
    assert spikes == spikes_paper.tolist()
    np.testing.assert_allclose(v, v_paper, rtol=0, atol=2e-6)
