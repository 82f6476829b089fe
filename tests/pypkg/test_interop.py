"""The snnTorch/Norse interop conversions through the Python API, in memory, against
`nirb convert --from X --to Y --verify` on files: the same verdict line, the same
verification report, the same importer arguments and the same converted graph, for every
source variant, target and model family of the interop suite (tests/interop). The worked
example of docs/python.md (snnTorch -> nirb.convert -> Norse without a file) is run and
compared with the snnTorch model spike for spike."""

import pathlib
import re
import sys
import warnings

import pytest

import nirb
from conftest import ROOT
from nir_compare import assert_same_graph

sys.path.insert(0, str(ROOT / "tests" / "interop"))
from harness import (NotExportable, build_model, compare_traces, framework,  # noqa: E402
                     frameworks, import_kwargs_from_metadata, random_spikes, run_imported,
                     run_native, run_nirb)

#: the snnTorch/Norse suite (frameworks of other plugins may need their own environments)
TORCH_FRAMEWORKS = ("snntorch", "norse")
SOURCES = {name: (fw, options, extra) for fw, module in frameworks().items()
           if fw in TORCH_FRAMEWORKS for name, (options, extra, _) in module.SOURCES.items()}
FAMILIES = ("lif_mlp", "cuba_mlp", "recurrent", "conv")


def export(fw, built):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return framework(fw).export(built, 1e-3)


def python_options(extra):
    """`--from-option K=V` / `--to-option K=V` / `--option K=V` as convert() keywords."""
    kwargs = {"from_options": {}, "to_options": {}}
    for flag, kv in zip(extra[::2], extra[1::2]):
        key, value = kv.split("=", 1)
        target = {"--from-option": kwargs["from_options"], "--to-option": kwargs["to_options"]}
        target.get(flag, kwargs)[key] = value
    return kwargs


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("target", TORCH_FRAMEWORKS)
@pytest.mark.parametrize("source", list(SOURCES))
def test_python_convert_equals_the_cli(source, target, family, tmp_path):
    import nir

    fw, options, extra = SOURCES[source]
    try:
        built = build_model(fw, family, seed=7, **options)
    except NotExportable as e:
        pytest.skip(f"not exportable from {fw}: {e}")
    graph = export(fw, built)
    src, out = tmp_path / "model.nir", tmp_path / "converted.nir"
    nir.write(str(src), graph)
    proc = run_nirb("convert", src, out, "--from", fw, "--to", target, "--verify", *extra)
    verdict_line = re.search(r"^verdict: (.*)$", proc.stdout, re.M)
    assert verdict_line, proc.stdout + proc.stderr
    if proc.returncode == 1 and verdict_line.group(1).startswith("impossible"):
        with pytest.raises(nirb.ImpossibleConversion) as refused:
            nirb.convert(graph, source=fw, target=target, verify=True, **python_options(extra))
        assert refused.value.verdict.text == verdict_line.group(1)
        return
    assert proc.returncode == 0, proc.stderr
    result, verdict = nirb.convert(graph, source=fw, target=target, verify=True,
                                   **python_options(extra))
    assert isinstance(result, nir.NIRGraph)  # a nir graph in, a nir graph out
    assert verdict.text == verdict_line.group(1)
    assert verdict.verification is not None and verdict.verification.text in proc.stdout
    assert verdict.agreement == verdict.verification.agreement
    assert nirb.import_kwargs(result) == import_kwargs_from_metadata(out)
    # The CLI read the file nir.write stored (its own node order); compare without order.
    assert_same_graph(result, nir.read(str(out)), ordered=False)


def test_worked_example_snntorch_to_norse_in_memory():
    """docs/python.md: snnTorch model -> export_to_nir -> nirb.convert -> Norse from_nir."""
    import snntorch.export_nir  # noqa: F401  (the exporter the example uses)
    from norse.torch.utils.import_nir import from_nir  # noqa: F401

    built = build_model("snntorch", "lif_mlp", seed=7)
    graph = export("snntorch", built)
    converted, verdict = nirb.convert(graph, source="snntorch", target="norse", verify=True)
    assert verdict.kind == "exact" and verdict.verification.identical, verdict.text
    norse_model = framework("norse").load(converted, nirb.import_kwargs(converted))
    x = random_spikes(300, 2, built.in_shape, p=0.2, seed=8)
    agreement = compare_traces(run_native("snntorch", built, x),
                               run_imported("norse", norse_model, x), rtol=1e-5)
    assert agreement.ok, agreement.report()


def test_convert_takes_and_returns_nirb_graphs():
    graph = nirb.from_nir(export("norse", build_model("norse", "lif_mlp", seed=7)))
    result, verdict = nirb.convert(graph, "norse", "snntorch")
    assert isinstance(result, nirb.Graph) and verdict.kind in ("exact", "approximate")
    assert verdict.verification is None and verdict.agreement is None
    assert all(d.severity != "error" for d in nirb.validate(result))
