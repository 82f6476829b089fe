"""nirbridge from Python: read, write, validate, analyse, convert and simulate NIR graphs.

Every function calls the same library function as the `nirb` command (no subprocess, no
files unless asked): see docs/python.md. Graphs are nirb.Graph objects or nir.NIRGraph
objects (converted with from_nir); errors are nirb.NirbError (nirb.UsageError for misuse)
with the library's message.
"""

from __future__ import annotations

import os
import pathlib
import warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _nirb
from ._nir import from_nir, to_nir
from ._nirb import (Analysis, Diagnostic, Fingerprint, Graph, NirbError, Plugin, Profile,
                    UsageError, Verdict, VerdictReason, VerificationReport)

__version__: str = _nirb.__version__

__all__ = [
    "Analysis", "Diagnostic", "Fingerprint", "Graph", "ImpossibleConversion", "NirbError",
    "Plugin", "Profile", "UsageError", "Verdict", "VerdictReason", "VerificationReport",
    "analyze", "convert", "detect", "frameworks", "from_nir", "import_kwargs", "plugins",
    "profiles", "read", "rejected_plugins", "simulate", "to_nir", "validate", "write",
]

_HERE = pathlib.Path(__file__).resolve().parent


def _plugin_dirs() -> List[str]:
    # The package's own plugins always; NIRB_PLUGIN_PATH may add third-party ones (optional,
    # as for the nirb command).
    extra = [d for d in os.environ.get("NIRB_PLUGIN_PATH", "").split(":") if d]
    return extra + [str(_HERE / "plugins")]


_nirb._init(_plugin_dirs(), str(_HERE / "profiles"), str(_HERE / "nirb-read-helper"))

PathLike = Union[str, "os.PathLike[str]"]
GraphLike = Union[Graph, Any]  # a nirb.Graph or a nir.NIRGraph


class ImpossibleConversion(NirbError):
    """The target framework cannot express the source: `verdict` says why (nothing is
    converted, as `nirb convert` exits 1 and writes nothing)."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(f"conversion impossible: {verdict.summary}")
        self.verdict = verdict


def _as_graph(graph: Any) -> Graph:
    if isinstance(graph, Graph):
        return graph
    if isinstance(graph, (str, os.PathLike)):
        return read(graph)
    return from_nir(graph)


def read(path: PathLike, strict: bool = False, isolate: bool = True) -> Graph:
    """Read a .nir (HDF5) or .json file. strict=True reads like nir.read (fails where it
    fails); otherwise oddities become graph.read_diagnostics. The read runs in a child
    process (isolate=True), so a file that crashes or hangs libhdf5 raises NirbError
    instead of ending the interpreter; isolate=False reads in this process (trusted files
    only: a hostile one can crash it)."""
    return _nirb._read(os.fspath(path), strict, isolate)


def write(graph: GraphLike, path: PathLike, compress: bool = False, overwrite: bool = True) -> None:
    """Write a .nir or .json file (chosen by extension), atomically."""
    _nirb._write(_as_graph(graph), os.fspath(path), compress, overwrite)


def validate(graph: Union[GraphLike, PathLike], strict: bool = False,
             reference_compatible: bool = False, isolate: bool = True) -> List[Diagnostic]:
    """Every structural, type and parameter problem, as `nirb validate` reports it (a path is
    read first, isolated as by read(), and its reading diagnostics come first)."""
    if isinstance(graph, (str, os.PathLike)):
        return _nirb._validate_file(os.fspath(graph), strict, reference_compatible, isolate)
    return _nirb._validate(_as_graph(graph), strict, reference_compatible)


def analyze(graph: GraphLike, strict: bool = False, reference_compatible: bool = False) -> Analysis:
    """Flattened nodes, execution order, cycles, inferred shapes and diagnostics."""
    return _nirb._analyze(_as_graph(graph), strict, reference_compatible)


def _key_values(options: Optional[Mapping[str, Any]]) -> List[Tuple[str, str]]:
    def text(v: Any) -> str:
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    return [(str(k), text(v)) for k, v in (options or {}).items()]


@overload
def convert(graph: Graph, source: str, target: str, *, verify: bool = ..., steps: int = ...,
            seed: int = ..., from_options: Optional[Mapping[str, Any]] = ...,
            to_options: Optional[Mapping[str, Any]] = ..., **options: Any) -> Tuple[Graph, Verdict]: ...
@overload
def convert(graph: Any, source: str, target: str, *, verify: bool = ..., steps: int = ...,
            seed: int = ..., from_options: Optional[Mapping[str, Any]] = ...,
            to_options: Optional[Mapping[str, Any]] = ..., **options: Any) -> Tuple[Any, Verdict]: ...
def convert(graph: Any, source: str, target: str, *, verify: bool = False, steps: int = 300,
            seed: int = 0, from_options: Optional[Mapping[str, Any]] = None,
            to_options: Optional[Mapping[str, Any]] = None, **options: Any) -> Tuple[Any, Verdict]:
    """Convert from one framework's conventions to another's, in memory, as
    `nirb convert --from SOURCE --to TARGET` does. Returns (graph, verdict): a nir.NIRGraph
    for a nir.NIRGraph given, else a nirb.Graph. from_options go to SOURCE's to-canonical
    step, to_options to TARGET's from-canonical step, other keyword options to every step
    declaring them. verify=True simulates source and result (`steps` steps, random inputs
    from `seed`): verdict.verification is the agreement report and verdict.agreement is set.
    Raises ImpossibleConversion when the target cannot express the source."""
    given_nir = not isinstance(graph, (Graph, str, os.PathLike))
    source_graph = _as_graph(graph)
    mismatch = _nirb._fingerprint_mismatch(source_graph, source)
    if mismatch:
        warnings.warn(mismatch, stacklevel=2)
    result, verdict = _nirb._convert(source_graph, source, target, _key_values(from_options),
                                     _key_values(to_options), _key_values(options), verify,
                                     steps, seed)
    if result is None:
        raise ImpossibleConversion(verdict)
    return (to_nir(result) if given_nir else result), verdict


def import_kwargs(graph: GraphLike) -> Dict[str, Any]:
    """The keyword arguments a conversion stored for the target framework's importer (root
    metadata `nirb.import.*`), as Python values: e.g. norse from_nir(graph, **kwargs)."""
    meta = _as_graph(graph).to_dict().get("metadata", {})
    prefix = _nirb.IMPORT_PREFIX
    return {k[len(prefix):]: (v.item() if hasattr(v, "item") else v)
            for k, v in meta.items() if k.startswith(prefix)}


def simulate(graph: GraphLike, inputs: Union[Any, Mapping[str, Any]], profile: Optional[str] = None,
             record: Sequence[str] = (), profile_options: Optional[Mapping[str, Any]] = None,
             threads: int = 1) -> Dict[str, Any]:
    """Run the graph under a profile (a name such as "canonical-euler", "snntorch", "norse",
    a YAML file, or None for the one the graph's metadata describes) on time-major inputs
    (steps, batch, *shape): one array, or a dict Input node -> array. Returns a dict of
    float32 arrays (steps, batch, *shape): every Output node, and each `record` entry
    ("node" for its output, "node:v" for a state)."""
    import numpy as np

    if isinstance(inputs, Mapping):
        pairs = [(str(k), np.ascontiguousarray(v, dtype=np.float32)) for k, v in inputs.items()]
    else:
        pairs = [("", np.ascontiguousarray(inputs, dtype=np.float32))]
    assignments = [f"{k}={v}" for k, v in _key_values(profile_options)]
    return _nirb._simulate(_as_graph(graph), pairs, profile, assignments, list(record), threads)


def detect(graph: GraphLike) -> List[Fingerprint]:
    """Every framework's exporter fingerprint on the graph, best first (`nirb detect`); a
    score above 0.5 names the likely exporter."""
    return _nirb._detect(_as_graph(graph))


def plugins() -> List[Plugin]:
    """The plugins the package found (its own plugins folder; NIRB_PLUGIN_PATH adds more)."""
    return _nirb._plugins()


def rejected_plugins() -> List[Tuple[str, str]]:
    """Files on the plugin search path that are not usable plugins, with the reason."""
    return _nirb._rejected_plugins()


def frameworks() -> List[str]:
    """Framework conventions offered by the plugins (valid source= and target= values)."""
    return _nirb._frameworks()


def profiles() -> List[Profile]:
    """Every simulation profile (shipped, and contributed by plugins), `nirb profiles`."""
    return _nirb._profiles()
