// The SpiNNaker2 hardware target (nirb.target/1): s2_nir's rules, its parameter conversion,
// placement on processing elements and the "spinnaker2" profile. Public SDK only.
#include "spinnaker2.hpp"

#include "embedded_profiles.hpp"
#include "placement.hpp"

#include <sstream>
#include <utility>

namespace nirb::plugins::spinnaker2 {

bool is_population(const std::string& type) {
    return type == "LIF" || type == "IF" || type == "CubaLIF";
}

bool is_weight(const std::string& type) {
    return type == "Affine" || type == "Linear" || type == "Conv2d";
}

CoreLimitedPass::CoreLimitedPass(std::string name, std::string summary)
    : Pass(std::move(name), std::move(summary)) {
    add_int("cores", 152, "Processing elements available (152 per SpiNNaker2 chip)").min(1);
    add_int("neurons_per_core", 250,
            "Neurons per processing element (set_max_atoms_per_core; py-spinnaker2's "
            "default is not public)")
        .min(1);
}

namespace {

/// "NODE=N,NODE=N": per-population neurons per core, as set_max_atoms_per_core does.
std::int64_t atoms_for(const std::string& spec, const std::string& node) {
    std::istringstream in(spec);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto eq = item.find('=');
        if (eq != std::string::npos && item.substr(0, eq) == node)
            return std::stoll(item.substr(eq + 1));
    }
    return 0;
}

/// Synapses per neuron of a population: the columns of each weight layer feeding it (a
/// Conv2d's in_channels x kernel), for the report; SpiNNaker2's limit on them is not known.
std::int64_t fan_in(const Graph& g, const std::string& node) {
    std::int64_t total = 0;
    for (const auto& w : weight_inputs(g, node)) {
        const auto shape = g.param(w, "weight").shape;
        std::int64_t per_neuron = 1;
        for (std::size_t k = 1; k < shape.size(); ++k)
            per_neuron *= shape[k];
        total += per_neuron;
    }
    return total;
}

std::string report(const Graph& g) {
    std::ostringstream out;
    out << "SpiNNaker2: " << targets::placement_text(targets::load(g, "spinnaker2"));
    for (const auto& node : g.execution_order())
        if (auto model = g.metadata_string(node, "spinnaker2.neuron_model"))
            out << "  " << node << ": " << *model << ", w_scale "
                << g.metadata_number(node, "spinnaker2.w_scale").value_or(1) << "\n";
    return out.str();
}

class Spinnaker2Plugin : public sdk::Plugin {
public:
    Spinnaker2Plugin()
        : Plugin({"org.nirb.spinnaker2",
                  "SpiNNaker2 (py-spinnaker2 s2_nir)",
                  "0.1.0",
                  ">=1.0 <2",
                  {"spinnaker2"}}) {
        add_pass<Check>();
        add_pass<Quantize>();
        add_pass<Map>();
        set_target({"spinnaker2", "spinnaker2.check", "spinnaker2.quantize", "spinnaker2.map",
                    &report,
                    "SpiNNaker2 as s2_nir maps NIR: LIF/IF/CubaLIF populations, weights scaled "
                    "to +/-127 (rules from public copies; not run against s2_nir)",
                    "spinnaker2", embedded_profiles()});
    }
};

} // namespace

Map::Map()
    : CoreLimitedPass("spinnaker2.map", "populations onto processing elements; report files") {
    add_string("atoms_per_core", "", "Per-population neurons per core: NODE=N,NODE=N");
    add_string("report_json", "", "Write the placement as JSON to this file");
}

void Map::run(Graph& g, const Options& o, Diagnostics&) {
    std::vector<targets::PopulationSize> sizes;
    for (const auto& node : g.execution_order())
        if (is_population(g.type(node)))
            sizes.push_back({node, sdk::neuron_count(g, node), fan_in(g, node),
                             atoms_for(o.string("atoms_per_core"), node)});
    const auto placement =
        targets::place(sizes, {o.integer("cores"), o.integer("neurons_per_core"), 0});
    if (!placement.overflow.empty())
        throw sdk::invalid_input("layer '" + placement.overflow + "' does not fit");
    targets::store(g, "spinnaker2", placement, "SpiNNaker2 processing elements");
    targets::write_report_files(placement, o, "spinnaker2");
}

} // namespace nirb::plugins::spinnaker2

NIRB_PLUGIN(nirb::plugins::spinnaker2::Spinnaker2Plugin)
