// spinnaker2.check: the constraints s2_nir enforces (with its error texts, quoted in
// README.md) and those it silently ignores (v_reset), every violation with limit and value.
#include "spinnaker2.hpp"

#include "messages.hpp"

#include "placement.hpp"

#include <algorithm>
#include <sstream>

namespace nirb::plugins::spinnaker2 {
namespace {

using targets::violation;

std::string ints(const std::vector<double>& v) {
    std::ostringstream s;
    for (std::size_t i = 0; i < v.size(); ++i)
        s << (i ? "," : "") << v[i];
    return "[" + s.str() + "]";
}

bool supported(const std::string& type) {
    return is_population(type) || is_weight(type) || type == "Input" || type == "Output" ||
           type == "SumPool2d" || type == "Flatten";
}

void check_pool(const Graph& g, const std::string& node, Diagnostics& d) {
    for (const auto& next : sdk::successors(g, node)) {
        const std::string t = g.type(next);
        bool ok = t == "Conv2d" || is_population(t);
        if (t == "Flatten") {
            const auto after = sdk::successors(g, next);
            ok = !after.empty() && std::all_of(after.begin(), after.end(), [&](const auto& a) {
                return g.type(a) == "Affine";
            });
        }
        if (!ok)
            d.error(violation("SumPool2d can only be connected to Conv2d, a neuron layer or "
                              "Flatten followed by Affine",
                              "Conv2d, LIF/IF/CubaLIF, Flatten->Affine", t + " '" + next + "'"),
                    node, "S2-E005");
    }
    const auto k = g.param(node, "kernel_size").values;
    const auto s = g.param(node, "stride").values;
    const auto p =
        g.has_param(node, "padding") ? g.param(node, "padding").values : std::vector<double>{0};
    if (k != s || std::any_of(p.begin(), p.end(), [](double x) { return x != 0; }))
        d.error(
            violation("pooling is fused into the next projection: kernel_size == stride, "
                      "padding 0",
                      "kernel_size = stride, padding 0",
                      "kernel_size " + ints(k) + ", stride " + ints(s) + ", padding " + ints(p)),
            node, "S2-E006");
}

void check_population(const Graph& g, const std::string& node, Diagnostics& d) {
    const std::string type = g.type(node);
    for (const auto& src : sdk::predecessors(g, node)) {
        const std::string t = g.type(src);
        if (type == "CubaLIF" && t == "Conv2d")
            d.error(violation("Conv2d with CubaLIF is currently not supported",
                              "LIF or IF after Conv2d", "CubaLIF after '" + src + "'"),
                    node, "S2-E002");
        if (t == "Input")
            d.error(violation("direct connections from spike source nodes to neuron nodes are "
                              "not supported",
                              "a weight layer in between", "Input '" + src + "'"),
                    node, "S2-E004");
    }
    if (g.has_param(node, "v_reset")) {
        const auto r = g.param(node, "v_reset").values;
        if (std::any_of(r.begin(), r.end(), [](double x) { return x != 0; }))
            d.error(violation("v_reset is ignored by s2_nir (one global reset: to 0 or by "
                              "subtraction)",
                              "0", "nonzero"),
                    node, "S2-E008");
    }
}

} // namespace

Check::Check()
    : CoreLimitedPass("spinnaker2.check", "SpiNNaker2 (s2_nir) mapping rules, every violation") {}

void Check::run(Graph& g, const Options& o, Diagnostics& d) {
    for (const auto& node : g.nodes()) {
        const std::string type = g.type(node);
        if (!supported(type)) {
            d.error(violation("s2_nir has no conversion for this node type (NotImplementedError)",
                              "Input, Output, Affine, Linear, Conv2d, SumPool2d, Flatten, LIF, "
                              "IF, CubaLIF",
                              type),
                    node, "S2-E001");
            continue;
        }
        if (type == "Input") {
            const auto shape = g.param(node, "shape").values;
            if (shape.size() != 1 && shape.size() != 3)
                d.error(violation("only 1d or 3d input allowed", "1 or 3 dimensions",
                                  std::to_string(shape.size())),
                        node, "S2-E007");
        } else if (is_population(type)) {
            check_population(g, node, d);
        } else if (is_weight(type)) {
            for (const auto& src : sdk::predecessors(g, node))
                if (is_weight(g.type(src)))
                    d.error(violation("two successive layers with weights are not supported",
                                      "a neuron layer between weight layers",
                                      g.type(src) + " '" + src + "' and " + type),
                            node, "S2-E003");
        } else if (type == "SumPool2d") {
            check_pool(g, node, d);
        }
    }
    std::vector<targets::PopulationSize> sizes;
    for (const auto& node : g.execution_order())
        if (is_population(g.type(node)) && supported(g.type(node)))
            sizes.push_back({node, sdk::neuron_count(g, node), 0, 0});
    const auto placed =
        targets::place(sizes, {o.integer("cores"), o.integer("neurons_per_core"), 0});
    if (!placed.overflow.empty())
        d.error(violation("the chip's processing elements are full at this layer",
                          std::to_string(o.integer("cores")) + " cores", "more needed"),
                placed.overflow, "S2-E009");
}

} // namespace nirb::plugins::spinnaker2
