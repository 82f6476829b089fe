#pragma once
// The Xylo Audio 2 reading of a NIR graph, shared by the check, quantise and map passes:
// which CubaLIF layers are hidden neurons and which are output (readout) neurons, and which
// weight layers are input, recurrent (hidden -> hidden) and output weights.
#include "nirb/plugin.hpp"
#include "nirb/sdk/graph_query.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace xylo {

using nirb::sdk::Diagnostics;
using nirb::sdk::Graph;
using nirb::sdk::Options;
using nirb::sdk::Tensor;

/// Xylo Audio 2 (syns61201) resources, as rockpool 3.1.0's mapper and xylosim 0.1.3 state.
inline constexpr std::int64_t k_input_channels = 16;
inline constexpr std::int64_t k_output_neurons = 8;
inline constexpr std::int64_t k_hidden_neurons = 1000;
inline constexpr int k_max_dash = 15; // 4-bit dash registers on the chip

enum class Role { Hidden, Output };

/// One neuron layer: its node, role, size and first index in its role's numbering.
struct Layer {
    std::string node;
    Role role = Role::Hidden;
    std::int64_t size = 0;
    std::int64_t first = 0;
};

enum class WeightGroup { Input, Recurrent, Output, Invalid };

/// One weight layer: its node, source and target (neuron layer or Input node) and group.
struct Weights {
    std::string node, source, target;
    WeightGroup group = WeightGroup::Invalid;
};

/// The graph split into Xylo's hidden/output populations (valid after a clean check).
struct Network {
    std::vector<Layer> layers;
    std::vector<Weights> weights;
    std::int64_t hidden = 0, outputs = 0, inputs = 0;
    const Layer* layer(const std::string& node) const {
        for (const auto& l : layers)
            if (l.node == node)
                return &l;
        return nullptr;
    }
};

inline bool is_weight_type(const std::string& t) {
    return t == "Linear" || t == "Affine";
}

/// True when an edge leads from `node` to an Output node.
inline bool feeds_output(const Graph& g, const std::string& node) {
    for (const auto& s : nirb::sdk::successors(g, node))
        if (g.type(s) == "Output")
            return true;
    return false;
}

/// The step dt: the `dt` option when > 0, else the graph's nirb.dt, else rockpool's 1 ms.
inline double step_dt(const Graph& g, const Options& o) {
    if (o.number("dt") > 0)
        return o.number("dt");
    if (auto dt = g.metadata_number("", "nirb.dt"); dt && *dt > 0)
        return *dt;
    return 1e-3;
}

/// dash = log2(tau / dt), unrounded (rockpool's mapper), and rounded half to even as its
/// quantisers do.
inline double dash_of(double tau, double dt) {
    return std::log2(tau / dt);
}
inline int rounded_dash(double tau, double dt) {
    return static_cast<int>(std::nearbyint(dash_of(tau, dt)));
}

/// Channels of an Input node: the product of its shape.
inline std::int64_t input_size(const Graph& g, const std::string& node) {
    std::int64_t n = 1;
    for (double v : g.param(node, "shape").values)
        n *= static_cast<std::int64_t>(v);
    return n;
}

/// Classify the graph's neuron and weight layers (no checking: the check pass reports).
inline Network read_network(const Graph& g) {
    Network net;
    for (const auto& node : g.execution_order()) {
        const std::string type = g.type(node);
        if (type == "CubaLIF") {
            Layer l{node, feeds_output(g, node) ? Role::Output : Role::Hidden,
                    nirb::sdk::neuron_count(g, node), 0};
            std::int64_t& count = l.role == Role::Hidden ? net.hidden : net.outputs;
            l.first = count;
            count += l.size;
            net.layers.push_back(l);
        } else if (type == "Input") {
            net.inputs += input_size(g, node);
        }
    }
    for (const auto& node : g.execution_order()) {
        if (!is_weight_type(g.type(node)))
            continue;
        Weights w{node, "", "", WeightGroup::Invalid};
        const auto pred = nirb::sdk::predecessors(g, node);
        const auto succ = nirb::sdk::successors(g, node);
        if (pred.size() == 1)
            w.source = pred.front();
        if (succ.size() == 1)
            w.target = succ.front();
        const Layer* dst = net.layer(w.target);
        const Layer* src = net.layer(w.source);
        if (dst && !w.source.empty() && g.type(w.source) == "Input" && dst->role == Role::Hidden)
            w.group = WeightGroup::Input;
        else if (dst && src && src->role == Role::Hidden)
            w.group = dst->role == Role::Hidden ? WeightGroup::Recurrent : WeightGroup::Output;
        net.weights.push_back(w);
    }
    return net;
}

} // namespace xylo
