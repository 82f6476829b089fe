// Speck / DYNAP-CNN (SynSense) as a "nirb.target/1" plugin: speck.check (design rules, every
// violation), speck.quantize (sinabs' discretisation), speck.map (one layer per core, the
// assignment respecting each core's kernel, neuron and bias memory, as sinabs'
// get_valid_mapping) and the report. docs/targets/speck.md documents rules and formulas.
#include "embedded_profiles.hpp"
#include "layers.hpp"
#include "target_support/core_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

namespace speck {

void add_quantize(nirb::sdk::Plugin& p);
std::string layer_config(const Graph& g, const Layer& l, const std::vector<Layer>& layers,
                         const std::vector<int>& cores);

namespace {

constexpr std::int64_t K = 1024;
const std::int64_t k_kernel_mem[9] = {16 * K, 16 * K, 16 * K, 32 * K, 32 * K,
                                      64 * K, 64 * K, 16 * K, 16 * K};
const std::int64_t k_neuron_mem[9] = {64 * K, 64 * K, 64 * K, 32 * K, 32 * K,
                                      16 * K, 16 * K, 16 * K, 16 * K};
constexpr std::int64_t k_bias_mem = 1024;
const char* k_unchecked = " [sinabs 3.1.3 does not refuse this]";

std::int64_t ceil_log2(std::int64_t n) {
    std::int64_t b = 0;
    while ((std::int64_t{1} << b) < n)
        ++b;
    return b;
}

/// Memory of one layer in entries (sinabs' DynapcnnLayer.memory_summary).
struct Memory {
    std::int64_t kernel = 0, neuron = 0, bias = 0;
};

Memory memory_of(const Graph& g, const Layer& l) {
    const Tensor w = g.param(l.weight, "weight");
    std::int64_t c = 1, f = w.shape.at(0), k = 1, fy = 1, fx = 1;
    if (g.type(l.weight) == "Conv2d") {
        c = w.shape.at(1);
        k = w.shape.at(2) * w.shape.at(3);
        if (auto out = g.inferred_shape(l.weight); out && out->size() == 3) {
            fy = (*out)[1];
            fx = (*out)[2];
        }
    } else {
        c = w.shape.at(1);
        const auto pred = nirb::sdk::predecessors(g, l.weight);
        if (pred.size() == 1 && g.type(pred.front()) == "Flatten")
            if (auto in = g.inferred_shape(pred.front(), false); in && in->size() == 3) {
                c = (*in)[0]; // sinabs maps Linear after Flatten to a conv of kernel H x W
                k = (*in)[1] * (*in)[2];
            }
    }
    Memory m;
    m.kernel = c * (std::int64_t{1} << (ceil_log2(k) + ceil_log2(f)));
    m.neuron = f * (std::int64_t{1} << (ceil_log2(fy) + ceil_log2(fx)));
    m.bias = g.has_param(l.weight, "bias") ? f : 0;
    return m;
}

bool fits(const Memory& m, int core) {
    return m.kernel <= k_kernel_mem[core] && m.neuron <= k_neuron_mem[core] && m.bias <= k_bias_mem;
}

/// Layers to cores as sinabs' get_valid_mapping does it (mapping.py): Edmonds-Karp max flow
/// source -> layer -> core -> sink, breadth-first in the same edge order, so the same
/// assignment comes out, not only a valid one. Core per layer, or -1 where none is left.
std::vector<int> assign_cores(const std::vector<Memory>& mem) {
    struct Edge {
        std::size_t to, rev;
        int cap, flow = 0;
    };
    const std::size_t layers = mem.size(), sink = layers + 10;
    std::vector<std::vector<Edge>> g(layers + 11);
    auto add = [&](std::size_t a, std::size_t b) {
        g[a].push_back({b, g[b].size(), 1});
        g[b].push_back({a, g[a].size() - 1, 0});
    };
    for (std::size_t l = 0; l < layers; ++l)
        add(0, l + 1);
    for (std::size_t l = 0; l < layers; ++l)
        for (int c = 0; c < 9; ++c)
            if (fits(mem[l], c))
                add(l + 1, layers + 1 + c);
    for (int c = 0; c < 9; ++c)
        add(layers + 1 + c, sink);
    for (;;) {
        std::vector<std::pair<std::size_t, std::size_t>> pred(g.size(), {SIZE_MAX, 0});
        std::vector<std::size_t> queue{0};
        for (std::size_t q = 0; q < queue.size(); ++q)
            for (std::size_t e = 0; e < g[queue[q]].size(); ++e) {
                const Edge& edge = g[queue[q]][e];
                if (pred[edge.to].first == SIZE_MAX && edge.to != 0 && edge.cap > edge.flow) {
                    pred[edge.to] = {queue[q], e};
                    queue.push_back(edge.to);
                }
            }
        if (pred[sink].first == SIZE_MAX)
            break;
        for (std::size_t at = sink; at != 0; at = pred[at].first) {
            Edge& edge = g[pred[at].first][pred[at].second];
            ++edge.flow;
            --g[edge.to][edge.rev].flow;
        }
    }
    std::vector<int> core_of(layers, -1);
    for (std::size_t l = 0; l < layers; ++l)
        for (const Edge& edge : g[l + 1])
            if (edge.flow == 1)
                core_of[l] = static_cast<int>(edge.to - layers - 1);
    return core_of;
}

std::vector<std::int64_t> pair_of(const Graph& g, const std::string& node, const char* field) {
    if (!g.has_param(node, field))
        return {1, 1};
    auto v = g.param(node, field).values;
    if (v.size() == 1)
        v.push_back(v[0]);
    return {static_cast<std::int64_t>(v.at(0)), static_cast<std::int64_t>(v.at(1))};
}

void check_node(const Graph& g, const std::string& node, Diagnostics& d) {
    const std::string type = g.type(node);
    const auto pred = nirb::sdk::predecessors(g, node);
    const auto succ = nirb::sdk::successors(g, node);
    if (type == "Conv2d") {
        const auto w = g.param(node, "weight").shape;
        if (w.size() == 4 && w[2] != w[3])
            d.error("kernels must be square; this one is " + std::to_string(w[2]) + "x" +
                        std::to_string(w[3]),
                    node, "SPECK-E002");
        if (w.size() == 4 && std::max(w[2], w[3]) > 16)
            d.error("kernel " + std::to_string(w[2]) + "x" + std::to_string(w[3]) +
                        " exceeds the chip's 16x16" + k_unchecked,
                    node, "SPECK-E005");
        for (auto s : pair_of(g, node, "stride"))
            if (s != 1 && s != 2 && s != 4 && s != 8) {
                d.error("stride " + std::to_string(s) + " is not 1, 2, 4 or 8 (on each axis)" +
                            k_unchecked,
                        node, "SPECK-E006");
                break;
            }
    }
    if (is_weight_type(type) && (succ.size() != 1 || g.type(succ.front()) != "IF"))
        d.error("weight layers must be followed by IF neurons (one core = weights, IF, pooling)",
                node, "SPECK-E007");
    if (type == "SumPool2d") {
        const auto k = pair_of(g, node, "kernel_size"), s = pair_of(g, node, "stride");
        if (k[0] != k[1])
            d.error("pooling must be square; this one is " + std::to_string(k[0]) + "x" +
                        std::to_string(k[1]),
                    node, "SPECK-E003");
        if (s != k)
            d.error("pool stride " + std::to_string(s[0]) + " must equal its kernel " +
                        std::to_string(k[0]),
                    node, "SPECK-E004");
        if (pred.size() != 1 ||
            (g.type(pred.front()) != "IF" && g.type(pred.front()) != "SumPool2d"))
            d.error("pooling must follow IF neurons or pooling", node, "SPECK-E008");
    }
    if (type == "IF") {
        const auto th = g.param(node, "v_threshold").values;
        if (std::any_of(th.begin(), th.end(), [&](double v) { return v != th[0]; }))
            d.error("one threshold per layer (sinabs' discretisation needs a scalar)", node,
                    "SPECK-E011");
        std::int64_t destinations = 0;
        std::vector<std::string> frontier = {node};
        while (!frontier.empty()) { // count the weight layers reached through pools/flatten
            const std::string at = frontier.back();
            frontier.pop_back();
            for (const auto& s : nirb::sdk::successors(g, at)) {
                const std::string t = g.type(s);
                if (is_weight_type(t))
                    ++destinations;
                else if (t == "SumPool2d" || t == "Flatten")
                    frontier.push_back(s);
            }
        }
        if (destinations > 2)
            d.error("a core sends to at most 2 destinations; this layer feeds " +
                        std::to_string(destinations) + k_unchecked,
                    node, "SPECK-E009");
    }
    static const std::vector<std::string> known = {"Input",  "Output", "Conv2d",    "Linear",
                                                   "Affine", "IF",     "SumPool2d", "Flatten"};
    if (std::find(known.begin(), known.end(), type) == known.end())
        d.error("DYNAP-CNN has no unit for " + type +
                    (type == "LIF" || type == "CubaLIF" ? " (IAF only: no leak)" : "") +
                    (type == "AvgPool2d" ? " (use SumPool2d and scale the next weights)" : ""),
                node, "SPECK-E001");
}

/// Rules of one core that sinabs' DynapcnnNetwork does not check and its stand-alone
/// sinabs.validate_memory_speck.MemorySpeck does: at most 1024 output features (channels),
/// pooling (the layer's pools multiplied, as one destination's pooling) of 1, 2 or 4.
void check_layer(const Graph& g, const Layer& l, Diagnostics& d) {
    const auto w = g.param(l.weight, "weight").shape;
    if (!w.empty() && w[0] > 1024)
        d.error("a core has at most 1024 output features (channels); this layer has " +
                    std::to_string(w[0]) + k_unchecked,
                l.weight, "SPECK-E014");
    std::int64_t pooling = 1;
    for (const auto& p : l.pools)
        pooling *= pair_of(g, p, "kernel_size")[0];
    if (pooling != 1 && pooling != 2 && pooling != 4)
        d.error("a core pools by 1, 2 or 4; the pooling after this layer multiplies to " +
                    std::to_string(pooling) + k_unchecked,
                l.pools.back(), "SPECK-E015");
}

class Check : public nirb::sdk::Pass {
public:
    Check() : Pass("speck.check", "design rules of Speck / DYNAP-CNN (every violation)") {}
    void run(Graph& g, const Options&, Diagnostics& d) override {
        const auto order = g.execution_order();
        for (const auto& node : order)
            check_node(g, node, d);
        std::map<std::string, std::size_t> position;
        for (std::size_t i = 0; i < order.size(); ++i)
            position[order[i]] = i;
        for (const auto& e : g.edges())
            if (position.count(e.src) && position.count(e.dst) &&
                position[e.dst] <= position[e.src])
                d.error("recurrent connection to '" + e.dst + "': the chip is feed-forward", e.src,
                        "SPECK-E010");
        const auto layers = read_layers(g);
        for (const auto& l : layers)
            check_layer(g, l, d);
        if (layers.size() > 9) {
            d.error("more than 9 layers: the chip has 9 cores", layers[9].weight, "SPECK-E012");
            return;
        }
        std::vector<Memory> mem;
        for (const auto& l : layers)
            if (!l.neuron.empty())
                mem.push_back(memory_of(g, l));
        const auto cores = assign_cores(mem);
        for (std::size_t i = 0; i < cores.size(); ++i)
            if (cores[i] < 0)
                d.error("no core left fits this layer (kernel " + std::to_string(mem[i].kernel) +
                            ", neuron " + std::to_string(mem[i].neuron) + ", bias " +
                            std::to_string(mem[i].bias) + " entries)",
                        layers[i].weight, "SPECK-E013");
    }
};

class Map : public nirb::sdk::Pass {
public:
    Map()
        : Pass("speck.map", "one layer per core, within each core's memories; each core's "
                            "layer settings as sinabs computes them") {}
    void run(Graph& g, const Options&, Diagnostics&) override {
        const auto layers = read_layers(g);
        std::vector<Memory> mem;
        for (const auto& l : layers)
            mem.push_back(memory_of(g, l));
        const auto cores = assign_cores(mem);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (cores[i] < 0)
                throw nirb::sdk::invalid_input("layer '" + layers[i].weight + "' fits no core");
            g.set_metadata(layers[i].weight, "speck.core", static_cast<double>(cores[i]));
            g.set_metadata(layers[i].weight, "speck.kernel_memory",
                           static_cast<double>(mem[i].kernel));
            g.set_metadata(layers[i].weight, "speck.neuron_memory",
                           static_cast<double>(mem[i].neuron));
            g.set_metadata(layers[i].weight, "speck.bias_memory", static_cast<double>(mem[i].bias));
        }
        for (std::size_t i = 0; i < layers.size(); ++i)
            g.set_metadata(layers[i].weight, "speck.config",
                           layer_config(g, layers[i], layers, cores));
        g.set_metadata("", "speck.cores_used", static_cast<double>(layers.size()));
        std::vector<nirb::plugins::targets::CoreLoad> loads;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const int c = cores[i];
            loads.push_back({c,
                             layers[i].weight + " -> " + layers[i].neuron,
                             {{"kernel memory", double(mem[i].kernel), double(k_kernel_mem[c])},
                              {"neuron memory", double(mem[i].neuron), double(k_neuron_mem[c])},
                              {"bias memory", double(mem[i].bias), double(k_bias_mem)}}});
        }
        std::sort(loads.begin(), loads.end(),
                  [](const auto& a, const auto& b) { return a.core < b.core; });
        nirb::plugins::targets::store_core_loads(g, "Speck / DYNAP-CNN cores", 9, loads);
        // The quantiser reads the float parameters as sinabs does (docs/targets/speck.md).
        g.set_metadata("", NIRB_META_TARGET_FLOAT_PROFILE, "sinabs");
    }
};

std::string report(const Graph& g) {
    std::string out = "speck: " +
                      std::to_string(static_cast<long long>(
                          g.metadata_number("", "speck.cores_used").value_or(0))) +
                      " of 9 cores\n";
    for (const auto& l : read_layers(g)) {
        const auto core = g.metadata_number(l.weight, "speck.core");
        if (!core)
            continue;
        const int c = static_cast<int>(*core);
        auto n = [&](const char* key) {
            return std::to_string(
                static_cast<long long>(g.metadata_number(l.weight, key).value_or(0)));
        };
        out += "  core " + std::to_string(c) + ": " + l.weight + " -> " + l.neuron + " neurons " +
               std::to_string(nirb::sdk::neuron_count(g, l.neuron)) + ", kernel memory " +
               n("speck.kernel_memory") + "/" + std::to_string(k_kernel_mem[c]) +
               ", neuron memory " + n("speck.neuron_memory") + "/" +
               std::to_string(k_neuron_mem[c]) + ", bias " + n("speck.bias_memory") + "/1024\n";
    }
    return out;
}

class SpeckPlugin : public nirb::sdk::Plugin {
public:
    SpeckPlugin()
        : Plugin(
              {"org.nirb.speck", "Speck / DYNAP-CNN (SynSense)", "0.1.0", ">=1.0 <2", {"speck"}}) {
        add_pass<Check>();
        add_quantize(*this);
        add_pass<Map>();
        nirb::sdk::Target t{
            "speck",          "speck.check",
            "speck.quantize", "speck.map",
            report,           "SynSense Speck / DYNAP-CNN: 9 conv cores, IAF, 8-bit weights",
            "speck"};
        t.profiles_yaml = nirb::plugins::embedded_profiles();
        set_target(std::move(t));
    }
};

} // namespace
} // namespace speck

NIRB_PLUGIN(speck::SpeckPlugin)
