"""Each framework's OWN exporter and importer, called the way a user would call them."""

import warnings

import h5py
import torch

from .models import Built

#: Graph-metadata keys nirb writes to tell a user how to call the target's importer.
IMPORT_META_PREFIX = "nirb.import."


def export_model(fw: str, built: Built, path, export_dt: float = 1e-3) -> None:
    """Export `built` with framework `fw`'s own exporter and write it with nir.write.

    snnTorch: export_to_nir(module, zeros(1, *in), ignore_dims=[0]) (without ignore_dims
    the Input keeps the batch dim and the export fails nir's type inference).
    Norse: to_nir(module, zeros(*in), dt=export_dt) (unbatched sample: Norse passes no
    ignore_dims; note Norse writes tau = export_dt / tau_mem_inv).
    """
    import nir

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fw == "snntorch":
            from snntorch.export_nir import export_to_nir

            graph = export_to_nir(built.module, torch.zeros(1, *built.in_shape), ignore_dims=[0])
        elif fw == "norse":
            from norse.torch.utils.export_nir import to_nir

            graph = to_nir(built.module, torch.zeros(*built.in_shape), dt=export_dt)
            # Norse leaves Conv2d.input_shape None and nir.write cannot store None; a user
            # has to run nir's own type inference first (it fills input_shape).
            graph.infer_types()
        else:
            raise ValueError(f"unknown framework {fw!r}")
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


def import_model(fw: str, path, **kwargs) -> torch.nn.Module:
    """Import the .nir file at `path` with framework `fw`'s own importer.

    Norse: from_nir(graph, dt=..., reset_method=...): explicit kwargs win over the ones nirb
    stored in the file's metadata (`nirb.import.dt`, `nirb.import.reset_method`), which win
    over Norse's defaults. snnTorch's import_from_nir takes no arguments.
    """
    import nir

    graph = nir.read(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fw == "snntorch":
            from snntorch.import_nir import import_from_nir

            return import_from_nir(graph)
        if fw == "norse":
            from norse.torch.functional import reset
            from norse.torch.utils.import_nir import from_nir

            kw = {**import_kwargs_from_metadata(path), **kwargs}
            call = {"ignore_warnings": True}
            if "dt" in kw:
                call["dt"] = float(kw["dt"])
            if "reset_method" in kw:
                call["reset_method"] = {"value": reset.reset_value,
                                        "subtract": reset.reset_subtract}[kw["reset_method"]]
            return from_nir(graph, **call)
    raise ValueError(f"unknown framework {fw!r}")
