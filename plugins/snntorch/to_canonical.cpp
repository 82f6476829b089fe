// snntorch.to-canonical: snnTorch 1.0.0's NIR encoding -> the canonical reading.
//
// snnTorch's exporter (export_nir.py) already writes spec-conforming ODE parameters for
// dt = 1e-4 (r = tau/dt and w_in = tau_syn/dt make forward Euler give mem = beta*mem + syn),
// and Flatten dims without the batch dim. What the file cannot say is made explicit here:
// dt, the reset mechanism and its timing (options, since they are not exported), and the
// recurrent bias of RLeaky, which snnTorch adds from the first step on (recurrent(0) = b)
// while a NIR back edge delivers nothing before its source fired: the bias is moved onto
// the layer's feed-forward input, which is exact.
#include "passes.hpp"

namespace nirb::plugins::snntorch {

namespace {

/// Move the bias of recurrent Affine `w` (in a 2-cycle with `neuron`) onto the neuron's
/// single feed-forward weight input. Returns false when there is no such input.
bool move_recurrent_bias(Graph& g, const std::string& neuron, const std::string& w) {
    std::vector<std::string> ff;
    for (const auto& p : predecessors(g, neuron))
        if (p != w)
            ff.push_back(p);
    if (ff.size() != 1)
        return false;
    const auto type = g.type(ff[0]);
    if ((type != "Affine" && type != "Linear") || successors(g, ff[0]).size() != 1)
        return false;
    const auto b_rec = g.param(w, "bias");
    const auto rows = g.param(ff[0], "weight").shape.at(0);
    if (b_rec.size() != rows)
        return false;
    auto bias = type == "Affine" ? g.param(ff[0], "bias")
                                 : Tensor::of(std::vector<double>(rows, 0.0), {rows});
    for (std::int64_t i = 0; i < rows; ++i)
        bias.values[i] += b_rec.values[i];
    g.set_type(ff[0], "Affine");
    g.set_param(ff[0], "bias", bias);
    g.remove_param(w, "bias");
    g.set_type(w, "Linear");
    return true;
}

/// The dense node of every 2-cycle neuron <-> Affine/Linear with one input and one output
/// (the shape snnTorch's exporter writes for RLeaky/RSynaptic: "<k>.lif" <-> "<k>.w_rec").
std::vector<std::pair<std::string, std::string>> recurrent_pairs(const Graph& g) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t != "LIF" && t != "CubaLIF")
            continue;
        for (const auto& w : successors(g, n)) {
            const auto wt = g.type(w);
            if ((wt == "Affine" || wt == "Linear") && successors(g, w) == std::vector{n} &&
                predecessors(g, w) == std::vector{n})
                out.emplace_back(n, w);
        }
    }
    return out;
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("snntorch.to-canonical",
               "snnTorch's NIR encoding -> canonical reading + discrete semantics (dt, reset)") {
        add_choice("reset_mechanism", {"subtract", "zero", "none"}, "subtract",
                   "reset_mechanism the snnTorch neurons were built with (not exported)");
        add_bool("reset_delay", true, "reset_delay the neurons were built with (not exported)");
        add_number("dt", 1e-4, "dt the exporter assumed (hard-coded 1e-4 in snnTorch 1.0.0)")
            .min(1e-12);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const auto mechanism = o.string("reset_mechanism");
        const bool delay = o.flag("reset_delay");
        const auto pairs = recurrent_pairs(g);
        for (const auto& [neuron, w] : pairs) {
            if (g.type(w) == "Affine" && !move_recurrent_bias(g, neuron, w)) {
                // A graph-wide key (GraphSemantics): the simulator has one back-edge rule.
                g.set_metadata("", canonical::semantics_meta_key("back_edge_initial"),
                               "zero_input_response");
                diag.warning("recurrent bias kept in the cycle (no single feed-forward Affine "
                             "to move it to): the first step differs on nirtorch importers",
                             w);
            }
        }
        Semantics base;
        base.reset = mechanism == "subtract" ? canonical::ResetMode::Subtract
                     : mechanism == "zero"   ? canonical::ResetMode::ToReset
                                             : canonical::ResetMode::None;
        base.spike_timing =
            delay ? canonical::SpikeTiming::ResetNextStep : canonical::SpikeTiming::SameStep;
        mark_canonical(g, "snntorch", o.number("dt"), base);
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t == "AvgPool2d")
                expand_pool_pairs(g, n);
            if (t != "LIF" && t != "CubaLIF")
                continue;
            Semantics s = base;
            bool recurrent = false;
            for (const auto& p : pairs)
                recurrent = recurrent || p.first == n;
            // Synaptic and RLeaky zero the whole new value, this step's input included.
            if (mechanism == "zero" && delay && (t == "CubaLIF" || recurrent))
                s.reset = canonical::ResetMode::ZeroWithInput;
            set_node_semantics(g, n, s);
        }
        diag.note("canonical: dt = " + format_number(o.number("dt")) + " s, reset " +
                  std::string(canonical::to_string(base.reset)) + ", " +
                  std::string(canonical::to_string(base.spike_timing)) + ", " +
                  std::to_string(pairs.size()) +
                  " recurrent layer(s) in snnTorch's flat 2-cycle form");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::snntorch
