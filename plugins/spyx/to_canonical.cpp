// spyx.to-canonical: Spyx 1.0.0's NIR encoding -> the canonical reading.
//
// spyx.nir.to_nir (spyx/nir.py) writes tau = dt/(1 - beta), r = beta, v_leak = 0 (IF: r = 1)
// at its dt keyword (default 1), neuron parameters channels-first, and Flatten(start_dim 0)
// of the (C, H, W) shape while Spyx itself flattens channels-last (H, W, C). Its cells
// (spyx/nn.py) step V = clip(beta) V + x - S theta with S = V_prev > theta: gain one, spike
// from the previous membrane, subtraction, zero initial state. This pass writes the gains
// that make canonical forward Euler give the same update (r = tau/dt, IF r = 1/dt), puts
// the dense weights after a Flatten into NIR's channels-first order, marks CuBaLIF's reset
// as subtract_before_decay (V = beta (V - S theta) + I_new), and refuses the recurrent layers
// (their feedback carries the spike of the same step, a NIR back edge the previous one's).
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::spyx {

namespace {

void refuse_inexpressible(const Graph& g) {
    std::string refused;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (g.subgraph(n))
            refused += "\n  " + n +
                       " (recurrent subgraph): Spyx's RIF/RLIF/RCuBaLIF feed back the spike of "
                       "the same step (S_t = V_{t-1} > theta, then V += S_t W), a NIR back edge "
                       "delivers the previous step's";
    }
    if (!refused.empty())
        throw unsupported("spyx.to-canonical cannot read these nodes exactly:" + refused);
}

/// Set `gain` = tau/dt so that gain * dt/tau = 1, clipping tau < dt to dt as from_nir clips
/// 1 - dt/tau to 0. Returns the number of clipped neurons.
int unit_gain(Graph& g, const std::string& n, const char* tau_name, const char* gain, double dt) {
    const auto count = neuron_count(g, n);
    const auto shape = neuron_shape(g, n);
    auto tau = values(g, n, tau_name, count, 0);
    std::vector<double> out;
    int clipped = 0;
    for (auto& x : tau) {
        if (x < dt) {
            x = dt;
            ++clipped;
        }
        out.push_back(x / dt);
    }
    set_values(g, n, tau_name, tau, shape);
    set_values(g, n, gain, out, shape);
    return clipped;
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("spyx.to-canonical",
               "Spyx's NIR encoding -> canonical reading + discrete semantics (dt, spike from "
               "the previous membrane)") {
        add_number("dt", 1.0, "dt passed to spyx.nir.to_nir (it writes tau = dt/(1-beta))")
            .min(1e-12);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        refuse_inexpressible(g);
        const double dt = o.number("dt");
        Semantics base;
        base.spike_timing = canonical::SpikeTiming::PreviousState;
        base.reset = canonical::ResetMode::Subtract;
        base.initial_state = canonical::InitialState::Zero;
        mark_canonical(g, "spyx", dt, base);
        int clipped = 0;
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t != "LIF" && t != "LI" && t != "IF" && t != "CubaLIF")
                continue;
            const auto count = neuron_count(g, n);
            const auto shape = neuron_shape(g, n);
            // Gains making canonical Euler add the raw input (Spyx ignores the r = beta it
            // writes, and w_in): r dt/tau = 1, w_in dt/tau_syn = 1; IF r dt = 1.
            if (t == "IF")
                set_values(g, n, "r", std::vector<double>(count, 1.0 / dt), shape);
            else
                clipped += unit_gain(g, n, t == "CubaLIF" ? "tau_mem" : "tau", "r", dt);
            if (t == "CubaLIF")
                clipped += unit_gain(g, n, "tau_syn", "w_in", dt);
            if (t != "IF")
                set_values(g, n, "v_leak", std::vector<double>(count, 0.0), shape);
            if (t == "LI")
                continue;
            set_values(g, n, "v_reset", std::vector<double>(count, 0.0), shape);
            Semantics s = base;
            if (t == "CubaLIF")
                s.reset = canonical::ResetMode::SubtractBeforeDecay;
            set_node_semantics(g, n, s);
        }
        flatten_columns_to_channels_first(g);
        if (clipped)
            diag.warning(std::to_string(clipped) + " neuron(s) with tau < dt: Spyx clips beta "
                                                   "to 0, read as tau = dt");
        diag.note("canonical: dt = " + format_number(dt) +
                  ", spike from the previous membrane, subtract, states start at 0");
    }
};

} // namespace

void flatten_columns_to_channels_first(Graph& g) {
    for (const auto& f : g.nodes()) {
        if (g.type(f) != "Flatten" || !g.has_param(f, "input_type"))
            continue;
        const auto in = g.param(f, "input_type").values;
        const auto next = successors(g, f);
        if (in.size() != 3 || next.size() != 1)
            continue;
        const auto type = g.type(next[0]);
        if (type != "Affine" && type != "Linear")
            continue;
        const auto c = std::int64_t(in[0]), h = std::int64_t(in[1]), w = std::int64_t(in[2]);
        Tensor weight = g.param(next[0], "weight");
        const auto cols = c * h * w;
        if (weight.shape.size() != 2 || weight.shape[1] != cols)
            continue;
        Tensor out = weight;
        for (std::int64_t row = 0; row < weight.shape[0]; ++row)
            for (std::int64_t k = 0; k < c; ++k)
                for (std::int64_t y = 0; y < h; ++y)
                    for (std::int64_t x = 0; x < w; ++x) {
                        const auto chw = (k * h + y) * w + x;
                        const auto hwc = (y * w + x) * c + k;
                        out.values[row * cols + chw] = weight.values[row * cols + hwc];
                    }
        g.set_param(next[0], "weight", out);
    }
}

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::spyx
