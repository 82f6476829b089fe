"""`nirb convert --report DIR` for one conversion per framework pair: a model exported by the
real framework, converted with --report, must leave report.json (whose numbers match the
arrays it points to and what nirb printed), the spike and membrane arrays, and the two
pictures (raster.png, membrane.png) drawn by matplotlib. Without any Python that has
matplotlib the pictures cannot be drawn: then the test checks that nirb says so and skips."""
import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import build_model, export_model, run_nirb  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIRS = [("snntorch", "norse"), ("norse", "snntorch"), ("snntorch", "snntorch"),
         ("norse", "norse")]
PNG = b"\x89PNG\r\n\x1a\n"


def python_with_matplotlib():
    """The interpreter nirb would find with matplotlib (same order as render_process.cpp)."""
    env = os.environ.get("NIRB_PYTHON")
    candidates = [env] if env else [
        str(pathlib.Path(os.environ["NIRB_VENV"]) / "bin" / "python")
        if os.environ.get("NIRB_VENV") else None,
        str(ROOT / ".venv" / "bin" / "python"), "python3"]
    for python in filter(None, candidates):
        try:
            if subprocess.run([python, "-c", "import matplotlib, numpy"],
                              capture_output=True).returncode == 0:
                return python
        except FileNotFoundError:
            continue
    return None


@pytest.mark.parametrize("source,target", PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_report_pictures(source, target, tmp_path):
    built = build_model(source, "lif_mlp", seed=3)
    src = tmp_path / "model.nir"
    export_model(source, built, src)
    report = tmp_path / "report"
    proc = run_nirb("convert", src, tmp_path / "out.nir", "--from", source, "--to", target,
                    "--report", report)
    assert proc.returncode in (0, 1), proc.stderr
    assert "spike agreement" in proc.stdout, proc.stdout + proc.stderr
    j = json.loads((report / "report.json").read_text())
    assert [s["role"] for s in j["series"]] == ["source", "result"]
    spikes = [np.load(report / s["spikes"]) for s in j["series"]]
    assert spikes[0].shape == spikes[1].shape == (j["steps"], j["batch"], j["series"][0]["size"])
    differ = int(((spikes[0] > 0) != (spikes[1] > 0)).sum())
    assert j["comparison"]["differing"] == differ
    printed = float(re.search(r"spike agreement ([0-9.]+)", proc.stdout).group(1))
    assert j["comparison"]["agreement"] == pytest.approx(printed, abs=1e-6)
    for s in j["series"]:
        assert int((np.load(report / s["spikes"]) > 0).sum()) == s["spike_count"]
        membrane = np.load(report / s["membrane"]["file"])
        assert membrane.shape[:2] == (j["steps"], j["batch"])
    if python_with_matplotlib() is None:
        assert "pictures not drawn" in proc.stderr
        pytest.skip("no Python with matplotlib: run scripts/setup.sh (pictures not checked)")
    for picture in ("raster.png", "membrane.png"):
        data = (report / picture).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, picture
