"""`nirb detect` on files written by the real exporters names the right framework."""

import json
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import (FAMILIES, NotExportable, build_model, export_model,  # noqa: E402
                     frameworks, run_nirb)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("fw", list(frameworks()))
def test_detect_names_the_exporter(fw, family, tmp_path):
    try:
        built = build_model(fw, family, seed=1)
    except NotExportable:
        pytest.skip("not exportable")
    path = tmp_path / "m.nir"
    export_model(fw, built, path)
    proc = run_nirb("detect", path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # Frameworks whose exporter writes the very same file for this family (an interop
    # module's SAME_FILE_AS) may tie; every other framework must score below 0.5.
    tied = (fw, *getattr(frameworks()[fw], "SAME_FILE_AS", {}).get(family, ()))
    assert out["likely"] in tied
    scores = {s["framework"]: s for s in out["scores"]}
    assert scores[fw]["score"] == 1.0 and scores[fw]["evidence"]
    assert all(s["score"] < 0.5 for s in out["scores"] if s["framework"] not in tied)
    text = run_nirb("detect", path).stdout
    assert f"most likely exported by {out['likely']}" in text


def test_detect_unreadable_file_exits_1(tmp_path):
    bad = tmp_path / "bad.nir"
    bad.write_text("not hdf5")
    proc = run_nirb("detect", bad)
    assert proc.returncode == 1 and "bad.nir" in proc.stderr
