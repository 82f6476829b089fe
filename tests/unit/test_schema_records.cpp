// The schema record drives what it describes: every primitive names its type rule, kernel
// family and spiking flag in its record, and docs/primitives.md is generated from them.
#include "nirb/schema.hpp"
#include "nirb/schema_doc.hpp"

#include <doctest/doctest.h>

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
