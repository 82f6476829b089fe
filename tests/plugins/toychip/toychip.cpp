// A toy hardware target for the "nirb.target/1" host path (nirb map, nirb plugins, nirb plugin
// validate). Its chip: `cores` cores of `neurons_per_core` neurons each; only Linear/Affine
// weight layers, each followed by one LIF or IF layer; at most `max_fan_in` inputs per
// neuron; weights as signed integers of `weight_bits` bits with one scale per layer. Each
// rule has its own code so tests can hit every violation:
//   TOY-E001 primitive the chip has no unit for      TOY-E004 chip capacity exceeded here
//   TOY-E002 neuron layer not fed by one weight layer TOY-E005 fan-in above max_fan_in
//   TOY-E003 layer larger than the whole chip         TOY-E006 v_reset other than 0
#include "nirb/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace {

using nirb::sdk::Diagnostics;
using nirb::sdk::Graph;
using nirb::sdk::Options;
using nirb::sdk::Tensor;

bool is_weight_layer(const std::string& type) {
    return type == "Linear" || type == "Affine";
}
bool is_neuron(const std::string& type) {
    return type == "LIF" || type == "IF";
}

/// Neurons in a LIF/IF layer: the size of its threshold parameter.
std::int64_t neuron_count(const Graph& g, const std::string& node) {
    return g.param(node, "v_threshold").size();
}

std::map<std::string, std::vector<std::string>> predecessors(const Graph& g) {
    std::map<std::string, std::vector<std::string>> pred;
    for (const auto& e : g.edges())
        pred[e.dst].push_back(e.src);
    return pred;
}

/// Cores per neuron layer in execution order; stops (returning false) at the first layer
/// that does not fit, naming it in `overflow`. Layers larger than the whole chip are skipped
/// (TOY-E003 reports them).
bool allocate(const Graph& g, std::int64_t per_core, std::int64_t cores,
              std::vector<std::pair<std::string, std::int64_t>>& first_core,
              std::string& overflow) {
    std::int64_t next = 0;
    for (const auto& node : g.execution_order()) {
        if (!is_neuron(g.type(node)))
            continue;
        const std::int64_t need = (neuron_count(g, node) + per_core - 1) / per_core;
        if (need > cores)
            continue;
        if (next + need > cores) {
            overflow = node;
            return false;
        }
        first_core.emplace_back(node, next);
        next += need;
    }
    return true;
}

class Check : public nirb::sdk::Pass {
public:
    Check() : Pass("toychip.check", "design rules of the toy chip (every violation)") {
        add_int("neurons_per_core", 64, "Neurons one core holds").min(1);
        add_int("cores", 4, "Cores on the chip").min(1);
        add_int("max_fan_in", 128, "Inputs one neuron may have").min(1);
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        const std::int64_t per_core = o.integer("neurons_per_core");
        const std::int64_t cores = o.integer("cores");
        const auto pred = predecessors(g);
        for (const auto& node : g.nodes()) {
            const std::string type = g.type(node);
            if (type == "Input" || type == "Output")
                continue;
            if (!is_weight_layer(type) && !is_neuron(type)) {
                d.error("the toy chip has no unit for " + type, node, "TOY-E001");
            } else if (is_neuron(type)) {
                const auto it = pred.find(node);
                if (it == pred.end() || it->second.size() != 1 ||
                    !is_weight_layer(g.type(it->second.front())))
                    d.error(type + " must be fed by exactly one Linear or Affine layer", node,
                            "TOY-E002");
                if (neuron_count(g, node) > per_core * cores)
                    d.error(std::to_string(neuron_count(g, node)) +
                                " neurons do not fit on the chip (" +
                                std::to_string(per_core * cores) + ")",
                            node, "TOY-E003");
                if (g.has_param(node, "v_reset") && any_nonzero(g.param(node, "v_reset")))
                    d.error("the chip resets to 0; v_reset must be 0", node, "TOY-E006");
            } else {
                check_weights(g, node, o.integer("max_fan_in"), d);
            }
        }
        std::vector<std::pair<std::string, std::int64_t>> placed;
        std::string overflow;
        if (!allocate(g, per_core, cores, placed, overflow))
            d.error("the chip's " + std::to_string(cores) + " cores are full before this layer",
                    overflow, "TOY-E004");
    }

private:
    static void check_weights(const Graph& g, const std::string& node, std::int64_t max_fan_in,
                              Diagnostics& d) {
        const Tensor w = g.param(node, "weight");
        if (w.shape.size() == 2 && w.shape[1] > max_fan_in)
            d.error("fan-in " + std::to_string(w.shape[1]) + " is above " +
                        std::to_string(max_fan_in),
                    node, "TOY-E005");
    }
    static bool any_nonzero(const Tensor& t) {
        return std::any_of(t.values.begin(), t.values.end(), [](double v) { return v != 0; });
    }
};

class Quantize : public nirb::sdk::Pass {
public:
    Quantize() : Pass("toychip.quantize", "signed integer weights, one scale per layer") {
        add_int("weight_bits", 8, "Bits of a weight, sign included").range(2, 8);
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        const double top = std::ldexp(1.0, static_cast<int>(o.integer("weight_bits")) - 1) - 1;
        for (const auto& node : g.nodes()) {
            if (!is_weight_layer(g.type(node)))
                continue;
            Tensor w = g.param(node, "weight");
            double largest = 0;
            for (double v : w.values)
                largest = std::max(largest, std::abs(v));
            const double scale = largest > 0 ? largest / top : 1.0;
            Tensor ints;
            ints.dtype = NIRB_DTYPE_INT8;
            ints.shape = w.shape;
            double worst = 0;
            for (double& v : w.values) {
                const double q = std::clamp(std::round(v / scale), -top, top);
                ints.values.push_back(q);
                worst = std::max(worst, std::abs(q * scale - v));
                v = q * scale; // the graph keeps simulating: dequantised weights
            }
            g.set_param(node, "weight", w);
            g.set_metadata(node, "toychip.weight_int", ints);
            g.set_metadata(node, "toychip.weight_scale", scale);
            d.note("largest rounding error " + std::to_string(worst), node, "TOY-N001");
        }
    }
};

class Map : public nirb::sdk::Pass {
public:
    Map() : Pass("toychip.map", "place each neuron layer on consecutive cores") {
        add_int("neurons_per_core", 64, "Neurons one core holds").min(1);
        add_int("cores", 4, "Cores on the chip").min(1);
    }
    void run(Graph& g, const Options& o, Diagnostics&) override {
        const std::int64_t per_core = o.integer("neurons_per_core");
        std::vector<std::pair<std::string, std::int64_t>> placed;
        std::string overflow;
        if (!allocate(g, per_core, o.integer("cores"), placed, overflow))
            throw nirb::sdk::invalid_input("layer '" + overflow + "' does not fit");
        std::int64_t used = 0;
        for (const auto& [node, first] : placed) {
            const std::int64_t n = neuron_count(g, node);
            Tensor ids;
            ids.dtype = NIRB_DTYPE_INT64;
            for (std::int64_t c = first; c < first + (n + per_core - 1) / per_core; ++c)
                ids.values.push_back(static_cast<double>(c));
            ids.shape = {static_cast<std::int64_t>(ids.values.size())};
            used = first + static_cast<std::int64_t>(ids.values.size());
            g.set_metadata(node, "toychip.cores", ids);
        }
        g.set_metadata("", "toychip.cores_used", static_cast<double>(used));
    }
};

std::string report(const Graph& g) {
    std::string out = "toychip: " +
                      std::to_string(static_cast<long long>(
                          g.metadata_number("", "toychip.cores_used").value_or(0))) +
                      " core(s) used\n";
    for (const auto& node : g.execution_order()) {
        if (auto cores = g.metadata_tensor(node, "toychip.cores")) {
            out += "  " + node + ": " + std::to_string(neuron_count(g, node)) +
                   " neuron(s) on core(s)";
            for (double c : cores->values)
                out += " " + std::to_string(static_cast<long long>(c));
            out += "\n";
        }
        if (auto scale = g.metadata_number(node, "toychip.weight_scale"))
            out += "  " + node + ": integer weights, scale " + std::to_string(*scale) + "\n";
    }
    return out;
}

class ToyChip : public nirb::sdk::Plugin {
public:
    ToyChip() : Plugin({"org.nirb.test.toychip", "toy chip", "0.1.0", ">=1.0", {"toychip"}}) {
        add_pass<Check>();
        add_pass<Quantize>();
        add_pass<Map>();
        set_target({"toychip", "toychip.check", "toychip.quantize", "toychip.map", report,
                    "test chip: cores of N neurons, integer weights, LIF/IF after Linear/Affine",
                    "toychip-int8"});
    }
};

} // namespace

NIRB_PLUGIN(ToyChip)
