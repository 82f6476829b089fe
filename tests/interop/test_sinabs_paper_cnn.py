"""The NIR paper's Sinabs CNN (tests/fixtures/real/cnn_sinabs.nir: Conv2d-IF-Conv2d-IF-
SumPool2d-Conv2d-IF-Flatten-Affine-IF-Affine-IF, written by sinabs.to_nir) through Sinabs
itself: what sinabs.from_nir builds from the paper's file is reproduced by `nirb convert --from
sinabs --to sinabs` (IF with the importer's floor: `min_v_mem=-threshold`) and by
`nirb simulate` under the sinabs profile with that floor, spike counts compared."""

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from harness import compare_traces, import_model, random_spikes, run_imported, run_nirb  # noqa: E402

CNN = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "real" / "cnn_sinabs.nir"
STEPS, BATCH = 100, 2


def test_paper_cnn_converts_exactly_to_sinabs(tmp_path):
    import h5py

    out = tmp_path / "cnn.sinabs.nir"
    proc = run_nirb("convert", CNN, out, "--from", "sinabs", "--to", "sinabs",
                    "--from-option", "min_v_mem=-threshold")
    assert proc.returncode == 0, proc.stderr
    assert "verdict: exact" in proc.stdout
    with h5py.File(CNN, "r") as f:
        in_shape = tuple(int(d) for d in f["node"]["nodes"]["input"]["shape"][()])
    x = random_spikes(STEPS, BATCH, in_shape, p=0.2, seed=5)
    ref = run_imported("sinabs", import_model("sinabs", CNN, num_timesteps=1), x)
    got = run_imported("sinabs", import_model("sinabs", out), x)
    assert 0 < ref.output.spikes.mean(), "the paper CNN stays silent on this input"
    agreement = compare_traces(ref, got)
    assert agreement.ok, agreement.report()

    # nirb's own simulator under the Sinabs profile with the importer's IF floor
    np.save(tmp_path / "x.npy", x)
    profile = tmp_path / "floor.yaml"
    profile.write_text("nirb_profile: 1\nname: floor\nbase: sinabs\nlower_clamp: -threshold\n")
    sim = tmp_path / "sim.npy"
    run_nirb("simulate", CNN, "--profile", profile, "--input", tmp_path / "x.npy", "--output",
             sim, "-q", check=True, timeout=300)
    counts = np.load(sim)  # (T, B, *out), the harness's layout
    assert counts.reshape(-1).tolist() == ref.output.spikes.reshape(-1).tolist()
    assert counts.max() >= 1
