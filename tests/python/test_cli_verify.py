"""`nirb run` and `nirb convert` verification through libnirb-bridge, from the command line:
a `verify:` inputs file is checked by --validate and before anything is written, a readable
one is simulated, and `--emit-pipeline` writes a pipeline that `nirb run` runs to the same
file and report as the conversion itself."""
import subprocess

import numpy as np

from test_roundtrip_nir import NIRB, ROOT

MODEL = ROOT / "examples" / "models" / "snntorch_mlp.nir"


def nirb(*args, cwd):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def pipeline(tmp_path, verify):
    path = tmp_path / "p.yaml"
    path.write_text(f"""nirb_pipeline: 1
input: {{path: {MODEL}}}
steps:
  - run: snntorch.to-canonical
  - run: nir.normalize-recurrence
  - run: nir.flatten-subgraphs
    with: {{drop_io: true}}
  - run: norse.from-canonical
output: {{path: out.nir}}
verify: {verify}
""")
    return path


def test_unreadable_verify_inputs_fail_validate_and_write_nothing(tmp_path):
    (tmp_path / "bad.npy").write_bytes(b"not an npy file")
    p = pipeline(tmp_path, "{steps: 10, inputs: bad.npy}")
    for mode in (["--validate"], []):
        r = nirb("run", p, *mode, cwd=tmp_path)
        assert r.returncode == 1, r.stderr
        assert "p.yaml:10:9: error: verify inputs" in r.stderr
        assert not (tmp_path / "out.nir").exists()


def test_verify_steps_beyond_the_inputs_file_fail_validate(tmp_path):
    np.save(tmp_path / "in.npy", np.ones((5, 2, 16), np.float32))
    r = nirb("run", pipeline(tmp_path, "{steps: 6, inputs: in.npy}"), "--validate", cwd=tmp_path)
    assert r.returncode == 1 and "exceeds" in r.stderr, r.stderr


def test_verify_inputs_file_is_simulated(tmp_path):
    rng = np.random.default_rng(0)
    np.save(tmp_path / "in.npy", (rng.random((40, 3, 16)) < 0.3).astype(np.float32))
    r = nirb("run", pipeline(tmp_path, "{steps: 30, inputs: in.npy}"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "verify: 30 steps, batch 3, inputs from" in r.stdout
    assert "spike agreement 1.000000" in r.stdout


def test_emitted_pipeline_runs_the_same_conversion(tmp_path):
    direct = nirb("convert", MODEL, tmp_path / "direct.nir", "--from", "snntorch", "--to", "norse",
                  "--verify", cwd=tmp_path)
    assert direct.returncode == 0, direct.stderr
    emit = nirb("convert", MODEL, tmp_path / "piped.nir", "--from", "snntorch", "--to", "norse",
                "--verify", "--emit-pipeline", tmp_path / "c.yaml", cwd=tmp_path)
    assert emit.returncode == 0 and not (tmp_path / "piped.nir").exists(), emit.stderr
    run = nirb("run", tmp_path / "c.yaml", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = lambda out: [l for l in out.splitlines() if not l.startswith("wrote")]  # noqa: E731
    assert report(run.stdout) == report(direct.stdout)
    assert (tmp_path / "piped.nir").read_bytes() == (tmp_path / "direct.nir").read_bytes()
