// The framework plugins (plugins/), loaded from the build tree like any plugin:
// the conversion passes on small in-memory graphs, checked parameter by parameter against the
// formulas of docs/frameworks/conversion.md. The end-to-end proof against the real frameworks
// is tests/interop/test_conversions.py.
#include "nirb/error.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/sdk/canonical.hpp"

#include "plugin_test_util.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace nirb;

namespace {

PluginHost& host() {
    return test::build_plugins_host();
}

/// Run `pass` with `opts` over its declared defaults (what a pipeline step resolves to).
void run(const std::string& pass, Graph& g, const OptionValues& opts = {}) {
    const PassInfo* info = host().find_pass(pass);
    REQUIRE(info != nullptr);
    OptionValues resolved;
    for (const auto& schema : info->options) {
        const OptionValue* given = opts.find(schema.name);
        if (given)
            resolved.set(schema.name, *given);
        else if (schema.default_value)
            resolved.set(schema.name, parse_option_value(schema, *schema.default_value));
    }
    Diagnostics diags;
    host().run_pass(*info, g, resolved, diags);
}

Tensor f32(const std::vector<double>& v, Shape shape) {
    return Tensor::from_doubles(v, std::move(shape), DType::Float32);
}

std::vector<double> field(const Graph& g, const std::string& node, const std::string& name) {
    return g.node(node).fields().find(name)->as_tensor().to_doubles();
}

std::string meta(const Graph& g, const std::string& key) {
    const Value* v = g.metadata().find(key);
    return v && v->is_string() ? v->as_string() : "";
}

/// What snnTorch's exporter writes for Linear(3->2) + Leaky(beta = 0.9, 0.8, theta = 1).
Graph snntorch_lif() {
    Graph g;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints({3}));
    g.add_node("input", std::move(in));
    Node fc("Affine");
    fc.set_field("weight", f32({1, 2, 3, 4, 5, 6}, {2, 3}));
    fc.set_field("bias", f32({0.5, -0.5}, {2}));
    g.add_node("0", std::move(fc));
    Node lif("LIF");
    lif.set_field("tau", f32({1e-3, 5e-4}, {2}));
    lif.set_field("r", f32({10, 5}, {2}));
    lif.set_field("v_leak", f32({0, 0}, {2}));
    lif.set_field("v_threshold", f32({1, 1}, {2}));
    lif.set_field("v_reset", f32({0, 0}, {2}));
    g.add_node("1", std::move(lif));
    Node out("Output");
    out.set_field("shape", Tensor::from_ints({2}));
    g.add_node("output", std::move(out));
    g.add_edge("input", "0");
    g.add_edge("0", "1");
    g.add_edge("1", "output");
    return g;
}

} // namespace

TEST_CASE("snnTorch subtract reset one step late -> Norse: pass-through CubaLIF + feedback") {
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    CHECK(meta(g, "nirb.profile.reset") == "subtract");
    CHECK(meta(g, "nirb.profile.spike_timing") == "reset_next_step");
    run("norse.from-canonical", g);
    CHECK(g.node("1").type() == "CubaLIF");
    const auto tm = field(g, "1", "tau_mem");
    CHECK(tm[0] == doctest::Approx(1e-3).epsilon(1e-6));
    CHECK(field(g, "1", "tau_syn")[0] == doctest::Approx(1e-4).epsilon(1e-6));
    CHECK(field(g, "1", "r")[1] == doctest::Approx(5).epsilon(1e-6));
    // -theta/r on the diagonal, a one-step-delayed self loop
    const auto fb = field(g, "1.late_reset", "weight");
    CHECK(fb[0] == doctest::Approx(-0.1).epsilon(1e-6));
    CHECK(fb[1] == 0.0);
    CHECK(fb[3] == doctest::Approx(-0.2).epsilon(1e-6));
    CHECK(meta(g, "nirb.verdict") == "exact");
    CHECK(meta(g, "nirb.import.reset_method") == "subtract");
    CHECK(g.metadata().find("nirb.import.dt")->as_double() == doctest::Approx(1e-4));
}

TEST_CASE("snnTorch subtract reset -> snnTorch: explicit membrane cycle, beta = 0 LIF") {
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    run("snntorch.from-canonical", g);
    CHECK(meta(g, "nirb.verdict") == "exact");
    CHECK(field(g, "1", "tau")[0] == doctest::Approx(1e-4).epsilon(1e-6)); // beta = 0
    CHECK(field(g, "1", "r")[0] == 1.0);
    const auto decay = field(g, "1.mem_decay", "weight");
    CHECK(decay[0] == doctest::Approx(0.9).epsilon(1e-6));
    CHECK(decay[3] == doctest::Approx(0.8).epsilon(1e-6));
    CHECK(field(g, "1.reset", "weight")[0] == -1.0); // -theta, one step late
    bool into_mem = false, from_affine = false;
    for (const auto& e : g.edges()) {
        into_mem = into_mem || (e.src == "1.reset" && e.dst == "1.mem");
        from_affine = from_affine || (e.src == "0" && e.dst == "1.mem");
    }
    CHECK(into_mem);
    CHECK(from_affine);
}

TEST_CASE("a zero_with_input reset into snnTorch is refused with the reason") {
    Graph g = snntorch_lif();
    OptionValues zero;
    zero.set("reset_mechanism", std::string("zero"));
    run("snntorch.to-canonical", g, zero);
    g.node("1").metadata().set("nirb.profile.reset", Value(std::string("zero_with_input")));
    try {
        run("snntorch.from-canonical", g);
        FAIL("expected the conversion to be refused");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("zeroes the whole update") != std::string::npos);
    }
}

TEST_CASE("snnTorch zero reset -> snnTorch keeps decay and unit gain; -> Norse folds r") {
    Graph g = snntorch_lif();
    OptionValues zero;
    zero.set("reset_mechanism", std::string("zero"));
    run("snntorch.to-canonical", g, zero);
    Graph h = g;
    run("snntorch.from-canonical", g);
    CHECK(meta(g, "nirb.verdict") == "exact");
    CHECK(field(g, "1", "tau")[1] == doctest::Approx(5e-4).epsilon(1e-6));
    CHECK(field(g, "1", "r")[1] == doctest::Approx(5).epsilon(1e-6));
    run("norse.from-canonical", h);
    CHECK(h.node("1").type() == "LIF");
    CHECK(field(h, "1", "r")[0] == 1.0);
    CHECK(field(h, "1", "v_threshold")[1] == doctest::Approx(0.2).epsilon(1e-6)); // theta/r
    CHECK(meta(h, "nirb.import.reset_method") == "value");
}

TEST_CASE("Norse export -> canonical -> snnTorch: true tau, gain folded into the weights") {
    Graph g = snntorch_lif();
    // Norse writes r = 1 and tau = 1e-3 / tau_mem_inv (tau_mem_inv = 100, 50).
    g.node("1").set_field("tau", f32({1e-5, 2e-5}, {2}));
    g.node("1").set_field("r", f32({1, 1}, {2}));
    run("norse.to-canonical", g);
    CHECK(field(g, "1", "tau")[0] == doctest::Approx(1e-2).epsilon(1e-6));
    run("snntorch.from-canonical", g);
    // per-step decay 1 - 1e-3/1e-2 = 0.9 kept at dt 1e-4: tau = 1e-3; gain 0.1 folded into row 0
    CHECK(field(g, "1", "tau")[0] == doctest::Approx(1e-3).epsilon(1e-6));
    CHECK(field(g, "0", "weight")[0] == doctest::Approx(0.1).epsilon(1e-6));
    CHECK(field(g, "0", "bias")[1] == doctest::Approx(-0.025).epsilon(1e-6));
    CHECK(meta(g, "nirb.verdict") == "exact");
}

TEST_CASE("fingerprints tell the two exporters apart") {
    PluginHost& h = host();
    const auto snn = h.find_convention("snntorch");
    const auto nor = h.find_convention("norse");
    REQUIRE(snn);
    REQUIRE(nor);
    Graph g = snntorch_lif();
    CHECK(h.fingerprint(*snn, g).score == doctest::Approx(1.0));
    CHECK(h.fingerprint(*nor, g).score == doctest::Approx(0.0));
    g.node("1").set_field("tau", f32({1e-5, 2e-5}, {2}));
    g.node("1").set_field("r", f32({1, 1}, {2}));
    CHECK(h.fingerprint(*snn, g).score == doctest::Approx(0.0));
    CHECK(h.fingerprint(*nor, g).score == doctest::Approx(1.0));
    CHECK(h.fingerprint(*nor, g).evidence.find("dt_export/tau_mem_inv") != std::string::npos);
}

TEST_CASE("bundled conversion pipelines resolve against the plugins") {
    for (const char* name :
         {"snntorch-to-norse", "norse-to-snntorch", "snntorch-to-snntorch", "norse-to-norse",
          "sinabs-to-snntorch", "norse-to-sinabs", "sinabs-to-sinabs"}) {
        CAPTURE(name);
        const auto path = std::string(NIRB_SOURCE_DIR) + "/configs/" + name + ".yaml";
        const Pipeline p = load_pipeline(path, host());
        REQUIRE(p.steps.size() == 4);
        const std::string pair = name;
        CHECK(p.steps[0].run == pair.substr(0, pair.find("-to-")) + ".to-canonical");
        CHECK(p.steps[1].run == "nir.normalize-recurrence");
        CHECK(p.steps[2].run == "nir.flatten-subgraphs");
        CHECK(p.steps[3].run == pair.substr(pair.find("-to-") + 4) + ".from-canonical");
        CHECK(p.verify.has_value());
    }
}

TEST_CASE("to-canonical writes every canonical::Semantics key, graph and node level") {
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    for (const auto& key : canonical::Semantics::keys()) {
        CAPTURE(key);
        const std::string meta_key = canonical::semantics_meta_key(key);
        CHECK(g.metadata().find(meta_key) != nullptr);
        CHECK(g.node("1").metadata().find(meta_key) != nullptr);
    }
    CHECK(meta(g, "nirb.profile.integrator") == "euler");
    const Value* node_reset = g.node("1").metadata().find("nirb.profile.reset");
    REQUIRE(node_reset != nullptr);
    CHECK(node_reset->as_string() == "subtract");
}

TEST_CASE("from-canonical refuses semantics its converters do not handle, naming node and key") {
    for (const char* target : {"snntorch.from-canonical", "norse.from-canonical"}) {
        CAPTURE(target);
        Graph g = snntorch_lif();
        run("snntorch.to-canonical", g);
        g.node("1").metadata().set("nirb.profile.lower_clamp",
                                   Value(std::string("minus_threshold")));
        try {
            run(target, g);
            FAIL("expected the conversion to be refused");
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("lower_clamp = minus_threshold") != std::string::npos);
        }
    }
}

TEST_CASE("an unhandled comparator is a note, several spikes per step are approximate") {
    for (const char* target : {"snntorch.from-canonical", "norse.from-canonical"}) {
        CAPTURE(target);
        Graph g = snntorch_lif();
        run("snntorch.to-canonical", g);
        g.node("1").metadata().set("nirb.profile.comparator", Value(std::string(">=")));
        Graph multi = g;
        run(target, g);
        CHECK(meta(g, "nirb.verdict") == "exact");
        CHECK(meta(g, "nirb.verdict.reason").find("comparator >= here") != std::string::npos);
        multi.node("1").metadata().set("nirb.profile.spikes_per_step",
                                       Value(std::string("multiple")));
        run(target, multi);
        CHECK(meta(multi, "nirb.verdict") == "approximate");
        CHECK(meta(multi, "nirb.verdict.reason").find("spikes_per_step = multiple") !=
              std::string::npos);
    }
}

TEST_CASE("from-canonical refuses a spike timing the importer cannot build") {
    for (const char* target : {"snntorch.from-canonical", "norse.from-canonical"}) {
        CAPTURE(target);
        Graph g = snntorch_lif();
        run("snntorch.to-canonical", g);
        g.node("1").metadata().set("nirb.profile.spike_timing",
                                   Value(std::string("previous_state")));
        try {
            run(target, g);
            FAIL("expected the conversion to be refused");
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("spike timing previous_state") != std::string::npos);
        }
    }
}

TEST_CASE("from-canonical replaces the importer arguments of an earlier conversion") {
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    run("norse.from-canonical", g);
    CHECK(g.metadata().find("nirb.import.dt") != nullptr);
    run("norse.to-canonical", g);
    run("snntorch.from-canonical", g);
    CHECK(g.metadata().find("nirb.import.dt") == nullptr);
    CHECK(g.metadata().find("nirb.import.reset_method") == nullptr);
}

TEST_CASE("a host error inside a plugin reaches the user with the host's message") {
    // Converting snnTorch's explicit-membrane output again adds '1.mem' a second time: the
    // host refuses the duplicate name and its message must not be lost on the way.
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    run("snntorch.from-canonical", g);
    run("snntorch.to-canonical", g);
    CHECK_THROWS_WITH(run("snntorch.from-canonical", g),
                      doctest::Contains("duplicate node name '1.mem'"));
}

namespace {

/// What Rockpool 3.1.0's to_nir writes for LinearTorch(3->2) + LIFTorch at dt = 1e-3:
/// r = tau_mem e^{-dt/tau_mem}/dt, and the batch dimension in the Input/Output types.
Graph rockpool_cuba() {
    const double dt = 1e-3;
    const std::vector<double> tm = {0.02, 0.01}, ts = {0.005, 0.004};
    std::vector<double> r;
    for (double t : tm)
        r.push_back(t * std::exp(-dt / t) / dt);
    Graph g;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints({1, 3}));
    g.add_node("input", std::move(in));
    Node fc("Linear");
    fc.set_field("weight", f32({1, 2, 3, 4, 5, 6}, {2, 3}));
    g.add_node("0_LinearTorch", std::move(fc));
    Node lif("CubaLIF");
    lif.set_field("tau_mem", f32(tm, {2}));
    lif.set_field("tau_syn", f32(ts, {2}));
    lif.set_field("r", f32(r, {2}));
    lif.set_field("v_leak", f32({0, 0}, {2}));
    lif.set_field("v_threshold", f32({1, 1}, {2}));
    lif.set_field("v_reset", f32({0, 0}, {2}));
    lif.set_field("w_in", f32({1, 1}, {2}));
    g.add_node("1_LIFTorch", std::move(lif));
    Node out("Output");
    out.set_field("shape", Tensor::from_ints({1, 1, 2}));
    g.add_node("output", std::move(out));
    g.add_edge("input", "0_LinearTorch");
    g.add_edge("0_LinearTorch", "1_LIFTorch");
    g.add_edge("1_LIFTorch", "output");
    return g;
}

} // namespace

TEST_CASE("rockpool.to-canonical: dt read from r, batch dims repaired, exact decays as Euler") {
    Graph g = rockpool_cuba();
    run("rockpool.to-canonical", g);
    CHECK(g.metadata().find("nirb.dt")->as_double() == doctest::Approx(1e-3).epsilon(1e-9));
    CHECK(g.node("input").fields().find("shape")->as_tensor().to_ints() ==
          std::vector<std::int64_t>{3});
    CHECK(g.node("output").fields().find("shape")->as_tensor().to_ints() ==
          std::vector<std::int64_t>{2});
    const auto tm = field(g, "1_LIFTorch", "tau_mem");
    const auto w_in = field(g, "1_LIFTorch", "w_in");
    const double beta = std::exp(-1e-3 / 0.02), alpha = std::exp(-1e-3 / 0.005);
    CHECK(tm[0] == doctest::Approx(1e-3 / (1 - beta)).epsilon(1e-6));
    CHECK(w_in[0] == doctest::Approx(alpha / (1 - alpha)).epsilon(1e-6));
}

TEST_CASE("rockpool round trip: from_nir's dt guess tau_mem/(1+r) lands on the stored dt") {
    Graph g = rockpool_cuba();
    run("rockpool.to-canonical", g);
    run("rockpool.from-canonical", g);
    CHECK(meta(g, "nirb.verdict") == "exact");
    const auto tm = field(g, "1_LIFTorch", "tau_mem");
    const auto r = field(g, "1_LIFTorch", "r");
    for (std::size_t i = 0; i < tm.size(); ++i)
        CHECK(tm[i] / (1 + r[i]) == doctest::Approx(1e-3).epsilon(1e-6));
    CHECK(field(g, "1_LIFTorch", "tau_mem")[0] == doctest::Approx(0.02).epsilon(1e-6));
}

// mlx-snn and SC-NeuroCore (plugins/mlxsnn, plugins/sc-neurocore).

TEST_CASE("mlx-snn: >= becomes > one float32 step lower, and back exactly") {
    Graph g = snntorch_lif();
    g.node("1").set_field("tau", f32({1e-3, 1e-3}, {2})); // mlx-snn: one beta per layer
    g.node("1").set_field("r", f32({10, 10}, {2}));
    run("mlxsnn.to-canonical", g);
    CHECK(field(g, "1", "v_threshold")[0] == double(std::nextafter(1.0f, 0.0f)));
    run("mlxsnn.from-canonical", g);
    CHECK(field(g, "1", "v_threshold")[0] == 1.0);
    CHECK(field(g, "1", "tau")[1] == doctest::Approx(1e-3).epsilon(1e-6));
    CHECK(meta(g, "nirb.verdict") == "exact");
}

TEST_CASE("mlx-snn import: per-neuron gains and thresholds folded, per-neuron beta refused") {
    Graph g = snntorch_lif();
    g.node("1").set_field("tau", f32({1e-3, 1e-3}, {2}));
    g.node("1").set_field("r", f32({10, 20}, {2}));         // gains 1 and 2
    g.node("1").set_field("v_threshold", f32({1, 4}, {2})); // folded: 2 * 1/4
    OptionValues subtract;
    subtract.set("dt", 1e-4);
    subtract.set("reset_mode", std::string("subtract"));
    run("scneurocore.to-canonical", g, subtract);
    run("mlxsnn.from-canonical", g);
    CHECK(field(g, "0", "weight")[3] == doctest::Approx(2.0).epsilon(1e-6));
    CHECK(field(g, "0", "bias")[1] == doctest::Approx(-0.25).epsilon(1e-6));
    CHECK(field(g, "1", "v_threshold")[1] == double(std::nextafter(1.0f, 2.0f)));
    CHECK(g.metadata().find("nirb.import.dt") != nullptr);

    Graph h = snntorch_lif(); // beta 0.9 and 0.8 in one layer
    OptionValues same_step;
    same_step.set("reset_delay", false);
    run("snntorch.to-canonical", h, same_step);
    CHECK_THROWS_WITH(run("mlxsnn.from-canonical", h),
                      doctest::Contains("1: per-neuron membrane decay beta"));
}

TEST_CASE("SC-NeuroCore: snnTorch's late subtraction = immediate one + feedback -theta/r") {
    Graph g = snntorch_lif();
    run("snntorch.to-canonical", g);
    run("scneurocore.from-canonical", g);
    const auto fb = field(g, "1.late_reset", "weight");
    CHECK(fb[0] == doctest::Approx(-0.1).epsilon(1e-6));
    CHECK(fb[3] == doctest::Approx(-0.2).epsilon(1e-6));
    CHECK(meta(g, "nirb.import.reset_mode") == "subtract");
    CHECK(meta(g, "nirb.verdict") == "exact");
}

TEST_CASE("fingerprints: SC-NeuroCore's tau in steps, mlx-snn's one beta per layer") {
    PluginHost& h = host();
    const auto mlx = h.find_convention("mlxsnn");
    const auto sc = h.find_convention("scneurocore");
    const auto snn = h.find_convention("snntorch");
    REQUIRE(mlx);
    REQUIRE(sc);
    REQUIRE(snn);
    Graph g = snntorch_lif();
    CHECK(h.fingerprint(*mlx, g).score == doctest::Approx(0.0)); // per-neuron beta
    CHECK(h.fingerprint(*sc, g).score == doctest::Approx(0.0));
    g.node("1").set_field("tau", f32({1e-3, 1e-3}, {2}));
    g.node("1").set_field("r", f32({10, 10}, {2}));
    CHECK(h.fingerprint(*mlx, g).score == doctest::Approx(1.0));
    CHECK(h.fingerprint(*snn, g).score == doctest::Approx(1.0)); // the same file
    g.node("1").set_field("tau", f32({10, 5}, {2}));
    g.node("1").set_field("r", f32({1.2, 0.9}, {2}));
    CHECK(h.fingerprint(*sc, g).score == doctest::Approx(0.0)); // float32: torch or JAX wrote it
    for (const char* field : {"tau", "r", "v_threshold"}) {     // numpy float64, as SC-NeuroCore
        const auto values = g.node("1").tensor(field)->to_doubles();
        g.node("1").set_field(field, Tensor::from_doubles(values, {2}, DType::Float64));
    }
    CHECK(h.fingerprint(*sc, g).score == doctest::Approx(1.0));
    CHECK(h.fingerprint(*mlx, g).score == doctest::Approx(0.0));
    CHECK(h.fingerprint(*snn, g).score == doctest::Approx(0.0));
}

namespace {

/// What sinabs.to_nir writes for Linear(3->2) + LIFSqueeze(tau_mem = 10 steps, theta = 1),
/// with the Affine weights multiplied by `scale`.
Graph sinabs_lif(double scale) {
    Graph g = snntorch_lif();
    Node& fc = g.node("0");
    fc.set_field("weight",
                 f32({scale, 2 * scale, 3 * scale, 4 * scale, 5 * scale, 6 * scale}, {2, 3}));
    fc.set_field("bias", f32({0, 0}, {2}));
    Node& lif = g.node("1");
    lif.set_field("tau", f32({10, 10}, {2}));
    lif.set_field("r", f32({1, 1}, {2}));
    return g;
}

std::string node_meta(const Graph& g, const std::string& node, const std::string& key) {
    const Value* v = g.node(node).metadata().find(key);
    return v && v->is_string() ? v->as_string() : "";
}

} // namespace

TEST_CASE("sinabs.to-canonical: tau in steps -> Euler seconds with the same per-step decay") {
    Graph g = sinabs_lif(1.0);
    run("sinabs.to-canonical", g);
    const double alpha = std::exp(-0.1);
    const auto tau = field(g, "1", "tau");
    CHECK(tau[0] == doctest::Approx(1e-3 / (1 - alpha)).epsilon(1e-6));
    CHECK(field(g, "1", "r")[0] == doctest::Approx(1.0));
    CHECK(node_meta(g, "1", "nirb.profile.comparator") == ">=");
    CHECK(node_meta(g, "1", "nirb.profile.reset") == "subtract");
    // row 2: 0.905 + (1 - 0.905) * 15 > 2 thresholds: two spikes in a step are possible
    CHECK(node_meta(g, "1", "nirb.profile.spikes_per_step") == "multiple");
}

TEST_CASE("sinabs.to-canonical proves one spike per step when inputs cannot reach 2 theta") {
    Graph g = sinabs_lif(0.1);
    run("sinabs.to-canonical", g);
    CHECK(node_meta(g, "1", "nirb.profile.spikes_per_step") == "single");
    Graph bigger = sinabs_lif(0.1);
    OptionValues opts;
    opts.set("input_max", OptionValue(20.0));
    run("sinabs.to-canonical", bigger, opts);
    CHECK(node_meta(bigger, "1", "nirb.profile.spikes_per_step") == "multiple");
}

TEST_CASE("sinabs round trip restores tau in steps, threshold in units of the input gain") {
    Graph g = sinabs_lif(1.0);
    run("sinabs.to-canonical", g);
    run("sinabs.from-canonical", g);
    CHECK(field(g, "1", "tau")[0] == doctest::Approx(10.0).epsilon(1e-5));
    CHECK(field(g, "1", "v_threshold")[0] == doctest::Approx(1 / (1 - std::exp(-0.1))));
    CHECK(meta(g, "nirb.profile") == "sinabs-import");
    CHECK(meta(g, "nirb.verdict") == "exact");
    const Value* steps = g.metadata().find("nirb.import.num_timesteps");
    REQUIRE(steps != nullptr);
}

TEST_CASE("sinabs.from-canonical refuses a cycle, naming its nodes") {
    Graph g = sinabs_lif(1.0);
    Node back("Linear");
    back.set_field("weight", f32({0, 1, 1, 0}, {2, 2}));
    g.add_node("w_rec", std::move(back));
    g.add_edge("1", "w_rec");
    g.add_edge("w_rec", "1");
    run("sinabs.to-canonical", g);
    try {
        run("sinabs.from-canonical", g);
        FAIL("expected the conversion to be refused");
    } catch (const Error& e) {
        const std::string what = e.what();
        CHECK(what.find("w_rec: on a cycle") != std::string::npos);
        CHECK(what.find("output: on a cycle") == std::string::npos);
    }
}
