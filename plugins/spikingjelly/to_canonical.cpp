// spikingjelly.to-canonical: SpikingJelly 2.0.0's NIR encoding -> the canonical reading.
//
// SpikingJelly's export_to_nir (nir_exchange/to_nir.py) already writes spec-conforming ODE
// fields for forward Euler at its dt (default 1e-4; SpikingJelly's own tau is in steps and is
// written as tau * dt): LIFNode r = 1 (decay_input=True, gain 1/tau) or r = tau (gain 1) with
// v_leak = v_reset, IFNode r = 1/dt, CUBALIFNode r = tau_mem/dt and w_in = tau_syn/dt (both
// gains 1, the membrane reads the new current). What the file cannot say is made explicit:
// dt, membranes starting at v_reset, and the >= comparator, which becomes the canonical > by
// moving each threshold to the next float32 below it (exact for float32 membranes: v >= t
// holds exactly when v > the float32 just below t).
#include "passes.hpp"

namespace nirb::plugins::spikingjelly {

namespace {

bool spiking(const std::string& type) {
    return type == "LIF" || type == "CubaLIF" || type == "IF";
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("spikingjelly.to-canonical",
               "SpikingJelly's NIR encoding -> canonical reading + discrete semantics (dt, "
               "initial state, >= comparator)") {
        add_number("dt", 1e-4,
                   "dt passed to export_to_nir (default 1e-4; SpikingJelly writes tau_steps * dt)")
            .min(1e-12);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        Semantics base;
        base.initial_state = canonical::InitialState::VReset;
        mark_canonical(g, "spikingjelly", o.number("dt"), base);
        int neurons = 0;
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t == "AvgPool2d")
                expand_pool_pairs(g, n);
            if (!spiking(t))
                continue;
            ++neurons;
            const auto count = neuron_count(g, n);
            set_values(g, n, "v_threshold",
                       next_float32(values(g, n, "v_threshold", count, 0), false),
                       neuron_shape(g, n));
            set_node_semantics(g, n, base);
        }
        diag.note("canonical: dt = " + format_number(o.number("dt")) +
                  " s, states start at v_reset, the >= comparator of " + std::to_string(neurons) +
                  " spiking layer(s) as > against the next float32 below each threshold");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::spikingjelly
