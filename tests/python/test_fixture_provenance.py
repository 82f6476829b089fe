"""The copied fixtures are the files their provenance records (tests/fixtures/*/provenance.json):
same size and SHA-256, and every file in the folders is listed (nothing unrecorded slips in)."""

import hashlib
import json
import pathlib

import numpy as np
import pytest

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"
DATA_SUFFIXES = {".nir", ".csv"}


def recorded(folder):
    return {entry["file"]: entry for entry in json.loads((FIXTURES / folder /
                                                          "provenance.json").read_text())["files"]}


@pytest.mark.parametrize("folder", ["real", "paper"])
def test_every_data_file_is_recorded_with_its_size_and_sha256(folder):
    entries = recorded(folder)
    present = sorted(str(p.relative_to(FIXTURES / folder)) for p in (FIXTURES / folder).rglob("*")
                     if p.suffix in DATA_SUFFIXES)
    assert present == sorted(entries)
    for name, entry in entries.items():
        blob = (FIXTURES / folder / name).read_bytes()
        assert len(blob) == entry["size"], name
        assert hashlib.sha256(blob).hexdigest() == entry["sha256"], name


@pytest.mark.parametrize("folder", ["real", "paper"])
def test_licence_text_is_next_to_the_copies(folder):
    assert "BSD 3-Clause" in (FIXTURES / folder / "LICENSE-NIR").read_text()


# What tests/fixtures/paper/README.md states about the recorded traces.
PAPER_SPIKE_STEPS = {
    (460, 510, 710, 760): ["exact", "norse", "snntorch", "spinnaker2", "nengo"],
    (461, 511, 711, 761): ["lava_cpu_float", "lava_cpu_fixed", "lava_loihi_fixed", "spyx"],
    (450, 500, 710, 760): ["rockpool", "sinabs"],
}


@pytest.mark.parametrize("steps,platform", [(s, p) for s, ps in PAPER_SPIKE_STEPS.items()
                                            for p in ps])
def test_paper_trace_spikes_where_the_readme_says(steps, platform):
    trace = np.loadtxt(FIXTURES / "paper" / "01_lif" / f"lif_{platform}.csv", delimiter=",")
    assert trace.shape == (1000, 3)  # step x (input spike, membrane voltage, output spike)
    assert tuple(np.nonzero(trace[:, 2])[0]) == steps
