// mlxsnn.to-canonical: mlx-snn 0.5.0's NIR encoding -> the canonical reading.
//
// export_to_nir writes tau = dt/(1-beta) and r = 1/(1-beta) (forward Euler at dt gives
// mem = beta*mem + x, as Leaky does), but CubaLIF w_in = 1 while Synaptic adds the raw input
// (syn = alpha*syn + x: canonical w_in = tau_syn/dt) and IF r = 1 while IF adds the raw input
// (canonical r = 1/dt). Spikes fire on mem - theta >= 0: the thresholds move one float32 step
// down so the canonical `>` compares exactly the same way. What the file cannot say is made
// explicit: dt (export_to_nir keyword, default 1e-4) and reset_mechanism (not exported: a zero
// reset becomes v_reset = 0 with reset to_v_reset).
#include "passes.hpp"

namespace nirb::plugins::mlxsnn {

namespace {

void scale(Graph& g, const std::string& n, const char* name, const std::vector<double>& by) {
    auto v = values(g, n, name, neuron_count(g, n), 1);
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] *= by[i];
    set_values(g, n, name, v, neuron_shape(g, n));
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("mlxsnn.to-canonical",
               "mlx-snn's NIR encoding -> canonical reading + discrete semantics (dt, reset)") {
        add_choice("reset_mechanism", {"subtract", "zero", "none"}, "subtract",
                   "reset_mechanism the mlx-snn neurons were built with (not exported)");
        add_number("dt", 1e-4, "dt passed to export_to_nir (default 1e-4)").min(1e-12);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double dt = o.number("dt");
        const auto mechanism = o.string("reset_mechanism");
        Semantics base;
        base.reset = mechanism == "subtract" ? canonical::ResetMode::Subtract
                     : mechanism == "zero"   ? canonical::ResetMode::ToReset
                                             : canonical::ResetMode::None;
        mark_canonical(g, "mlxsnn", dt, base);
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t != "LIF" && t != "CubaLIF" && t != "IF")
                continue;
            const auto count = neuron_count(g, n);
            const auto shape = neuron_shape(g, n);
            if (t == "CubaLIF") {
                std::vector<double> by;
                for (double ts : values(g, n, "tau_syn", count, 0))
                    by.push_back(ts / dt);
                scale(g, n, "w_in", by);
            }
            if (t == "IF")
                scale(g, n, "r", std::vector<double>(count, 1 / dt));
            set_values(g, n, "v_threshold",
                       step_thresholds(values(g, n, "v_threshold", count, 0), -1), shape);
            set_values(g, n, "v_reset", std::vector<double>(count, 0.0), shape);
        }
        diag.note("canonical: dt = " + format_number(dt) + " s, reset " +
                  std::string(canonical::to_string(base.reset)) +
                  " in the same step, thresholds one float32 step lower (mlx-snn fires on >=)");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::mlxsnn
