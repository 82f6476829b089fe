"""nirb.read reads in a child process (python/src/read_isolated.hpp): the files of the fuzz
corpus that crash or hang libhdf5 1.10.8 raise NirbError (NIRB-E114) instead of ending the
interpreter, and every other file gives exactly what an in-process read gives (document,
reading diagnostics, error messages)."""

import os
import subprocess
import sys

import pytest

import nirb
from conftest import FIXTURES, ROOT, nir_files

CRASHERS = sorted((ROOT / "tests" / "fuzz" / "corpus" / "fuzz_nir_reader").glob("heap_flip*.nir"))
HANG = ROOT / "tests" / "data" / "bad" / "hdf5" / "hang_flip017099.nir"
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.nir")) + sorted(
    p for p in (ROOT / "tests" / "fuzz" / "corpus" / "fuzz_nir_reader").glob("*.nir")
    if p not in CRASHERS)


def diagnostics(graph):
    return [(d.severity, d.code, d.message, d.node_path, d.location, d.notes, d.fix)
            for d in graph.read_diagnostics]


@pytest.mark.parametrize("path", nir_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_isolated_read_equals_in_process_read(path):
    for strict in (False, True):
        try:
            inside = nirb.read(path, strict=strict, isolate=False)
        except nirb.NirbError as refused:
            with pytest.raises(nirb.NirbError) as isolated:
                nirb.read(path, strict=strict)
            assert str(isolated.value) == str(refused)
            continue
        isolated = nirb.read(path, strict=strict)
        assert isolated == inside
        assert diagnostics(isolated) == diagnostics(inside)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_file_same_error_isolated(path):
    outcomes = []
    for isolate in (True, False):
        try:
            graph = nirb.read(path, isolate=isolate)
            outcomes.append(("read", diagnostics(graph), graph.to_dict().keys()))
        except nirb.NirbError as e:
            outcomes.append(("error", str(e)))
    assert outcomes[0] == outcomes[1]
    validated = [[str(d) for d in nirb.validate(path, isolate=isolate)]
                 if outcomes[0][0] == "read" else None for isolate in (True, False)]
    assert validated[0] == validated[1]


def run_python(code, **env):
    """A fresh interpreter (the package installed as in the tests): if isolation failed, the
    crash ends that interpreter, not the test run."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_files_that_crash_libhdf5_raise():
    assert len(CRASHERS) == 3
    code = f"""
import nirb
for path in {[str(p) for p in CRASHERS]!r}:
    for call in (nirb.read, nirb.validate):
        try:
            call(path)
            print("no error", path)
        except nirb.NirbError as e:
            print(e)
"""
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 * len(CRASHERS)
    for line in lines:
        assert "the HDF5 library failed on this file (crashed with signal" in line
        assert line.endswith("[NIRB-E114]")


def test_file_that_hangs_libhdf5_raises_at_the_time_limit():
    out = run_python(f"""
import nirb
try:
    nirb.read({str(HANG)!r})
except nirb.NirbError as e:
    print(e)
""", NIRB_READ_TIMEOUT="1")
    assert out.returncode == 0, out.stderr
    assert "still reading after 1 s" in out.stdout and "[NIRB-E114]" in out.stdout


def helper_processes():
    out = subprocess.run(["ps", "--ppid", str(os.getpid()), "-o", "comm="], capture_output=True,
                         text=True, check=True).stdout.split()
    return [name for name in out if name.startswith("nirb-read-help")]


def test_reads_go_through_the_helper_program(installed_package):
    nirb.read(FIXTURES / "reference" / "prim_LIF.nir")
    assert (installed_package / "nirb-read-helper").is_file()
    assert len(helper_processes()) == 1  # started once, kept for the next reads
    nirb.read(FIXTURES / "reference" / "prim_LI.nir")
    assert len(helper_processes()) == 1


def test_without_the_helper_the_interpreter_forks_the_worker(installed_package):
    from nirb import _nirb

    path = FIXTURES / "reference" / "metadata.nir"
    try:
        _nirb._set_read_helper("")
        assert helper_processes() == []
        assert nirb.read(path) == nirb.read(path, isolate=False)
        with pytest.raises(nirb.NirbError, match="NIRB-E114"):
            nirb.read(CRASHERS[0])
        _nirb._set_read_helper(str(installed_package / "no-such-helper"))
        assert nirb.read(path) == nirb.read(path, isolate=False)
    finally:
        _nirb._set_read_helper(str(installed_package / "nirb-read-helper"))
    assert nirb.read(path) == nirb.read(path, isolate=False)
    assert len(helper_processes()) == 1


def test_threads_and_a_forked_interpreter_read_alike():
    from concurrent.futures import ThreadPoolExecutor

    paths = nir_files()[:12]
    expected = [nirb.read(p, isolate=False) for p in paths]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(nirb.read, paths)) == expected
    out = run_python(f"""
import os, nirb
nirb.read({str(paths[0])!r})  # the parent's helper exists before the fork
pid = os.fork()
if pid == 0:
    ok = nirb.read({str(paths[1])!r}) == nirb.read({str(paths[1])!r}, isolate=False)
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
same = nirb.read({str(paths[2])!r}) == nirb.read({str(paths[2])!r}, isolate=False)
print(os.waitstatus_to_exitcode(status), same)
""")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "True"]


def test_json_form_isolated(tmp_path):
    graph = nirb.read(FIXTURES / "reference" / "metadata.nir")
    nirb.write(graph, tmp_path / "metadata.json")
    isolated = nirb.read(tmp_path / "metadata.json")
    assert isolated == graph == nirb.read(tmp_path / "metadata.json", isolate=False)
