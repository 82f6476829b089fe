"""Each framework's OWN exporter and importer, called the way a user would call them.

What is specific to a framework lives in its plugin folder, plugins/<fw>/interop.py, found
here automatically. Such a module defines:

* FRAMEWORK: the name used by `nirb convert --from/--to`;
* build(family, seed, options) -> Built (raise NotExportable when the exporter cannot);
* export(built, export_dt) -> nir.NIRGraph, with the framework's own exporter;
* load(graph, kwargs) -> torch.nn.Module, with its own importer (kwargs: the importer
  keyword arguments nirb stored in the file, overridden by the caller's);
* record(module, recorder): a context manager that reports every threshold comparison
  to recorder.add(layer, value - threshold, threshold, spikes);
* NATIVE_STATEFUL: whether a natively built module is called as module(x, state);
* or, for a framework whose models are not torch modules, instead of record and
  NATIVE_STATEFUL: run(model, x, native) -> harness.run.Trace, running a built
  (native=True) or loaded model on x (T, B, *in) and recording the same margins;
* VERSION: the framework and version the module was written against ("snntorch 1.0.0");
* SOURCES: name -> (build options, `nirb convert` options, description): the source
  variants of the compatibility matrix (tests/interop/test_conversions.py);
* PROFILE_VARIANTS: (family, build options, profile keys) whose native runs the simulator
  must reproduce under the framework's profile with those keys
  (tests/interop/test_sim_vs_frameworks.py).

Frameworks are listed in the order of `framework_plugins` in plugins/meson.build.
"""

import functools
import importlib.util
import pathlib
import re
import warnings

import h5py

from .models import Built

#: Graph-metadata keys nirb writes to tell a user how to call the target's importer.
IMPORT_META_PREFIX = "nirb.import."

PLUGINS = pathlib.Path(__file__).resolve().parents[3] / "plugins"


def _build_order():
    """Folder names in the order of plugins/meson.build's framework_plugins list."""
    text = (PLUGINS / "meson.build").read_text()
    listed = re.search(r"framework_plugins\s*=\s*\[([^\]]*)\]", text)
    return re.findall(r"'([^']+)'", listed.group(1)) if listed else []


@functools.lru_cache(maxsize=None)
def frameworks() -> dict:
    """FRAMEWORK name -> interop module of every plugins/*/interop.py, in build order."""
    order = _build_order()
    paths = sorted(PLUGINS.glob("*/interop.py"),
                   key=lambda p: (order.index(p.parent.name) if p.parent.name in order
                                  else len(order), p.parent.name))
    out = {}
    for path in paths:
        spec = importlib.util.spec_from_file_location(f"nirb_interop_{path.parent.name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out[module.FRAMEWORK] = module
    return out


def framework(fw: str):
    """The interop module of framework `fw`."""
    try:
        return frameworks()[fw]
    except KeyError:
        raise ValueError(f"unknown framework {fw!r}") from None


def export_model(fw: str, built: Built, path, export_dt: float = 1e-3) -> None:
    """Export `built` with framework `fw`'s own exporter and write it with nir.write."""
    import nir

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = framework(fw).export(built, export_dt)
    nir.write(str(path), graph)


def import_kwargs_from_metadata(path) -> dict:
    """The importer keyword arguments nirb stored in the root graph's metadata."""
    out = {}
    with h5py.File(path, "r") as f:
        meta = f["node"].get("metadata")
        if meta is None:
            return out
        for key, ds in meta.items():
            if key.startswith(IMPORT_META_PREFIX):
                value = ds[()]
                out[key[len(IMPORT_META_PREFIX):]] = (
                    value.decode() if isinstance(value, bytes) else value)
    return out


def import_model(fw: str, path, **kwargs):
    """Import the .nir file at `path` with framework `fw`'s own importer: explicit kwargs win
    over the ones nirb stored in the file's metadata (`nirb.import.*`)."""
    import nir

    module = framework(fw)
    graph = nir.read(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return module.load(graph, {**import_kwargs_from_metadata(path), **kwargs})
