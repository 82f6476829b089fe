// libnirb-bridge: canonical metadata (graph and node level) mapped to a simulator profile,
// mixed per-node semantics simulated, unknown keys and values refused, verification inputs
// checked before anything runs, and conversions planned as pipelines. The end-to-end run of a
// pipeline with `verify:` from a program that only links the libraries is
// tests/bridge/embed_run_pipeline.cpp.
#include "nirb/bridge/conversion.hpp"
#include "nirb/bridge/profiles.hpp"
#include "nirb/bridge/run.hpp"
#include "nirb/bridge/verification.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include "sim_test_util.hpp"

#include "plugin_test_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

using namespace nirb;
using simtest::full;
using simtest::io;
using simtest::node;

namespace {

PluginHost& host() {
    return test::build_plugins_host();
}

Node lif() {
    return node("LIF", {{"tau", full(2e-4, 3)},
                        {"r", full(2.0, 3)},
                        {"v_leak", full(0.0, 3)},
                        {"v_threshold", full(1.5, 3)},
                        {"v_reset", full(0.0, 3)}});
}

/// in -> a -> out_a and in -> b -> out_b: two LIF populations on the same input.
Graph two_lifs() {
    Graph g;
    g.add_node("in", io("Input", {3}));
    g.add_node("a", lif());
    g.add_node("b", lif());
    g.add_node("out_a", io("Output", {3}));
    g.add_node("out_b", io("Output", {3}));
    g.add_edge("in", "a");
    g.add_edge("in", "b");
    g.add_edge("a", "out_a");
    g.add_edge("b", "out_b");
    return g;
}

void meta(Graph& g, const std::string& node, const std::string& key, Value v) {
    Metadata& m = node.empty() ? g.metadata() : g.node(node).metadata();
    m.set(key, std::move(v));
}

VerifySpec spec(std::int64_t steps, double rate) {
    VerifySpec s;
    s.steps = steps;
    s.rate = rate;
    s.seed = 5;
    return s;
}

} // namespace

TEST_CASE("graph-level metadata sets dt, the profile and every semantics key") {
    Graph g = two_lifs();
    meta(g, "", NIRB_META_PROFILE, std::string("canonical-exact"));
    meta(g, "", NIRB_META_DT, 1e-3);
    meta(g, "", "nirb.profile.reset", std::string("subtract"));
    meta(g, "", "nirb.profile.comparator", std::string(">="));
    meta(g, "", "nirb.profile.input_gain.membrane", std::string("one"));
    meta(g, "", "nirb.profile.lower_clamp", std::string("value"));
    meta(g, "", "nirb.profile.lower_clamp_value", -2.0);
    meta(g, "", "nirb.profile.recurrent_delay", std::int64_t{2});
    const sim::Profile p = bridge::profile_from_metadata(g, host());
    CHECK(p.name == "canonical-exact");
    CHECK(p.integrator == sim::Integrator::Exact);
    CHECK(p.dt == 1e-3);
    CHECK(p.reset == sim::ResetMode::Subtract);
    CHECK(p.comparator == sim::Comparator::GreaterEqual);
    CHECK(p.input_gain.membrane == sim::InputGain::One);
    CHECK(p.lower_clamp == sim::LowerClamp::Value);
    CHECK(p.lower_clamp_value == -2.0);
    CHECK(p.recurrent_delay == 2);
    CHECK(p.node_overrides.empty());
}

TEST_CASE("node-level semantics become node overrides the simulator applies") {
    Graph g = two_lifs();
    meta(g, "", "nirb.profile.reset", std::string("to_v_reset"));
    meta(g, "b", "nirb.profile.reset", std::string("subtract"));
    meta(g, "b", "nirb.profile.comparator", std::string(">="));
    const sim::Profile p = bridge::profile_from_metadata(g, host());
    REQUIRE(p.node_overrides.size() == 1);
    CHECK(p.node_overrides[0].node == "b");
    const sim::Profile b = sim::profile_for_node(p, "b");
    CHECK(b.reset == sim::ResetMode::Subtract);
    CHECK(b.comparator == sim::Comparator::GreaterEqual);
    CHECK(sim::profile_for_node(p, "a").reset == sim::ResetMode::ToReset);
}

TEST_CASE("mixed per-node semantics are simulated, not averaged away") {
    Graph mixed = two_lifs(); // a resets to v_reset, b subtracts
    meta(mixed, "a", "nirb.profile.reset", std::string("to_v_reset"));
    meta(mixed, "b", "nirb.profile.reset", std::string("subtract"));
    Graph same = two_lifs(); // the same meaning written the other way round
    meta(same, "", "nirb.profile.reset", std::string("subtract"));
    meta(same, "a", "nirb.profile.reset", std::string("to_v_reset"));
    const auto ok = bridge::verify_graphs(mixed, same, spec(200, 0.6), host());
    CHECK(ok.identical);
    REQUIRE(ok.outputs.size() == 2);
    CHECK(ok.source_spikes.size() == 2);
    CHECK(ok.source_spikes[0].shape == std::vector<std::int64_t>{200, bridge::kVerifyBatch, 3});
    CHECK(ok.input_spikes.size() == 1);
    REQUIRE(ok.source_membranes.size() == 2); // the LIF feeding each Output, for --report
    CHECK(ok.source_membranes[1].node == "b");
    CHECK(ok.source_membranes[1].values.size() == ok.source_spikes[1].values.size());

    Graph uniform = two_lifs(); // every node subtracts: node a now differs
    meta(uniform, "", "nirb.profile.reset", std::string("subtract"));
    const auto differ = bridge::verify_graphs(mixed, uniform, spec(200, 0.6), host());
    CHECK_FALSE(differ.identical);
    CHECK(differ.outputs[0].differing > 0);  // out_a
    CHECK(differ.outputs[1].differing == 0); // out_b
    REQUIRE(differ.first_differing_step.has_value());
    CHECK(differ.text.find("spike agreement") != std::string::npos);
    CHECK(differ.text.find("output out_a") != std::string::npos);
}

TEST_CASE("an unknown semantics key or value is an error, never ignored") {
    Graph g = two_lifs();
    SUBCASE("unknown graph key") {
        meta(g, "", "nirb.profile.resett", std::string("subtract"));
        CHECK_THROWS_WITH_AS(bridge::profile_from_metadata(g, host()),
                             doctest::Contains("unknown semantics key"), Error);
    }
    SUBCASE("unknown node value") {
        meta(g, "a", "nirb.profile.spike_timing", std::string("whenever"));
        CHECK_THROWS_WITH_AS(bridge::profile_from_metadata(g, host()),
                             doctest::Contains("node 'a'"), Error);
    }
    SUBCASE("dt that is not a number") {
        meta(g, "", NIRB_META_DT, std::string("fast"));
        CHECK_THROWS_AS(bridge::profile_from_metadata(g, host()), Error);
    }
    SUBCASE("contradicting graph-wide keys on nodes") {
        meta(g, "a", "nirb.profile.back_edge_initial", std::string("zero_input_response"));
        meta(g, "b", "nirb.profile.back_edge_initial", std::string("zero"));
        CHECK_THROWS_WITH_AS(bridge::profile_from_metadata(g, host()),
                             doctest::Contains("whole graph"), Error);
    }
}

TEST_CASE("a node-level graph-wide key applies to the graph") {
    Graph g = two_lifs();
    meta(g, "a", "nirb.profile.back_edge_initial", std::string("zero_input_response"));
    CHECK(bridge::profile_from_metadata(g, host()).back_edge_initial ==
          sim::BackEdgeInitial::ZeroInputResponse);
}

TEST_CASE("weight_latency from metadata reaches the simulator") {
    Graph g = two_lifs();
    meta(g, "", "nirb.profile.weight_latency", std::int64_t{1});
    CHECK(bridge::profile_from_metadata(g, host()).weight_latency == 1);
}

TEST_CASE("core's runner refuses a verify block without a verifier") {
    Pipeline p;
    p.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/snntorch_mlp.nir";
    p.verify = VerifySpec{};
    CHECK_THROWS_WITH_AS(nirb::run_pipeline(p, host()), doctest::Contains("verifier"), Error);
}

TEST_CASE("a verification that cannot run leaves no output") {
    const auto dir = std::filesystem::temp_directory_path() / "nirb-test-bridge";
    std::filesystem::create_directories(dir);
    Pipeline p;
    p.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/snntorch_mlp.nir";
    p.output = (dir / "unverified.nir").string();
    std::filesystem::remove(p.output);
    p.verify = VerifySpec{};
    RunOptions options;
    options.verifier = [](const VerifyRequest&) -> VerifyResult {
        throw Error("the simulator refuses this graph");
    };
    CHECK_THROWS_WITH_AS(nirb::run_pipeline(p, host(), options),
                         doctest::Contains("refuses this graph"), Error);
    CHECK_FALSE(std::filesystem::exists(p.output));
    options.verifier = [](const VerifyRequest&) { return VerifyResult{true, "ok"}; };
    CHECK(nirb::run_pipeline(p, host(), options).verify->passed);
    CHECK(std::filesystem::exists(p.output));
}

TEST_CASE("a verify inputs file is checked before anything runs") {
    const auto dir = std::filesystem::temp_directory_path() / "nirb-test-bridge";
    std::filesystem::create_directories(dir);
    Pipeline p;
    p.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/snntorch_mlp.nir";
    p.output = (dir / "never.nir").string();
    std::filesystem::remove(p.output);
    p.verify = VerifySpec{};
    p.verify->inputs = (dir / "missing.npy").string();
    CHECK_THROWS_WITH_AS(bridge::check_verify_spec(p), doctest::Contains("does not exist"),
                         PipelineError);
    CHECK_THROWS_AS(bridge::run_pipeline(p, host()), PipelineError);
    CHECK_FALSE(std::filesystem::exists(p.output));
    const std::string bad = (dir / "bad.npy").string();
    std::ofstream(bad) << "not an npy file";
    p.verify->inputs = bad;
    CHECK_THROWS_AS(bridge::check_verify_spec(p), PipelineError);
    p.verify->inputs = "random";
    p.verify->steps = 0;
    CHECK_THROWS_WITH_AS(bridge::check_verify_spec(p), doctest::Contains("out of range"),
                         PipelineError);
}

TEST_CASE("a conversion is planned as the four-step pipeline") {
    bridge::ConversionRequest r;
    r.from = "snntorch";
    r.to = "norse";
    r.from_options = {{"reset_mechanism", "zero"}};
    r.options = {{"dt", "1e-3"}};
    const Pipeline p = bridge::plan_conversion(r, host());
    REQUIRE(p.steps.size() == 4);
    CHECK(p.steps[0].run == "snntorch.to-canonical");
    CHECK(p.steps[1].run == "nir.normalize-recurrence");
    CHECK(p.steps[2].run == "nir.flatten-subgraphs");
    CHECK(p.steps[3].run == "norse.from-canonical");
    CHECK(option_value_text(*p.steps[0].options.find("reset_mechanism")) == "zero");
    CHECK(option_value_text(*p.steps[2].options.find("drop_io")) == "true");
    r.options = {{"dtt", "1"}};
    CHECK_THROWS_WITH_AS(bridge::plan_conversion(r, host()), doctest::Contains("did you mean"),
                         UsageError);
    r.options = {};
    r.to = "nosuch";
    CHECK_THROWS_WITH_AS(bridge::plan_conversion(r, host()), doctest::Contains("available"),
                         UsageError);
    CHECK_THROWS_AS(bridge::parse_key_values({"novalue"}), UsageError);
}

TEST_CASE("an impossible verdict is a typed outcome: nothing written, no reproducer") {
    const auto dir = std::filesystem::temp_directory_path() / "nirb-test-bridge-impossible";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    bridge::ConversionRequest r;
    r.from = "snntorch";
    r.to = "norse";
    r.from_options = {{"reset_mechanism", "none"}}; // Norse's importer always resets
    r.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/snntorch_mlp.nir";
    r.output = (dir / "out.nir").string();
    r.verify = VerifySpec{};
    const auto report = bridge::run_pipeline(bridge::plan_conversion(r, host()), host());
    CHECK(report.impossible());
    REQUIRE(report.verdict.has_value());
    CHECK(report.verdict->reasons().front().text.find("always reset") != std::string::npos);
    CHECK_FALSE(report.written);
    CHECK_FALSE(report.verification.has_value());
    CHECK(report.steps.size() == 4); // the refusing step's diagnostics too
    CHECK(std::filesystem::is_empty(dir));
}

TEST_CASE("a from-canonical step without reasons still gives its exact verdict") {
    bridge::ConversionRequest r;
    r.from = "norse";
    r.to = "norse";
    r.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/norse_mlp.nir";
    const auto report = bridge::run_pipeline(bridge::plan_conversion(r, host()), host());
    REQUIRE(report.verdict.has_value());
    CHECK(report.verdict_text() == "exact (same discrete equations, parameters carried over)");
    CHECK(report.import_text().find("dt=") != std::string::npos);
    CHECK_FALSE(report.written);
}

TEST_CASE("a conversion runs on a document in memory exactly as on its file") {
    bridge::ConversionRequest r;
    r.from = "snntorch";
    r.to = "norse";
    r.input = std::string(NIRB_SOURCE_DIR) + "/examples/models/snntorch_mlp.nir";
    r.verify = VerifySpec{};
    const Pipeline p = bridge::plan_conversion(r, host());
    const auto from_file = bridge::run_pipeline(p, host());
    Diagnostics ignored;
    Document doc = read_document(r.input, ignored);
    const Document before = doc;
    const auto in_memory = bridge::run_pipeline(p, doc, host());
    CHECK(doc == before); // the caller's document is not changed
    CHECK(in_memory.document == from_file.document);
    CHECK(in_memory.verdict_text() == from_file.verdict_text());
    CHECK(in_memory.import_text() == from_file.import_text());
    REQUIRE(in_memory.verification.has_value());
    CHECK(in_memory.verification->text == from_file.verification->text);
    CHECK_FALSE(in_memory.written);
}

TEST_CASE("every canonical semantics key reaches the simulator, at graph and at node level") {
    // A value other than the canonical-euler default for every key of the SDK's records: a
    // key added to canonical::Semantics or GraphSemantics fails here until the bridge maps it.
    const std::map<std::string, std::string> alternative = {
        {"integrator", "exact"},
        {"input_gain.membrane", "one"},
        {"input_gain.synapse", "decay"},
        {"input_gain.integrator", "one"},
        {"use_r", "false"},
        {"synaptic_ordering", "old_current"},
        {"spike_timing", "previous_state"},
        {"comparator", ">="},
        {"spikes_per_step", "multiple"},
        {"reset", "subtract"},
        {"lower_clamp", "minus_threshold"},
        {"lower_clamp_value", "-3"},
        {"initial_state", "v_leak"},
        {"recurrent_delay", "3"},
        {"back_edge_initial", "zero_input_response"},
        {"weight_latency", "2"},
        {"arithmetic", "float64"},
    };
    std::vector<std::string> keys = canonical::Semantics::keys();
    const auto& graph_keys = canonical::GraphSemantics::keys();
    keys.insert(keys.end(), graph_keys.begin(), graph_keys.end());
    for (const auto& key : keys) {
        CAPTURE(key);
        REQUIRE(alternative.count(key) == 1);
        // The floor's value only acts with lower_clamp = value (and only then is it stored).
        const auto graph = [&] {
            Graph g = two_lifs();
            if (key == "lower_clamp_value")
                meta(g, "", canonical::semantics_meta_key("lower_clamp"), "value");
            return g;
        };
        const sim::Profile base = bridge::profile_from_metadata(graph(), host());
        Graph at_graph = graph();
        meta(at_graph, "", canonical::semantics_meta_key(key), alternative.at(key));
        const sim::Profile graph_level = bridge::profile_from_metadata(at_graph, host());
        CHECK(graph_level != base);
        const bool per_node =
            std::find(graph_keys.begin(), graph_keys.end(), key) == graph_keys.end();
        if (!per_node)
            continue;
        Graph at_node = graph();
        meta(at_node, "b", canonical::semantics_meta_key(key), alternative.at(key));
        const sim::Profile node_level = bridge::profile_from_metadata(at_node, host());
        CHECK(sim::profile_for_node(node_level, "b") == graph_level);
        CHECK(sim::profile_for_node(node_level, "a") == base);
    }
}
