// The schema record drives what it describes: every primitive names its type rule, kernel
// family and spiking flag in its record, the simulator takes absent fields' defaults from it,
// and docs/primitives.md is generated from the records.
#include "nirb/error.hpp"
#include "nirb/schema.hpp"
#include "nirb/schema_doc.hpp"
#include "sim_test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace nirb;

TEST_CASE("docs/primitives.md is generated from the schema") {
    std::ifstream in(std::string(NIRB_SOURCE_DIR) + "/docs/primitives.md", std::ios::binary);
    REQUIRE_MESSAGE(in, "docs/primitives.md is missing");
    std::stringstream committed;
    committed << in.rdbuf();
    CHECK_MESSAGE(committed.str() == primitives_markdown(),
                  "docs/primitives.md differs from the schema records; regenerate it with "
                  "build/tools/nirb-primitives-doc > docs/primitives.md");
}

TEST_CASE("every primitive record names its type rule, kernel family and dynamics") {
    for (const auto& p : all_primitives()) {
        CAPTURE(p.type);
        if (p.type == "NIRGraph") {
            CHECK(!p.type_rule);
            CHECK(p.kernel == KernelFamily::None);
            continue;
        }
        CHECK((p.type_rule != nullptr));
        CHECK(p.kernel != KernelFamily::None);
        CHECK(p.is_neuron == (p.kernel == KernelFamily::Neuron));
        if (p.kernel == KernelFamily::Neuron) {
            CHECK(p.field("r"));
            if (!p.neuron.membrane_tau.empty())
                CHECK(p.field(p.neuron.membrane_tau));
            if (!p.neuron.synapse_tau.empty())
                CHECK(p.field(p.neuron.synapse_tau));
            CHECK(p.is_spiking == (p.field("v_threshold") != nullptr));
        }
        const bool spatial = p.kernel == KernelFamily::Conv || p.kernel == KernelFamily::SumPool ||
                             p.kernel == KernelFamily::AvgPool;
        CHECK((p.spatial_dims > 0) == spatial);
    }
    CHECK(find_primitive("Conv1d")->spatial_dims == 1);
    CHECK(find_primitive("LIF")->neuron.membrane_tau == "tau");
    CHECK(find_primitive("CubaLIF")->neuron.synapse_tau == "tau_syn");
    CHECK(find_primitive("IF")->neuron.membrane_tau.empty());
    CHECK(find_primitive("Threshold")->is_spiking);
}

TEST_CASE("simulator defaults come from the record") {
    const PrimitiveSchema& lif = *find_primitive("LIF");
    CHECK(lif.field("v_reset")->simulator_default() == 0.0);
    CHECK(!lif.field("tau")->simulator_default());
    CHECK(find_primitive("CubaLIF")->field("w_in")->simulator_default() == 1.0);
    CHECK(find_primitive("Conv2d")->field("stride")->simulator_default() == 1.0);
    CHECK(find_primitive("Conv2d")->field("bias")->simulator_default() == 0.0);
    CHECK(!find_primitive("Affine")->field("bias")->simulator_default());
    CHECK(find_primitive("Flatten")->field("end_dim")->simulator_default() == -1.0);
}

TEST_CASE("the simulator fills absent fields from the record and refuses the rest") {
    using namespace simtest;
    const auto weight = f64(random_values(2 * 1 * 3, 7), {2, 1, 3});
    const nirb::sim::Profile profile = profile_with([](nirb::sim::Profile&) {});
    const std::vector<float> input = [] {
        std::vector<float> x(2 * 8);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = static_cast<float>(i % 5) - 2.0f;
        return x;
    }();
    // Shape inference needs the geometry; groups and bias come from the record's defaults.
    Node bare = node(
        "Conv1d",
        {{"weight", weight}, {"stride", int0(1)}, {"padding", int0(0)}, {"dilation", int0(1)}});
    Node full_conv = node("Conv1d", {{"weight", weight},
                                     {"stride", int0(1)},
                                     {"padding", int0(0)},
                                     {"dilation", int0(1)},
                                     {"groups", int0(1)},
                                     {"bias", full(0.0, 2)}});
    nirb::sim::Simulator a(chain({1, 8}, std::move(bare), {2, 6}), profile);
    nirb::sim::Simulator b(chain({1, 8}, std::move(full_conv), {2, 6}), profile);
    CHECK(run(a, input, 2) == run(b, input, 2));
    // LIF without v_reset resets to 0 (ZerosLike); CubaLIF without w_in weighs inputs by 1.
    const auto lif = [](bool with_defaults) {
        Node n = node("LIF", {{"tau", full(1e-3, 2)},
                              {"r", full(1.0, 2)},
                              {"v_leak", full(0.0, 2)},
                              {"v_threshold", full(0.3, 2)}});
        if (with_defaults)
            n.set_field("v_reset", full(0.0, 2));
        return n;
    };
    nirb::sim::Simulator c(chain({2}, lif(false), {2}), profile);
    nirb::sim::Simulator d(chain({2}, lif(true), {2}), profile);
    const std::vector<float> drive(2 * 20, 5.0f);
    const auto spikes = run(c, drive, 20);
    CHECK(spikes == run(d, drive, 20));
    CHECK(std::count(spikes.begin(), spikes.end(), 1.0f) > 0);
    // Affine's bias has no simulator default: its absence is an error naming the field.
    Node affine = node("Affine", {{"weight", f64({1, 0, 0, 1}, {2, 2})}});
    CHECK_THROWS_WITH_AS(nirb::sim::Simulator(chain({2}, std::move(affine), {2}), profile),
                         doctest::Contains("field 'bias' is missing"), nirb::Error);
}
