// What the three Loihi 2 passes share: the population structure and the core options.
#include "loihi2.hpp"

#include <utility>

namespace nirb::plugins::loihi2 {

bool is_mapped_neuron(const std::string& type) {
    return type == "LIF" || type == "CubaLIF" || type == "IF";
}

std::vector<Population> populations(const Graph& g) {
    std::vector<Population> out;
    for (const auto& node : g.execution_order()) {
        if (!is_mapped_neuron(g.type(node)))
            continue;
        Population p{node, {}, sdk::neuron_count(g, node), 0};
        for (const auto& src : sdk::predecessors(g, node)) {
            const std::string type = g.type(src);
            if (type != "Linear" && type != "Affine")
                continue;
            p.inputs.push_back(src);
            const Tensor w = g.param(src, "weight");
            if (w.shape.size() == 2)
                p.fan_in += w.shape[1];
        }
        out.push_back(std::move(p));
    }
    return out;
}

double quantize_dt(const Graph& g, double option) {
    if (option > 0)
        return option;
    if (auto dt = g.metadata_number("", NIRB_META_DT); dt && *dt > 0)
        return *dt;
    return 1e-3;
}

CoreLimitedPass::CoreLimitedPass(std::string name, std::string summary)
    : Pass(std::move(name), std::move(summary)) {
    const CoreLimits d;
    add_int("cores", d.cores, "Neuro cores available (128 per Loihi 2 chip)").min(1);
    add_int("neurons_per_core", d.neurons_per_core, "Neurons one core holds").min(1);
    add_int("synapses_per_core", d.synapses_per_core,
            "Synapses one core holds (the chip's 120M synapses / 128 cores)")
        .min(1);
}

CoreLimits core_limits(const Options& o) {
    return {o.integer("cores"), o.integer("neurons_per_core"), o.integer("synapses_per_core")};
}

} // namespace nirb::plugins::loihi2
