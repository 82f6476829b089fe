"""The Python package's tests run against the INSTALLED nirb (scripts/test-pypkg.sh builds the
wheel and installs it into a fresh .venv-pypkg): importing it from the source tree would
prove nothing about the wheel."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(pathlib.Path(__file__).parent))


@pytest.fixture(scope="session", autouse=True)
def installed_package():
    import nirb

    location = pathlib.Path(nirb.__file__).resolve()
    assert ROOT / "python" not in location.parents, f"nirb imported from the source tree: {location}"
    return location.parent


def nir_files():
    return sorted(p for d in ("reference", "real", "paper") for p in (FIXTURES / d).rglob("*.nir"))
