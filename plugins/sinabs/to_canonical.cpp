// sinabs.to-canonical: Sinabs 3.1.3's NIR encoding -> the canonical reading.
//
// sinabs.to_nir writes tau in time steps, r = 1 and v_leak = 0, and nothing of how the layers
// step: exact exponential decay alpha = exp(-1/tau), input gain 1 - alpha (LIF norm_input=True,
// the default; an option, since it is not exported) or 1 (ExpLeak, IAF), several spikes per
// step (floor(v/th) when v >= th) subtracted in the same step, no floor, zero initial state.
// This pass rewrites each neuron into the canonical forward-Euler ODE with the same per-step
// numbers (tau = dt/(1 - alpha), r = gain/(1 - alpha)), marks >= and the multi-spike rule as
// the node's semantics, and writes "single" instead where the spike bound proves that no
// neuron can reach twice its threshold in one step (then both rules give the same spikes).
// Files nir.read rejects (0-d parameters of layers built with a scalar tau or threshold, a
// Conv2d without input_shape, a Flatten without input_type) are repaired with a warning each.
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::sinabs {

namespace {

/// Number of values each neuron node's input carries, from its weight predecessor.
std::optional<std::vector<std::int64_t>> population_shape(const Graph& g, const std::string& n) {
    if (auto shape = g.inferred_shape(n, false); shape && !shape->empty())
        return shape;
    for (const auto& p : predecessors(g, n)) {
        const auto type = g.type(p);
        if (type == "Affine" || type == "Linear")
            return std::vector<std::int64_t>{g.param(p, "weight").shape.at(0)};
    }
    return std::nullopt;
}

/// Broadcast 0-d or one-element neuron parameters to the population (layers built with a
/// scalar tau or threshold: nir.read rejects their 0-d type).
void repair_scalar_parameters(Graph& g, const std::string& n, Diagnostics& diag) {
    const auto shape = population_shape(g, n);
    if (!shape)
        return;
    std::int64_t count = 1;
    for (auto d : *shape)
        count *= d;
    for (const char* name :
         {"tau", "tau_mem", "tau_syn", "r", "v_leak", "v_reset", "v_threshold", "w_in"}) {
        if (!g.has_param(n, name))
            continue;
        const Tensor t = g.param(n, name);
        if (t.size() != 1 || (t.shape == *shape))
            continue;
        set_values(g, n, name, std::vector<double>(count, t.values[0]), *shape);
        diag.warning(std::string("repaired: scalar '") + name + "' broadcast to the " +
                         std::to_string(count) +
                         " neurons its input feeds (nir.read rejects "
                         "the 0-d parameter of a layer built with a scalar)",
                     n);
    }
}

/// Fill the (C, H, W)-derived fields Sinabs leaves empty when types were not inferred.
void repair_missing_shapes(Graph& g, const std::string& n, Diagnostics& diag) {
    const auto type = g.type(n);
    const char* field = type == "Conv2d" ? "input_shape" : type == "Flatten" ? "input_type" : "";
    if (!*field || g.has_param(n, field))
        return;
    const auto chw = input_chw(g, n);
    if (!chw)
        return diag.warning(std::string("'") + field + "' missing and not inferable here", n);
    std::vector<double> dims(chw->begin() + (type == "Conv2d" ? 1 : 0), chw->end());
    const auto rank = static_cast<std::int64_t>(dims.size());
    g.set_param(n, field, Tensor::of(dims, {rank}, NIRB_DTYPE_INT64));
    diag.warning(std::string("repaired: missing '") + field + "' set from the inferred input " +
                     "shape (sinabs.to_nir leaves it empty until nir's type inference runs)",
                 n);
}

double decay(double tau_steps) {
    if (!(tau_steps > 0))
        throw invalid_input("tau must be > 0 (Sinabs time constants are in steps)");
    return std::exp(-1.0 / tau_steps);
}

/// Rewrite one neuron node into the canonical Euler ODE at step `dt` (seconds per step).
void canonical_neuron(Graph& g, const std::string& n, double dt, bool norm_input) {
    const auto type = g.type(n);
    const auto shape = neuron_shape(g, n);
    const auto count = neuron_count(g, n);
    const auto r = values(g, n, "r", count, 1);
    std::vector<double> tau, r_out, tau_syn, w_in;
    if (type == "IF") {
        for (double ri : r)
            r_out.push_back(ri / dt); // canonical IF: v += r dt x; Sinabs IAF: v += x
        return set_values(g, n, "r", r_out, shape);
    }
    const bool cuba = type == "CubaLIF";
    const auto tau_steps = values(g, n, cuba ? "tau_mem" : "tau", count, 0);
    // LIF reads norm_input; ExpLeak (LI) adds its raw input.
    const bool normalised = norm_input && type != "LI";
    for (std::int64_t i = 0; i < count; ++i) {
        const double a = decay(tau_steps[i]);
        tau.push_back(dt / (1 - a));
        r_out.push_back(normalised ? r[i] : r[i] / (1 - a));
    }
    set_values(g, n, cuba ? "tau_mem" : "tau", tau, shape);
    set_values(g, n, "r", r_out, shape);
    if (!cuba)
        return;
    // Sinabs' synapse decays its input before the membrane reads it: i = a_s (i + x).
    const auto ts = values(g, n, "tau_syn", count, 0);
    const auto w = values(g, n, "w_in", count, 1);
    for (std::int64_t i = 0; i < count; ++i) {
        const double a = decay(ts[i]);
        tau_syn.push_back(dt / (1 - a));
        w_in.push_back(w[i] * a / (1 - a));
    }
    set_values(g, n, "tau_syn", tau_syn, shape);
    set_values(g, n, "w_in", w_in, shape);
}

/// The spike bound of a Sinabs-stepped graph as written (before the canonical rewrite).
std::map<std::string, double> native_bounds(const Graph& g, double input_max, bool norm_input) {
    SpikeBoundModel m;
    m.input_max = input_max;
    m.beta = [](const Graph& gr, const std::string& n) {
        const auto count = neuron_count(gr, n);
        if (gr.type(n) == "IF")
            return std::vector<double>(count, 1.0);
        std::vector<double> out;
        for (double t : values(gr, n, gr.type(n) == "CubaLIF" ? "tau_mem" : "tau", count, 0))
            out.push_back(decay(t));
        return out;
    };
    m.gain = [norm_input, beta = m.beta](const Graph& gr, const std::string& n) {
        auto b = beta(gr, n);
        for (auto& x : b)
            x = norm_input && gr.type(n) == "LIF" ? 1 - x : 1.0;
        return b;
    };
    return spike_bounds(g, m);
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("sinabs.to-canonical",
               "Sinabs's NIR encoding (tau in steps, exact decay, multi-spike) -> canonical "
               "reading + discrete semantics") {
        add_number("dt", 1e-3, "seconds per Sinabs time step (Sinabs has no dt: tau is in steps)")
            .min(1e-12);
        add_bool("norm_input", true,
                 "norm_input the LIF layers were built with (not exported; Sinabs' default "
                 "true gives the input gain 1 - alpha)");
        add_choice("min_v_mem", {"none", "-threshold"}, "none",
                   "min_v_mem the IAF layers were built with (not exported; from_nir builds "
                   "-threshold)");
        add_number("input_max", 1.0,
                   "largest input value per step and element (1: spikes) for the proof that "
                   "no neuron spikes twice in a step")
            .min(0);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double dt = o.number("dt");
        const bool norm_input = o.flag("norm_input");
        for (const auto& n : g.nodes()) {
            if (is_neuron(g.type(n)))
                repair_scalar_parameters(g, n, diag);
            repair_missing_shapes(g, n, diag);
        }
        const auto bounds = native_bounds(g, o.number("input_max"), norm_input);
        Semantics base;
        base.comparator = canonical::Comparator::GreaterEqual;
        base.spikes_per_step = canonical::SpikesPerStep::Multiple;
        base.reset = canonical::ResetMode::Subtract;
        mark_canonical(g, "sinabs", dt, base);
        int single = 0, multiple = 0;
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t == "SumPool2d" || t == "AvgPool2d")
                expand_pool_pairs(g, n);
            if (!is_neuron(t))
                continue;
            canonical_neuron(g, n, dt, norm_input);
            const auto it = bounds.find(n);
            if (it == bounds.end())
                continue;
            Semantics s = base;
            if (t == "IF" && o.string("min_v_mem") == "-threshold")
                s.lower_clamp = canonical::LowerClamp::MinusThreshold;
            if (it->second <= 1) {
                s.spikes_per_step = canonical::SpikesPerStep::Single;
                ++single;
            } else {
                ++multiple;
            }
            set_node_semantics(g, n, s);
        }
        diag.note("canonical: dt = " + format_number(dt) + " s per Sinabs step, " +
                  (norm_input ? "LIF input gain 1 - alpha" : "LIF input gain 1") +
                  ", subtract reset in the same step, v >= threshold; " + std::to_string(single) +
                  " spiking layer(s) proven to spike at most once per step (inputs <= " +
                  format_number(o.number("input_max")) + "), " + std::to_string(multiple) +
                  " may spike several times");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::sinabs
