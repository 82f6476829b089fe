// The hardware-target host path ("nirb.target/1") with the toy chip of tests/plugins/toychip:
// listing, every design-rule violation located by node path, quantise + map + report, and the
// usage errors of map_to_target.
#include "nirb/error.hpp"
#include "nirb/target_map.hpp"

#include "plugin_test_util.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace nirb;

namespace {

PluginHost& chip_host() {
    static PluginHost host({NIRB_TOYCHIP_PLUGIN_DIR}, test::plugin_test_options());
    return host;
}

Node neuron(const std::string& type, std::int64_t n, double v_reset = 0) {
    Node lif(type);
    const std::vector<double> ones(static_cast<std::size_t>(n), 1.0);
    const Shape shape{n};
    if (type == "LIF")
        lif.set_field("tau", Tensor::from_doubles(ones, shape, DType::Float32));
    lif.set_field("r", Tensor::from_doubles(ones, shape, DType::Float32));
    lif.set_field("v_leak", Tensor::from_doubles(std::vector<double>(ones.size(), 0.0), shape,
                                                 DType::Float32));
    lif.set_field("v_threshold", Tensor::from_doubles(ones, shape, DType::Float32));
    lif.set_field("v_reset", Tensor::from_doubles(std::vector<double>(ones.size(), v_reset), shape,
                                                  DType::Float32));
    return lif;
}

Node linear(std::int64_t out, std::int64_t in, double step = 0.1) {
    std::vector<double> w;
    for (std::int64_t i = 0; i < out * in; ++i)
        w.push_back(step * static_cast<double>(i % 7 - 3));
    Node fc("Linear");
    fc.set_field("weight", Tensor::from_doubles(w, {out, in}, DType::Float32));
    return fc;
}

Node io(const std::string& type, std::int64_t n) {
    Node node(type);
    node.set_field("shape", Tensor::from_ints({n}));
    return node;
}

/// input(n_in) -> chain of (name, node) -> output(n_out).
Document chain(std::int64_t n_in, std::vector<std::pair<std::string, Node>> layers,
               std::int64_t n_out) {
    Document doc;
    Graph& g = doc.graph();
    g.add_node("input", io("Input", n_in));
    std::string prev = "input";
    for (auto& [name, node] : layers) {
        g.add_node(name, std::move(node));
        g.add_edge(prev, name);
        prev = name;
    }
    g.add_node("output", io("Output", n_out));
    g.add_edge(prev, "output");
    return doc;
}

using Located = std::set<std::pair<std::string, std::string>>;

/// "code@node ..." for failure messages.
std::string describe(const Located& l) {
    std::string out;
    for (const auto& [code, node] : l)
        out += code + "@" + node + " ";
    return out;
}

std::set<std::pair<std::string, std::string>> located(const Diagnostics& d) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& item : d.items())
        out.insert({item.code, item.node_path});
    return out;
}

} // namespace

TEST_CASE("the toy chip is listed as a hardware target with its steps") {
    const auto target = chip_host().find_target("toychip");
    REQUIRE(target.has_value());
    CHECK(target->check_pass == "toychip.check");
    CHECK(target->quantize_pass == "toychip.quantize");
    CHECK(target->map_pass == "toychip.map");
    CHECK(target->profile == "toychip-int8");
    CHECK(target->plugin_id == "org.nirb.test.toychip");
    CHECK(target->summary.find("test chip") == 0);
    const auto& plugins = chip_host().plugins();
    REQUIRE(plugins.size() == 2);
    CHECK(plugins[1].interfaces == std::vector<std::string>{"nirb.passes/1", "nirb.target/1"});
}

TEST_CASE("a model within the rules is quantised, mapped and reported") {
    Document doc = chain(3,
                         {{"fc1", linear(100, 3)},
                          {"lif1", neuron("LIF", 100)},
                          {"fc2", linear(10, 100)},
                          {"if2", neuron("IF", 10)}},
                         10);
    const MapOutcome out = map_to_target(doc, {"toychip", {{"weight_bits", "4"}}}, chip_host());
    REQUIRE(out.passed());
    const Graph& g = doc.graph();
    CHECK(g.metadata().find("nirb.target")->as_string() == "toychip");
    CHECK(g.metadata().find("nirb.target.profile")->as_string() == "toychip-int8");
    CHECK(g.metadata().find("toychip.cores_used")->as_double() == 3.0);
    CHECK(g.node("lif1").metadata().find("toychip.cores")->as_tensor().to_doubles() ==
          std::vector<double>{0, 1});
    CHECK(g.node("if2").metadata().find("toychip.cores")->as_tensor().to_doubles() ==
          std::vector<double>{2});
    // 4-bit weights: every weight is an integer in [-7, 7] times the layer's scale.
    const double scale = g.node("fc1").metadata().find("toychip.weight_scale")->as_double();
    const auto ints = g.node("fc1").metadata().find("toychip.weight_int")->as_tensor();
    CHECK(ints.dtype() == DType::Int8);
    const auto w = g.node("fc1").require_tensor("weight").to_doubles();
    const auto q = ints.to_doubles();
    REQUIRE(w.size() == q.size());
    for (std::size_t i = 0; i < w.size(); ++i) {
        CHECK(std::abs(q[i]) <= 7);
        CHECK(w[i] == doctest::Approx(q[i] * scale).epsilon(1e-6));
    }
    CHECK(out.report.find("toychip: 3 core(s) used") == 0);
    CHECK(out.report.find("lif1: 100 neuron(s) on core(s) 0 1") != std::string::npos);
}

TEST_CASE("every design-rule violation is reported with its node path; nothing changes") {
    Node scale("Scale");
    scale.set_field("scale", Tensor::from_doubles({1, 1, 1}, {3}, DType::Float32));
    Document doc = chain(3,
                         {{"scale", std::move(scale)},      // E001
                          {"lif_direct", neuron("LIF", 3)}, // E002 (after Scale)
                          {"fc_wide", linear(300, 3)},      //
                          {"lif_huge", neuron("LIF", 300)}, // E003 (256 max)
                          {"fc_fanin", linear(200, 300)},   // E005 (fan-in 300)
                          {"lif_a", neuron("LIF", 200)},    // E004: 1 + 4 cores > 4
                          {"fc_b", linear(10, 200)},        // E005 (fan-in 200)
                          {"if_b", neuron("IF", 10, 0.5)}}, // E006
                         10);
    const Document before = doc;
    const MapOutcome out = map_to_target(doc, {"toychip", {}}, chip_host());
    CHECK(!out.passed());
    CHECK(out.failed_stage == "check");
    const Located expected{{"TOY-E001", "scale"},    {"TOY-E002", "lif_direct"},
                           {"TOY-E003", "lif_huge"}, {"TOY-E005", "fc_fanin"},
                           {"TOY-E005", "fc_b"},     {"TOY-E004", "lif_a"},
                           {"TOY-E006", "if_b"}};
    CHECK_MESSAGE(located(out.violations) == expected, describe(located(out.violations)));
    CHECK(doc == before);

    // Raising the limits through options clears the capacity and fan-in rules.
    Document again = before;
    const MapOutcome relaxed = map_to_target(
        again, {"toychip", {{"neurons_per_core", "512"}, {"max_fan_in", "1000"}}}, chip_host());
    const Located remaining{
        {"TOY-E001", "scale"}, {"TOY-E002", "lif_direct"}, {"TOY-E006", "if_b"}};
    CHECK_MESSAGE(located(relaxed.violations) == remaining, describe(located(relaxed.violations)));
}

TEST_CASE("an invalid model fails before the check; unknown targets and options are usage errors") {
    Document bad = chain(3, {{"fc", linear(4, 3)}, {"lif", neuron("LIF", 4)}}, 4);
    bad.graph().add_edge("lif", "nowhere");
    const MapOutcome out = map_to_target(bad, {"toychip", {}}, chip_host());
    CHECK(out.failed_stage == "validate");
    CHECK(out.violations.has_errors());

    Document doc = chain(3, {{"fc", linear(4, 3)}, {"lif", neuron("LIF", 4)}}, 4);
    CHECK_THROWS_WITH_AS(map_to_target(doc, {"toychp", {}}, chip_host()),
                         doctest::Contains("unknown target 'toychp' (did you mean 'toychip'?)"),
                         UsageError);
    CHECK_THROWS_WITH_AS(map_to_target(doc, {"toychip", {{"weight_bit", "4"}}}, chip_host()),
                         doctest::Contains("no option 'weight_bit' (did you mean 'weight_bits'?)"),
                         UsageError);
    CHECK_THROWS_AS(map_to_target(doc, {"toychip", {{"weight_bits", "9"}}}, chip_host()),
                    UsageError);
}
