"""Interop harness: build, export, import and run models in the real frameworks.

Used by the interop suite (tests/interop/test_conversions.py) and by the simulator's
simulator-vs-framework tests. Everything runs the installed snntorch / norse / nirtorch /
nir code; nothing is mocked.

Typical use::

    from harness import build_model, export_model, import_model, run_native, \
        run_imported, random_spikes, compare_traces, run_nirb

    built = build_model("snntorch", "lif_mlp", seed=0)          # Built(module, in_shape,...)
    export_model("snntorch", built, "m.nir")                     # snnTorch's own exporter
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=1)     # (T, B, *in) float32
    ref = run_native("snntorch", built, x)                       # Trace
    mod = import_model("norse", "m.norse.nir")                   # Norse's own importer;
    out = run_imported("norse", mod, x)                          # kwargs from nirb metadata
    agreement = compare_traces(ref, out)                         # Agreement
    assert agreement.ok, agreement.report()

A Trace holds, per spiking layer in execution order, the spikes (T, B, *n) and the
"margin": (compared value - threshold) / |threshold| of the value the framework compared
with its threshold at that step. Flips are allowed only where a margin is within rtol
(default 1e-5) on either side; after such a flip that batch element is excluded from the
remaining steps (its state legitimately diverges) and this is reported.
"""

from .compare import Agreement, compare_traces, random_spikes
from .frameworks import (export_model, framework, frameworks, import_kwargs_from_metadata,
                         import_model)
from .models import FAMILIES, Built, NotExportable, build_model
from .nirb import nirb_bin, run_nirb
from .run import LayerTrace, Trace, run_imported, run_native

__all__ = [
    "Agreement", "Built", "FAMILIES", "LayerTrace", "NotExportable", "Trace",
    "build_model", "compare_traces", "export_model", "framework", "frameworks",
    "import_kwargs_from_metadata", "import_model", "nirb_bin", "random_spikes", "run_imported",
    "run_native", "run_nirb",
]
