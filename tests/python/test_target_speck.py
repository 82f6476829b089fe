"""The Speck / DYNAP-CNN target (plugins/speck) against sinabs 3.1.3.

- Quantisation: `nirb map --target speck` writes per layer the integer weights, biases and
  threshold sinabs' `_discretize_conv_spk_` computes (discretize.py loaded from its file:
  the dynapcnn package imports samna, which is not installable here).
- Emulation: `nirb simulate --profile speck` equals sinabs' discretised network (Conv2d,
  IAFSqueeze with min_v_mem = -threshold, SumPool2d, Flatten, Linear) spike for spike.
- Design rules: every SPECK-E code is triggered by a graph made for it.
"""
import importlib.util
import json
import os
import pathlib
import subprocess

import h5py
import nir
import numpy as np
import pytest
import torch

from test_roundtrip_nir import NIRB

BUILD = pathlib.Path(NIRB).resolve().parents[1]
STEPS = 300


def discretize_module():
    import sinabs

    path = pathlib.Path(sinabs.__file__).parent / "backend" / "dynapcnn" / "discretize.py"
    spec = importlib.util.spec_from_file_location("sinabs_discretize", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ)
    e["NIRB_PLUGIN_PATH"] = str(BUILD / "plugins" / "speck")
    e["NIRB_PLUGIN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    return e


def nirb(args, env):
    return subprocess.run([NIRB, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=300)


def params(seed, wide=False):
    """Conv -> IF -> pool -> conv -> IF -> pool -> Flatten -> Linear -> IF on 2 x hw x hw.
    `wide` (2->32->64 channels): the second layer's 32Ki kernel memory only fits cores 3-6,
    so sinabs' core assignment is not the identity."""
    rng = np.random.default_rng(seed)
    f32 = np.float32
    c1, c2, hw = (32, 64, 16) if wide else (4, 8, 16)
    flat = c2 * (hw // 4) ** 2
    return {
        "hw": hw,
        "c1": rng.normal(0, 0.5, (c1, 2, 3, 3)).astype(f32),
        "b1": rng.normal(0, 0.05, c1).astype(f32),
        "c2": rng.normal(0, 0.3 * np.sqrt(4 / c1), (c2, c1, 3, 3)).astype(f32),
        "b2": np.zeros(c2, f32),
        "fc": rng.normal(0, 0.2 * np.sqrt(128 / flat), (10, flat)).astype(f32),
        "th": (1.0, 1.5, 2.0),
    }


def iff(shape, th):
    return nir.IF(r=np.ones(shape, np.float32), v_threshold=np.full(shape, th, np.float32),
                  v_reset=np.zeros(shape, np.float32))


def conv(w, b, hw):
    return nir.Conv2d(input_shape=hw, weight=w, stride=(1, 1), padding=(1, 1),
                      dilation=(1, 1), groups=1, bias=b)


def pool():
    return nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]),
                         padding=np.array([0, 0]))


def graph(p):
    hw, c1, c2 = p["hw"], p["c1"].shape[0], p["c2"].shape[0]
    nodes = {
        "input": nir.Input(input_type=np.array([2, hw, hw])),
        "conv1": conv(p["c1"], p["b1"], (hw, hw)), "if1": iff((c1, hw, hw), p["th"][0]),
        "pool1": pool(),
        "conv2": conv(p["c2"], p["b2"], (hw // 2, hw // 2)),
        "if2": iff((c2, hw // 2, hw // 2), p["th"][1]),
        "pool2": pool(),
        "flat": nir.Flatten(input_type={"input": np.array([c2, hw // 4, hw // 4])}, start_dim=0),
        "fc": nir.Linear(weight=p["fc"]), "if3": iff((10,), p["th"][2]),
        "output": nir.Output(output_type=np.array([10])),
    }
    order = list(nodes)
    return nir.NIRGraph(nodes=nodes, edges=list(zip(order, order[1:])))


def torch_net(layers):
    """sinabs' network of (weight, bias, threshold, min_v_mem) per layer: Conv2d, IAFSqueeze,
    SumPool2d twice, then Flatten, Linear (no bias), IAFSqueeze."""
    import sinabs.layers as sl

    def spiking(th, low):
        return sl.IAFSqueeze(spike_threshold=th, min_v_mem=low, batch_size=1)

    modules = []
    for w, b, th, low in layers[:2]:
        c = torch.nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], padding=1)
        c.weight.data, c.bias.data = torch.tensor(w), torch.tensor(b)
        modules += [c, spiking(th, low), sl.SumPool2d(2)]
    w, _, th, low = layers[2]
    fc = torch.nn.Linear(w.shape[1], w.shape[0], bias=False)
    fc.weight.data = torch.tensor(w.reshape(w.shape[0], w.shape[1]))
    return torch.nn.Sequential(*modules, torch.nn.Flatten(), fc, spiking(th, low))


def sinabs_discretised(p):
    """Per layer (weight, bias, threshold) as sinabs discretises it."""
    import sinabs.layers as sl

    disc = discretize_module()
    out = []
    for w, b, th in ((p["c1"], p["b1"], p["th"][0]), (p["c2"], p["b2"], p["th"][1]),
                     (p["fc"][:, :, None, None], None, p["th"][2])):
        layer = torch.nn.Conv2d(w.shape[1], w.shape[0], w.shape[2:], bias=b is not None)
        layer.weight.data = torch.tensor(w)
        if b is not None:
            layer.bias.data = torch.tensor(b)
        spk = sl.IAFSqueeze(spike_threshold=th, min_v_mem=-th, batch_size=1)
        layer, spk = disc._discretize_conv_spk_(layer, spk)
        out.append((layer.weight.data.numpy(),
                    None if b is None else layer.bias.data.numpy(),
                    float(spk.spike_threshold), float(spk.min_v_mem)))
    return out


def sinabs_forward(disc, x):
    """sinabs' discretised network on x (T, 2, hw, hw): output spikes (T, 10)."""
    with torch.no_grad():
        return torch_net(disc)(torch.tensor(x, dtype=torch.float32)).numpy()


def map_model(tmp_path, p, env):
    model = tmp_path / "net.nir"
    nir.write(model, graph(p))
    out = tmp_path / "net.speck.json"
    r = nirb(["map", model, "--target", "speck", "--json", "-o", out, "--force"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    return out, json.loads(out.read_text())["node"], json.loads(r.stdout)


def field(node, name):
    t = node["fields"][name]["$tensor"]
    return np.array(t["data"], dtype=np.float64).reshape(t["shape"])


@pytest.mark.parametrize("seed,wide", [(0, False), (1, False), (2, True)])
def test_discretisation_and_emulation_equal_sinabs(tmp_path, env, seed, wide):
    p = params(seed, wide)
    disc = sinabs_discretised(p)
    mapped, doc, result = map_model(tmp_path, p, env)
    nodes = doc["nodes"]
    for (w, b, th, _), (wn, ifn) in zip(disc, (("conv1", "if1"), ("conv2", "if2"),
                                               ("fc", "if3"))):
        np.testing.assert_array_equal(field(nodes[wn], "weight").reshape(w.shape), w, wn)
        if b is not None:
            np.testing.assert_array_equal(field(nodes[wn], "bias"), b, wn)
        assert np.all(field(nodes[ifn], "v_threshold") == th), ifn
    assert "core" in result["report"]
    hw = p["hw"]
    x = (np.random.default_rng(7 + seed).random((STEPS, 2, hw, hw)) < 0.1).astype(np.float32)
    want = sinabs_forward(disc, x)
    inp = tmp_path / "x.npy"
    np.save(inp, x[:, None])
    out = tmp_path / "y.npy"
    r = nirb(["simulate", mapped, "--profile", "speck", "--input", inp, "--output", out], env)
    assert r.returncode == 0, r.stdout + r.stderr
    got = np.load(out)[:, 0]
    assert want.sum() > 20, "the test net must be active"
    np.testing.assert_array_equal(got, want)


def small(c_in=2, hw=8, c_out=2, k=(3, 3), stride=(1, 1), pad=(1, 1)):
    """input -> conv -> IF, returned as (nodes, output shape) to extend."""
    w = np.full((c_out, c_in, *k), 0.1, np.float32)
    oh = (hw + 2 * pad[0] - k[0]) // stride[0] + 1
    ow = (hw + 2 * pad[1] - k[1]) // stride[1] + 1
    nodes = {"input": nir.Input(input_type=np.array([c_in, hw, hw])),
             "conv": nir.Conv2d(input_shape=(hw, hw), weight=w, stride=stride, padding=pad,
                                dilation=(1, 1), groups=1, bias=np.zeros(c_out, np.float32)),
             "if": iff((c_out, oh, ow), 1.0)}
    return nodes, (c_out, oh, ow)


def chain(nodes, shape, extra=(), edges=None):
    nodes = dict(nodes)
    for name, node in extra:
        nodes[name] = node
    nodes["output"] = nir.Output(output_type=np.array(shape))
    order = list(nodes)
    # type_check off: nir 1.0.7 infers a non-square kernel's output wrongly (8x8 for 3x5)
    return nir.NIRGraph(nodes=nodes, edges=edges or list(zip(order, order[1:])),
                        type_check=False)


def lin(n_in, n_out):
    return nir.Linear(weight=np.full((n_out, n_in), 0.1, np.float32))


def r_e001():
    g = graph(params(0))
    g.nodes["if1"] = nir.LIF(tau=np.full((4, 16, 16), 0.02, np.float32),
                             r=np.ones((4, 16, 16), np.float32),
                             v_leak=np.zeros((4, 16, 16), np.float32),
                             v_threshold=np.ones((4, 16, 16), np.float32))
    return g


def r_e002():
    return chain(*small(k=(3, 5), pad=(1, 1)))


def r_e003():
    n, s = small()
    p = nir.SumPool2d(kernel_size=np.array([2, 1]), stride=np.array([2, 1]),
                      padding=np.array([0, 0]))
    return chain(n, (s[0], s[1] // 2, s[2]), [("pool", p)])


def r_e004():
    n, s = small()
    p = nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([1, 1]),
                      padding=np.array([0, 0]))
    return chain(n, (s[0], s[1] - 1, s[2] - 1), [("pool", p)])


def r_e005():
    return chain(*small(hw=16, k=(17, 17), pad=(8, 8)))


def r_e006():
    return chain(*small(stride=(3, 1)))


def r_e007():
    n, s = small()
    n = {"input": n["input"], "conv0": nir.Conv2d(
        input_shape=(8, 8), weight=np.full((2, 2, 3, 3), 0.1, np.float32), stride=(1, 1),
        padding=(1, 1), dilation=(1, 1), groups=1, bias=np.zeros(2, np.float32)),
        "conv": n["conv"], "if": n["if"]}
    return chain(n, s)


def r_e008():
    n, s = small(hw=4)
    p = nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]),
                      padding=np.array([0, 0]))
    nodes = {"input": nir.Input(input_type=np.array([2, 8, 8])), "pool": p,
             "conv": n["conv"], "if": n["if"]}
    return chain(nodes, s)


def r_e009():
    n, s = small(hw=2, c_out=1)  # IF of 1x2x2 = 4 values after flatten
    flat = nir.Flatten(input_type={"input": np.array(s)}, start_dim=0)
    extra = [("flat", flat)] + [(f"fc{i}", lin(4, 2)) for i in range(3)] + \
        [(f"if_fc{i}", iff((2,), 1.0)) for i in range(3)]
    edges = [("input", "conv"), ("conv", "if"), ("if", "flat")]
    edges += [e for i in range(3) for e in (("flat", f"fc{i}"), (f"fc{i}", f"if_fc{i}"))]
    edges += [("if_fc0", "output")]
    return chain(n, (2,), extra, edges)


def r_e010():
    g = graph(params(0))
    g.nodes["fc_rec"] = lin(10, 10)
    g.edges += [("if3", "fc_rec"), ("fc_rec", "if3")]
    return g


def r_e011():
    g = graph(params(0))
    th = np.ones((8, 8, 8), np.float32)
    th[0] = 2
    g.nodes["if2"].v_threshold = th
    return g


def r_e012():
    nodes = {"input": nir.Input(input_type=np.array([4]))}
    for i in range(10):
        nodes[f"fc{i}"] = lin(4, 4)
        nodes[f"if{i}"] = iff((4,), 1.0)
    return chain(nodes, (4,))


def r_e013():
    return chain(*small(c_in=64, hw=4, c_out=128))


def r_e014():
    return chain(*small(c_in=1, hw=1, c_out=1025, k=(1, 1), pad=(0, 0)))


def r_e015():
    n, s = small(hw=9)
    p = nir.SumPool2d(kernel_size=np.array([3, 3]), stride=np.array([3, 3]),
                      padding=np.array([0, 0]))
    return chain(n, (s[0], 3, 3), [("pool", p)])


SPECK_RULES = [("SPECK-E001", r_e001, "if1"), ("SPECK-E002", r_e002, "conv"),
               ("SPECK-E003", r_e003, "pool"), ("SPECK-E004", r_e004, "pool"),
               ("SPECK-E005", r_e005, "conv"), ("SPECK-E006", r_e006, "conv"),
               ("SPECK-E007", r_e007, "conv0"), ("SPECK-E008", r_e008, "pool"),
               ("SPECK-E009", r_e009, "if"), ("SPECK-E010", r_e010, "fc_rec"),
               ("SPECK-E011", r_e011, "if2"), ("SPECK-E012", r_e012, "fc9"),
               ("SPECK-E013", r_e013, "conv"), ("SPECK-E014", r_e014, "conv"),
               ("SPECK-E015", r_e015, "pool")]


def test_standalone_checker_refuses_e014_e015():
    """The limits of SPECK-E014/E015 are those of sinabs' stand-alone checker
    (sinabs.validate_memory_speck), which DynapcnnNetwork never calls."""
    from sinabs.validate_memory_speck import ValidateMapping

    ValidateMapping(2, 1024, (3, 3), (1, 1), (1, 1))  # the limit itself passes
    ValidateMapping(2, 2, (4, 4), (4, 4), (0, 0), conv_2d=False)
    with pytest.raises(Exception, match="at most, 1024"):
        ValidateMapping(2, 1025, (3, 3), (1, 1), (1, 1))
    with pytest.raises(Exception, match="1x1, 2x2 or 4x4"):
        ValidateMapping(2, 2, (3, 3), (3, 3), (0, 0), conv_2d=False)


@pytest.mark.parametrize("code,make,node", SPECK_RULES, ids=[r[0] for r in SPECK_RULES])
def test_design_rule(tmp_path, env, code, make, node):
    model = tmp_path / "bad.nir"
    nir.write(model, make())
    r = nirb(["map", model, "--target", "speck", "--json", "-o", tmp_path / "never.nir"], env)
    assert r.returncode == 1, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["failed_stage"] == "check", report
    hits = [v for v in report["violations"] if v["code"] == code]
    assert hits, report["violations"]
    assert hits[0].get("node", "") == node, hits
    assert not (tmp_path / "never.nir").exists()


def import_dynapcnn():
    """sinabs.backend.dynapcnn with only its `samna`/`samnagui` imports stubbed: samna is not
    installable here (the registry's 0.48.6 is a stub that downloads the real one at import).
    Everything sinabs computes itself (graph extraction, discretisation, memory_summary,
    get_valid_mapping) then runs for real."""
    import importlib.abc
    import importlib.machinery
    import sys
    from unittest import mock

    class Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in ("samna", "samnagui"):
                return importlib.machinery.ModuleSpec(name, self, is_package=True)
            return None

        def create_module(self, spec):
            m = mock.MagicMock(name=spec.name)
            m.__path__, m.__spec__ = [], spec
            return m

        def exec_module(self, module):
            pass

    sys.meta_path.insert(0, Stubs())
    try:
        import sinabs.backend.dynapcnn as dynapcnn
        from sinabs.backend.dynapcnn.chip_factory import ChipFactory
    finally:
        sys.meta_path.pop(0)
    return dynapcnn, ChipFactory


@pytest.mark.parametrize("wide", [False, True])
def test_memory_and_cores_equal_sinabs(tmp_path, env, wide):
    """DynapcnnNetwork(discretize=True) on the same layers: sinabs' memory_summary, its core
    assignment (speck2f constraints), its discretised weights and the per-core layer settings
    its config builder computes (get_dynapcnn_layer_config_dict) equal nirb's."""
    dynapcnn, chips = import_dynapcnn()
    p = params(0, wide)
    disc = sinabs_discretised(p)
    th = p["th"]
    net = torch_net([(p["c1"], p["b1"], th[0], -th[0]), (p["c2"], p["b2"], th[1], -th[1]),
                     (p["fc"], None, th[2], -th[2])])
    hw = p["hw"]
    dn = dynapcnn.DynapcnnNetwork(net, input_shape=(2, hw, hw), discretize=True)
    memory = dn.memory_summary()
    builder = chips("speck2fmodule").get_config_builder()
    cores = builder.map_layers_to_cores(dn.dynapcnn_layers)
    _, doc, _ = map_model(tmp_path, p, env)
    for i, name in enumerate(("conv1", "conv2", "fc")):
        meta = doc["nodes"][name]["metadata"]
        for kind in ("kernel", "neuron", "bias"):
            assert float(meta[f"speck.{kind}_memory"]) == memory[kind][i], (name, kind)
        assert float(meta["speck.core"]) == cores[i], name
        if wide and i == 1:
            assert cores[i] in (3, 4, 5, 6), "the 32Ki kernel must force a large core"
        layer = dn.dynapcnn_layers[i]
        np.testing.assert_array_equal(
            layer.conv_layer.weight.detach().numpy().reshape(disc[i][0].shape), disc[i][0])
        assert float(layer.spk_layer.spike_threshold) == disc[i][2]
        want = builder.get_dynapcnn_layer_config_dict(layer, cores, dn.layer_destination_map[i])
        want["leak_enable"] = bool(want["leak_enable"])
        assert json.loads(meta["speck.config"]) == want, name
