"""`nirb run` on every bad pipeline in tests/configs/bad/: exit status 1, the expected
`file:line:col: error: ...` line (the file's `# expect:` comment) on stderr, nothing on
stdout, and no output file. The unit tests check the same messages through load_pipeline;
this checks what a user sees from the command line."""
import subprocess

import pytest

from test_roundtrip_nir import NIRB, ROOT

BAD = sorted((ROOT / "tests" / "configs" / "bad").glob("*.yaml"))


def expected_line(path):
    for line in path.read_text().splitlines():
        if line.startswith("# expect: "):
            return line[len("# expect: "):]
    raise AssertionError(f"{path} has no '# expect:' line")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
@pytest.mark.parametrize("mode", [[], ["--validate"]], ids=["run", "validate"])
def test_bad_config_fails_with_its_message(path, mode, tmp_path):
    before = sorted((ROOT / "tests").rglob("*"))
    r = subprocess.run([NIRB, "run", str(path), *mode], capture_output=True, text=True,
                       cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert expected_line(path) in r.stderr
    assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []
    assert sorted((ROOT / "tests").rglob("*")) == before  # outputs resolve next to the file


def test_bad_config_set_is_not_empty():
    assert len(BAD) >= 10
