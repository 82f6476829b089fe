#pragma once
// The DYNAP-CNN reading of a NIR graph, shared by the check, quantise and map passes: each
// core runs one layer = a weight node (Conv2d, Linear, Affine), the IF neurons it feeds and
// the pooling after them (sinabs 3.1.3's DynapcnnLayer).
#include "nirb/plugin.hpp"
#include "nirb/sdk/graph_query.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace speck {

using nirb::sdk::Diagnostics;
using nirb::sdk::Graph;
using nirb::sdk::Options;
using nirb::sdk::Tensor;

inline bool is_weight_type(const std::string& t) {
    return t == "Conv2d" || t == "Linear" || t == "Affine";
}

/// One core's layer: weight node, neuron node and the pooling nodes after the neurons.
struct Layer {
    std::string weight, neuron;
    std::vector<std::string> pools;
};

/// Layers in execution order: every weight node followed by exactly one IF.
inline std::vector<Layer> read_layers(const Graph& g) {
    std::vector<Layer> layers;
    for (const auto& node : g.execution_order()) {
        if (!is_weight_type(g.type(node)))
            continue;
        Layer l{node, "", {}};
        const auto succ = nirb::sdk::successors(g, node);
        if (succ.size() == 1 && g.type(succ.front()) == "IF") {
            l.neuron = succ.front();
            std::string at = l.neuron;
            for (;;) {
                const auto next = nirb::sdk::successors(g, at);
                if (next.size() != 1 || g.type(next.front()) != "SumPool2d")
                    break;
                at = next.front();
                l.pools.push_back(at);
            }
        }
        layers.push_back(l);
    }
    return layers;
}

} // namespace speck
