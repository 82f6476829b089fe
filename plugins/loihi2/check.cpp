// loihi2.check: every design-rule violation, one coded error per node and rule, each with the
// limit and the value found. The rules and their sources are in README.md ("Design rules").
#include "loihi2.hpp"

#include "messages.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace nirb::plugins::loihi2 {
namespace {

using targets::violation;
const auto num = targets::number_text;

bool uniform(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
}

/// A parameter that Lava's LIF holds as one value per process (du, dv, vth).
void check_uniform(const Graph& g, const std::string& node, const char* field, const char* lava_var,
                   Diagnostics& d) {
    if (!g.has_param(node, field))
        return;
    const auto v = g.param(node, field).values;
    if (!v.empty() && !uniform(v))
        d.error(violation(std::string(field) +
                              " must be the same for every neuron of a layer "
                              "(Lava's LIF holds one " +
                              lava_var + " per process)",
                          "1 distinct value",
                          std::to_string(std::set<double>(v.begin(), v.end()).size()) +
                              " distinct values"),
                node, "LOIHI2-E007");
}

void check_neuron(const Graph& g, const std::string& node, double dt, Diagnostics& d) {
    const std::string type = g.type(node);
    bool fed = false;
    for (const auto& src : sdk::predecessors(g, node)) {
        const std::string t = g.type(src);
        if (t != "Linear" && t != "Affine")
            d.error(violation(type + " may only be fed by Linear/Affine layers (a LIF's a_in "
                                     "comes from Dense processes)",
                              "Linear or Affine", t + " '" + src + "'"),
                    node, "LOIHI2-E002");
        else
            fed = true;
        if (type == "CubaLIF" && t == "Affine") {
            const auto b = g.param(src, "bias").values;
            if (std::any_of(b.begin(), b.end(), [](double x) { return x != 0; }))
                d.error(violation("an Affine bias feeding a CubaLIF: Loihi 2 adds the bias to "
                                  "the voltage, not to the current",
                                  "bias 0", "nonzero bias in '" + src + "'"),
                        node, "LOIHI2-E006");
        }
    }
    if (!fed)
        d.error(violation(type + " has no Linear/Affine input", "at least 1", "0"), node,
                "LOIHI2-E002");
    if (g.has_param(node, "v_reset")) {
        const auto r = g.param(node, "v_reset").values;
        if (std::any_of(r.begin(), r.end(), [](double x) { return x != 0; }))
            d.error(violation("v_reset must be 0 (the LIF resets v to 0)", "0",
                              num(*std::max_element(
                                  r.begin(), r.end(),
                                  [](double a, double b) { return std::abs(a) < std::abs(b); }))),
                    node, "LOIHI2-E004");
    }
    for (const char* tau : {"tau", "tau_mem", "tau_syn"}) {
        if (!g.has_param(node, tau))
            continue;
        for (double t : g.param(node, tau).values)
            if (!(t >= dt)) {
                d.error(violation(std::string(tau) + " shorter than dt: the decay dt/tau is "
                                                     "above 1 (du, dv are at most 4096/4096)",
                                  "tau >= dt = " + num(dt), num(t)),
                        node, "LOIHI2-E005");
                break;
            }
    }
    const auto th = g.param(node, "v_threshold").values;
    if (std::any_of(th.begin(), th.end(), [](double x) { return !(x > 0); }))
        d.error(violation("v_threshold must be > 0 (vth is an unsigned 17-bit value)", "> 0",
                          num(*std::min_element(th.begin(), th.end()))),
                node, "LOIHI2-E008");
    check_uniform(g, node, "v_threshold", "vth", d);
    check_uniform(g, node, type == "LIF" ? "tau" : "tau_mem", "dv", d);
    check_uniform(g, node, "tau_syn", "du", d);
}

void check_weight_layer(const Graph& g, const std::string& node, Diagnostics& d) {
    const Tensor w = g.param(node, "weight");
    if (w.shape.size() != 2)
        d.error(violation("weights must be a matrix (Dense)", "2 dimensions",
                          std::to_string(w.shape.size())),
                node, "LOIHI2-E009");
    for (const auto& src : sdk::predecessors(g, node)) {
        const std::string t = g.type(src);
        if (t != "Input" && !is_mapped_neuron(t))
            d.error(violation("a Dense receives spikes: its input must be an Input or a "
                              "spiking neuron layer (two weight layers in a row, or a "
                              "non-spiking source)",
                              "Input, LIF, CubaLIF or IF", t + " '" + src + "'"),
                    node, "LOIHI2-E003");
    }
    for (const auto& dst : sdk::successors(g, node))
        if (!is_mapped_neuron(g.type(dst)))
            d.error(violation("a Dense must feed a neuron layer", "LIF, CubaLIF or IF",
                              g.type(dst) + " '" + dst + "'"),
                    node, "LOIHI2-E003");
}

/// Capacity: cores needed per population within the core limits, in execution order.
void check_capacity(const Graph& g, const CoreLimits& lim, Diagnostics& d) {
    std::int64_t used = 0;
    bool full = false;
    for (const auto& p : populations(g)) {
        if (p.fan_in > lim.synapses_per_core) {
            d.error(violation("one neuron's synapses exceed a core's synapse memory",
                              std::to_string(lim.synapses_per_core) + " synapses per core",
                              std::to_string(p.fan_in) + " synapses"),
                    p.node, "LOIHI2-E010");
            continue;
        }
        const std::int64_t per_core =
            std::min(lim.neurons_per_core,
                     p.fan_in > 0 ? lim.synapses_per_core / p.fan_in : lim.neurons_per_core);
        used += (p.neurons + per_core - 1) / per_core;
        if (used > lim.cores && !full) {
            full = true;
            d.error(violation("the chip's cores are full at this layer",
                              std::to_string(lim.cores) + " cores",
                              std::to_string(used) + " cores needed so far"),
                    p.node, "LOIHI2-E011");
        }
    }
}

} // namespace

Check::Check() : CoreLimitedPass("loihi2.check", "Loihi 2 design rules (every violation)") {
    add_number("dt", 0, "Step length in seconds (0: the graph's nirb.dt, else 1e-3)").min(0);
}

void Check::run(Graph& g, const Options& o, Diagnostics& d) {
    const double dt = quantize_dt(g, o.number("dt"));
    for (const auto& node : g.nodes()) {
        const std::string type = g.type(node);
        if (type == "Input" || type == "Output")
            continue;
        if (is_mapped_neuron(type))
            check_neuron(g, node, dt, d);
        else if (type == "Linear" || type == "Affine")
            check_weight_layer(g, node, d);
        else
            d.error(violation("no Loihi 2 unit for this primitive in this target",
                              "Input, Output, Linear, Affine, LIF, CubaLIF, IF", type),
                    node, "LOIHI2-E001");
    }
    check_capacity(g, core_limits(o), d);
}

} // namespace nirb::plugins::loihi2
