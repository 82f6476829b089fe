// scneurocore.to-canonical: SC-NeuroCore 3.16.0's NIR encoding -> the canonical reading.
//
// SC-NeuroCore steps the NIR equations exactly as the canonical reading does (forward Euler,
// input gains r dt/tau and w_in dt/tau_syn, strict >, the membrane reading the new current,
// a one-step delay on back edges), and to_nir writes the node parameters unchanged. What the
// file cannot say is made explicit here: the dt the network ran with (not written; the
// default 1 reads tau in steps), the reset_mode (not written), and the initial state
// (LIF/CubaLIF start at v_leak, IF at 0).
#include "passes.hpp"

namespace nirb::plugins::scneurocore {

namespace {

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("scneurocore.to-canonical",
               "SC-NeuroCore's NIR encoding -> canonical reading + discrete semantics (dt, "
               "reset_mode)") {
        add_number("dt", 1.0, "dt the SCNetwork ran with (from_nir keyword, default 1)").min(1e-12);
        add_choice("reset_mode", {"reset", "subtract"}, "reset",
                   "reset_mode the network was built with (not exported)");
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double dt = o.number("dt");
        Semantics base;
        base.initial_state = canonical::InitialState::VLeak;
        if (o.string("reset_mode") == "subtract")
            base.reset = canonical::ResetMode::Subtract;
        mark_canonical(g, "scneurocore", dt, base);
        for (const auto& n : g.nodes()) {
            if (g.type(n) != "IF")
                continue;
            Semantics s = base;
            s.initial_state = canonical::InitialState::Zero; // SCIFNode starts at 0
            set_node_semantics(g, n, s);
        }
        diag.note("canonical: dt = " + format_number(dt) + " s, reset " +
                  std::string(canonical::to_string(base.reset)) +
                  ", LIF/CubaLIF start at v_leak, IF at 0");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::scneurocore
