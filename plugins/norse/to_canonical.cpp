// norse.to-canonical: Norse 1.1.0's NIR encoding -> the canonical reading.
//
// Norse's to_nir (utils/export_nir.py) writes tau = dt_export / tau_mem_inv (1e-3 times the
// true time constant at the default dt_export = 1e-3), r = 1, w_in = 1 and no dt. Its cells
// step with their own dt (default 1e-3): LIFBoxCell v += dt/tau (x + v_leak - v), LIFCell
// i += x; v += dt/tau_mem (v_leak - v + i); i *= 1 - dt/tau_syn (the current jumps by the raw
// input: per-step synaptic gain 1, i.e. canonical w_in = tau_syn/dt), IAFCell v += x
// (canonical r = 1/dt). States start at v_leak. This pass restores the true time constants
// and writes those gains, so canonical forward Euler at dt reproduces the cells.
#include "passes.hpp"

namespace nirb::plugins::norse {

namespace {

void scale(Graph& g, const std::string& n, const char* name, double factor) {
    auto v = values(g, n, name, neuron_count(g, n), 0);
    for (auto& e : v)
        e *= factor;
    set_values(g, n, name, v, neuron_shape(g, n));
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("norse.to-canonical",
               "Norse's NIR encoding -> canonical reading + discrete semantics (dt, reset)") {
        add_number("dt", 1e-3, "dt the Norse cells ran with (module argument, default 1e-3)")
            .min(1e-12);
        add_number("export_dt", 1e-3,
                   "dt passed to norse.torch.to_nir (it writes "
                   "tau = export_dt / tau_mem_inv)")
            .min(1e-12);
        add_choice("reset_method", {"value", "subtract"}, "value",
                   "LIFBoxCell reset_method the model used (not exported)");
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double dt = o.number("dt");
        const double export_dt = o.number("export_dt");
        Semantics base;
        base.initial_state = canonical::InitialState::VLeak;
        mark_canonical(g, "norse", dt, base);
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            Semantics s = base;
            if (t == "LIF" || t == "LI") {
                scale(g, n, "tau", 1 / export_dt);
                if (t == "LIF" && o.string("reset_method") == "subtract")
                    s.reset = canonical::ResetMode::Subtract;
            } else if (t == "CubaLIF") {
                scale(g, n, "tau_mem", 1 / export_dt);
                scale(g, n, "tau_syn", 1 / export_dt);
                const auto count = neuron_count(g, n);
                auto w_in = values(g, n, "w_in", count, 1);
                const auto ts = values(g, n, "tau_syn", count, 0);
                for (std::int64_t i = 0; i < count; ++i)
                    w_in[i] *= ts[i] / dt;
                set_values(g, n, "w_in", w_in, neuron_shape(g, n));
            } else if (t == "IF") {
                scale(g, n, "r", 1 / dt);
                s.initial_state = canonical::InitialState::VReset;
            } else {
                continue;
            }
            set_node_semantics(g, n, s);
        }
        diag.note("canonical: dt = " + format_number(dt) + " s, tau = file tau / " +
                  format_number(export_dt) + ", states start at v_leak");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::norse
