// What `nirb map --verify` and `--picture` do as library calls (libnirb-bridge), on graphs
// built here: known answers (a graph against itself agrees fully; one changed layer does not
// and only its own node and those after it differ), the float profile chosen in order
// (--verify-profile, the model's, the target's, canonical-euler), the step alignment, the
// thresholds, and the picture's refusals (extension, missing or malformed core loads).
#include "nirb/bridge/map_picture.hpp"
#include "nirb/bridge/map_verify.hpp"
#include "nirb/error.hpp"
#include "nirb/target_map.hpp"

#include "sim_test_util.hpp"

#include "plugin_test_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace nirb;
using simtest::full;
using simtest::io;
using simtest::node;

namespace {

PluginHost& host() {
    return test::build_plugins_host();
}

Node lif(double threshold) {
    return node("LIF", {{"tau", full(2e-3, 3)},
                        {"r", full(1.0, 3)},
                        {"v_leak", full(0.0, 3)},
                        {"v_threshold", full(threshold, 3)},
                        {"v_reset", full(0.0, 3)}});
}

Node weights(double w) {
    Node fc("Linear");
    fc.set_field("weight", Tensor::from_doubles(std::vector<double>(9, w), {3, 3}, DType::Float32));
    return fc;
}

/// in -> fc1 -> lif1 -> fc2 -> lif2 -> out, "mapped" to run under `profile`.
Graph net(double threshold2, const std::string& profile) {
    Graph g;
    g.add_node("in", io("Input", {3}));
    g.add_node("fc1", weights(2.0));
    g.add_node("lif1", lif(0.2));
    g.add_node("fc2", weights(1.5));
    g.add_node("lif2", lif(threshold2));
    g.add_node("out", io("Output", {3}));
    for (auto [a, b] : {std::pair{"in", "fc1"},
                        {"fc1", "lif1"},
                        {"lif1", "fc2"},
                        {"fc2", "lif2"},
                        {"lif2", "out"}})
        g.add_edge(a, b);
    if (!profile.empty())
        g.metadata().set(kTargetProfileMetadataKey, Value(profile));
    return g;
}

bridge::MapVerifySpec spec() {
    bridge::MapVerifySpec s;
    s.steps = 200;
    s.rate = 0.5;
    s.seed = 3;
    return s;
}

} // namespace

TEST_CASE("a graph against itself agrees fully; a changed layer differs where it acts") {
    const auto same =
        bridge::verify_mapping(net(0.3, ""), net(0.3, "canonical-euler"), spec(), host());
    REQUIRE(same.populations.size() == 2); // out, then lif1 (lif2 is the Output's spikes)
    CHECK(same.populations[0].node == "out");
    CHECK(same.populations[1].node == "lif1");
    for (const auto& p : same.populations) {
        CHECK(p.differing == 0);
        CHECK(p.slots == 200 * 3);
        CHECK(p.count_correlation == 1.0);
    }
    CHECK(same.populations[0].float_spikes > 0);
    CHECK(same.agreement == 1.0);
    CHECK(same.met);

    const auto changed =
        bridge::verify_mapping(net(0.3, ""), net(0.9, "canonical-euler"), spec(), host());
    CHECK(changed.populations[1].differing == 0); // lif1 is upstream of the change
    CHECK(changed.populations[0].differing > 0);
    CHECK(changed.populations[0].quantised_spikes < changed.populations[0].float_spikes);
    CHECK(changed.agreement < 1.0);
    CHECK(changed.text.find("outputs: spike agreement") != std::string::npos);

    auto strict = spec();
    strict.min_agreement = 1.0;
    const auto failed =
        bridge::verify_mapping(net(0.3, ""), net(0.9, "canonical-euler"), strict, host());
    CHECK_FALSE(failed.met);
    CHECK(failed.failure.find("--min-agreement 1") != std::string::npos);
    CHECK(bridge::verify_mapping(net(0.3, ""), net(0.3, "canonical-euler"), strict, host()).met);
}

TEST_CASE("the float profile: --verify-profile, the model's, the target's, canonical-euler") {
    const Graph mapped = net(0.3, "canonical-exact");
    Graph target_named = mapped;
    target_named.metadata().set(kTargetFloatProfileMetadataKey, Value(std::string("norse")));
    CHECK(bridge::verify_mapping(net(0.3, ""), mapped, spec(), host())
              .float_profile.starts_with("canonical-euler (the model names no profile"));
    CHECK(bridge::verify_mapping(net(0.3, ""), target_named, spec(), host())
              .float_profile.starts_with("norse (the target's reading of the model"));
    Graph model = net(0.3, "");
    model.metadata().set(NIRB_META_PROFILE, Value(std::string("canonical-exact")));
    CHECK(bridge::verify_mapping(model, target_named, spec(), host())
              .float_profile.starts_with("canonical-exact (the model's"));
    auto named = spec();
    named.float_profile = "canonical-exact";
    CHECK(bridge::verify_mapping(net(0.3, ""), target_named, named, host())
              .float_profile.starts_with("canonical-exact (--verify-profile"));
}

TEST_CASE("both sides step at the same dt; a mapped graph must name its profile") {
    Graph mapped = net(0.3, "canonical-euler");
    mapped.metadata().set(NIRB_META_DT, Value(1e-3));
    // a model without a step takes the target's
    CHECK(bridge::verify_mapping(net(0.3, ""), mapped, spec(), host())
              .float_profile.find("dt 0.001 s") != std::string::npos);
    Graph model = net(0.3, "");
    model.metadata().set(NIRB_META_DT, Value(1e-4));
    CHECK_THROWS_WITH_AS(bridge::verify_mapping(model, mapped, spec(), host()),
                         doctest::Contains("--option dt="), Error);
    // a profile in steps already steps as the target does: its dt is left alone
    auto per_step = spec();
    per_step.float_profile = "sinabs";
    CHECK(bridge::verify_mapping(net(0.3, ""), mapped, per_step, host())
              .float_profile.find("dt 1 steps") != std::string::npos);
    CHECK_THROWS_WITH_AS(bridge::verify_mapping(net(0.3, ""), net(0.3, ""), spec(), host()),
                         doctest::Contains("names no emulation profile"), Error);
}

TEST_CASE("a verification that cannot fit in memory is refused before it runs") {
    Graph g;
    const std::int64_t n = 5000; // 2 sides x 100,000 steps x 5000 neurons x 4 bytes: 4 GB
    g.add_node("in", io("Input", {1}));
    Node fc("Linear");
    fc.set_field("weight",
                 Tensor::from_doubles(std::vector<double>(n, 1.0), {n, 1}, DType::Float32));
    g.add_node("fc", std::move(fc));
    g.add_node("lif", node("LIF", {{"tau", full(2e-3, n)},
                                   {"r", full(1.0, n)},
                                   {"v_leak", full(0.0, n)},
                                   {"v_threshold", full(1.0, n)},
                                   {"v_reset", full(0.0, n)}}));
    g.add_node("out", io("Output", {n}));
    g.add_edge("in", "fc");
    g.add_edge("fc", "lif");
    g.add_edge("lif", "out");
    Graph mapped = g;
    mapped.metadata().set(kTargetProfileMetadataKey, Value(std::string("canonical-euler")));
    auto big = spec();
    big.steps = 100000;
    CHECK_THROWS_WITH_AS(bridge::verify_mapping(g, mapped, big, host()),
                         doctest::Contains("more than 2048 MiB"), Error);
}

TEST_CASE("the picture: .png or .svg only, and only from well-formed core loads") {
    CHECK_THROWS_AS(bridge::check_picture_path("cores.pdf"), UsageError);
    CHECK_THROWS_AS(bridge::check_picture_path("cores"), UsageError);
    CHECK_NOTHROW(bridge::check_picture_path("dir/cores.svg"));
    const auto dir = std::filesystem::temp_directory_path() / "nirb-map-picture-test";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "cores.png").string();
    Graph g = net(0.3, "canonical-euler");
    g.metadata().set(kTargetMetadataKey, Value(std::string("toy")));
    CHECK_THROWS_WITH_AS(bridge::draw_mapping_picture(g, path, true),
                         doctest::Contains("target 'toy' wrote no core loads"), Error);
    g.metadata().set(kTargetCoresMetadataKey, Value(std::string(R"({"cores": [{"core": 0}]})")));
    CHECK_THROWS_WITH_AS(bridge::draw_mapping_picture(g, path, true),
                         doctest::Contains("malformed core loads"), Error);
    CHECK_FALSE(std::filesystem::exists(path));
    std::filesystem::remove_all(dir);
}
