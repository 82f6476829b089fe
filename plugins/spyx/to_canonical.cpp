// spyx.to-canonical: Spyx 1.0.0's NIR encoding -> the canonical reading.
//
// spyx.nir.to_nir (spyx/nir.py) writes tau = dt/(1 - beta), r = beta, v_leak = 0 (IF: r = 1)
// at its dt keyword (default 1), neuron parameters channels-first, and Flatten(start_dim 0)
// of the (C, H, W) shape while Spyx itself flattens channels-last (H, W, C). Its cells
// (spyx/nn.py) step V = clip(beta) V + x - S theta with S = V_prev > theta: gain one, spike
// from the previous membrane, subtraction, zero initial state. This pass writes the gains
// that make canonical forward Euler give the same update (r = tau/dt, IF r = 1/dt), puts
// the dense weights after a Flatten into NIR's channels-first order and marks CuBaLIF's
// reset as subtract_before_decay (V = beta (V - S theta) + I_new).
//
// Recurrent layers (RIF/RLIF/RCuBaLIF) are written as the subgraph input -> w_rec <-> lif ->
// output, but Spyx runs V_t = beta V_{t-1} + x_t + W S_t - theta S_t with S_t = V_{t-1} >
// theta: the input does not pass w_rec, and the feedback carries the spike emitted in the
// same step. With z_t = V_t > theta that spike is z_{t-1}, so the layer is exactly a
// reset_next_step neuron (its subtraction R = z_{t-1}, z_t = V_t > theta) whose back edge
// W delivers z_{t-1}, followed by a one-step Delay (the layer outputs S_t = z_{t-1}). The
// subgraph is rewired to input -> lif <-> w_rec, lif -> delay -> output.
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::spyx {

namespace {

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

/// What the pass counts while it reads the graph's neurons.
struct Reading {
    double dt = 1;
    Semantics base;
    int clipped = 0;
};

/// Canonical parameters and semantics of Spyx neuron `n` of graph `g` (the root graph or a
/// recurrent subgraph); `recurrent`: the spike is taken from the reset_next_step neuron that
/// the layer's Delay follows.
void read_neuron(Graph& g, const std::string& n, Reading& r, bool recurrent) {
    const auto t = g.type(n);
    const auto count = neuron_count(g, n);
    const auto shape = neuron_shape(g, n);
    // Gains making canonical Euler add the raw input (Spyx ignores the r = beta it
    // writes, and w_in): r dt/tau = 1, w_in dt/tau_syn = 1; IF r dt = 1.
    if (t == "IF")
        set_values(g, n, "r", std::vector<double>(count, 1.0 / r.dt), shape);
    else
        r.clipped += unit_gain(g, n, t == "CubaLIF" ? "tau_mem" : "tau", "r", r.dt);
    if (t == "CubaLIF")
        r.clipped += unit_gain(g, n, "tau_syn", "w_in", r.dt);
    if (t != "IF")
        set_values(g, n, "v_leak", std::vector<double>(count, 0.0), shape);
    if (t == "LI")
        return;
    set_values(g, n, "v_reset", std::vector<double>(count, 0.0), shape);
    Semantics s = r.base;
    if (t == "CubaLIF")
        s.reset = canonical::ResetMode::SubtractBeforeDecay;
    if (recurrent)
        s.spike_timing = canonical::SpikeTiming::ResetNextStep;
    set_node_semantics(g, n, s);
}

/// Spyx's recurrent subgraph `layer` (input -> w_rec <-> lif -> output) rewired to what Spyx
/// runs: input -> lif <-> w_rec, lif -> delay (one step) -> output.
void read_recurrent(Graph& root, const std::string& layer, Reading& r) {
    auto sub = *root.subgraph(layer);
    std::string in, out, neuron, weight;
    for (const auto& n : sub.nodes()) {
        const auto t = sub.type(n);
        (t == "Input" ? in : t == "Output" ? out : spiking_neuron(t) ? neuron : weight) = n;
    }
    const auto edges = sub.edges();
    auto has = [&](const std::string& a, const std::string& b) {
        return std::any_of(edges.begin(), edges.end(),
                           [&](const Edge& e) { return e.src == a && e.dst == b; });
    };
    const bool spyx_shape = sub.nodes().size() == 4 && edges.size() == 4 && !in.empty() &&
                            !out.empty() && !neuron.empty() && !weight.empty() &&
                            sub.type(weight) == "Linear" && has(in, weight) &&
                            has(weight, neuron) && has(neuron, weight) && has(neuron, out);
    if (!spyx_shape)
        throw unsupported("spyx.to-canonical cannot read these nodes exactly:\n  " + layer +
                          " (subgraph): not the recurrent subgraph spyx.nir.to_nir writes "
                          "(input -> w_rec <-> lif -> output with an IF/LIF/CubaLIF and a "
                          "Linear)");
    const std::string delay = layer + ".delay";
    sub.disconnect(in, weight);
    sub.disconnect(neuron, out);
    sub.add_node(delay, "Delay");
    const auto shape = neuron_shape(sub, neuron);
    set_values(sub, delay, "delay", std::vector<double>(neuron_count(sub, neuron), r.dt), shape);
    sub.connect(in, neuron);
    sub.connect(neuron, delay);
    sub.connect(delay, out);
    read_neuron(sub, neuron, r, true);
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
        Reading r;
        r.dt = o.number("dt");
        r.base.spike_timing = canonical::SpikeTiming::PreviousState;
        r.base.reset = canonical::ResetMode::Subtract;
        r.base.initial_state = canonical::InitialState::Zero;
        mark_canonical(g, "spyx", r.dt, r.base);
        int recurrent = 0;
        for (const auto& n : g.nodes()) {
            if (g.subgraph(n)) {
                read_recurrent(g, n, r);
                ++recurrent;
            } else if (spiking_neuron(g.type(n)) || g.type(n) == "LI") {
                read_neuron(g, n, r, false);
            }
        }
        flatten_columns_to_channels_first(g);
        if (r.clipped)
            diag.warning(std::to_string(r.clipped) + " neuron(s) with tau < dt: Spyx clips beta "
                                                     "to 0, read as tau = dt");
        diag.note("canonical: dt = " + format_number(r.dt) +
                  ", spike from the previous membrane, subtract, states start at 0" +
                  (recurrent ? "; " + std::to_string(recurrent) +
                                   " recurrent layer(s) as a reset_next_step neuron with its "
                                   "back edge, then a one-step Delay"
                             : ""));
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
