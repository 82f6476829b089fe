"""Run the nirb command line (path from env NIRB_BIN, default ./build/tools/nirb)."""

import os
import pathlib
import subprocess


def nirb_bin() -> str:
    """Path of the nirb executable under test."""
    default = pathlib.Path(__file__).resolve().parents[3] / "build" / "tools" / "nirb"
    return os.environ.get("NIRB_BIN", str(default))


def run_nirb(*args, check: bool = False, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `nirb ARGS...`; returns the CompletedProcess (text stdout/stderr)."""
    proc = subprocess.run([nirb_bin(), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nirb {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                           f"{proc.stdout}\n{proc.stderr}")
    return proc
