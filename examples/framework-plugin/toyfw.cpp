// An out-of-tree framework plugin for the imaginary framework "toyfw", built against the
// installed nirbridge SDK only (Makefile: pkg-config nirb-sdk). It gets the same contract as
// the first-party plugins: the canonical metadata, the from-canonical skeleton, the verdict,
// profile registration and `nirb convert --verify`.
//
// toyfw's dialect: LIF nodes only, tau in steps (so the file's tau is 1/(1 - decay)), r = 1
// with the input gain folded into the incoming weights (into the threshold when the inputs
// cannot take it: the membrane is then kept in units of r), and a spike subtracts the
// threshold one step late. Its loader takes the real-time step length:
// toyfw.load(path, dt=...).
#include <nirb/sdk/framework.hpp>

using namespace nirb::sdk;
namespace canonical = nirb::canonical;

namespace {

/// The profile (toyfw.yaml, embedded by the Makefile).
const char* const k_profiles =
#include "profiles.inc"
    ;

/// toyfw.to-canonical: tau in steps -> tau in seconds at the dt toyfw ran with.
class ToCanonical : public Pass {
public:
    ToCanonical() : Pass("toyfw.to-canonical", "toyfw's NIR encoding -> canonical reading") {
        add_number("dt", 1e-3, "seconds per toyfw step (toyfw.load's dt)").min(1e-12);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double dt = o.number("dt");
        canonical::Semantics toyfw; // what every toyfw neuron does besides the NIR equations
        toyfw.reset = canonical::ResetMode::Subtract;
        toyfw.spike_timing = canonical::SpikeTiming::ResetNextStep;
        mark_canonical(g, "toyfw", dt, toyfw);
        for (const auto& n : g.nodes()) {
            if (g.type(n) != "LIF")
                continue;
            auto tau = values(g, n, "tau", neuron_count(g, n), 0);
            for (auto& t : tau)
                t *= dt;
            set_values(g, n, "tau", tau, neuron_shape(g, n));
            set_node_semantics(g, n, toyfw);
        }
        diag.note("canonical: dt = " + format_number(dt) + " s, tau = steps * dt");
    }
};

/// A LIF -> toyfw's LIF: same per-step decay, input gain r folded into the weights or the
/// threshold.
void convert_lif(FromCanonicalRun<std::monostate>& r, const std::string& n) {
    const canonical::Semantics s = r.semantics(n);
    if (s.reset != canonical::ResetMode::Subtract)
        return r.verdict.impossible(n, "reset " + std::string(canonical::to_string(s.reset)) +
                                           ": toyfw only subtracts the threshold");
    if (s.spike_timing != canonical::SpikeTiming::ResetNextStep)
        return r.verdict.impossible(n, "spike timing " +
                                           std::string(canonical::to_string(s.spike_timing)) +
                                           ": toyfw resets one step after the spike");
    const auto count = neuron_count(r.g, n);
    if (!all_close(values(r.g, n, "v_leak", count, 0), 0.0, 0))
        return r.verdict.impossible(n, "v_leak != 0: toyfw leaks towards 0");
    const auto k = coefficients(r.g, n, r.dt);
    std::vector<double> steps, gain; // tau in steps; the source's r at its own dt
    for (std::int64_t i = 0; i < count; ++i) {
        steps.push_back(1 / (1 - k.beta[i]));
        gain.push_back(k.gain[i] * steps.back());
    }
    const auto shape = neuron_shape(r.g, n);
    std::string why;
    if (fold_input_gains(r.g, n, gain, why)) {
        r.verdict.note(n, "r folded into the incoming weights, tau in steps");
    } else { // keep the membrane in units of r instead
        auto threshold = values(r.g, n, "v_threshold", count, 0);
        for (std::int64_t i = 0; i < count; ++i)
            threshold[i] /= gain[i];
        set_values(r.g, n, "v_threshold", threshold, shape);
        r.verdict.note(n, "r folded into the threshold (" + why + "), tau in steps");
    }
    set_values(r.g, n, "tau", steps, shape);
    set_values(r.g, n, "r", std::vector<double>(count, 1.0), shape);
    set_values(r.g, n, "v_reset", std::vector<double>(count, 0.0), shape);
}

/// toyfw.from-canonical: what toyfw.load rebuilds faithfully.
class FromCanonical : public FromCanonicalPass<> {
public:
    FromCanonical()
        : FromCanonicalPass("toyfw.from-canonical", "canonical reading -> toyfw's encoding",
                            "toyfw.load") {
        convert("LIF", convert_lif);
        keep({"Input", "Output", "Affine", "Linear"});
        handles({"reset", "spike_timing"}); // the rest must be canonical (checked for us)
    }

    void finish(Run& r) override {
        r.set_target("toyfw", 1.0); // the profile steps in steps
        r.import_argument("dt", r.dt);
    }
};

/// toyfw files: every LIF has r = 1 and tau of at least one step (seconds would be < 1).
double fingerprint(const Graph& g, std::string& evidence) {
    int neurons = 0, hits = 0;
    for (const auto& n : g.nodes()) {
        const auto type = g.type(n);
        if (!is_neuron(type))
            continue;
        ++neurons;
        const auto count = neuron_count(g, n);
        const auto tau = values(g, n, "tau", count, 0);
        const bool hit = type == "LIF" && all_close(values(g, n, "r", count, 1), 1.0) &&
                         *std::min_element(tau.begin(), tau.end()) >= 1.0;
        hits += hit;
        evidence += type + " '" + n + "': " +
                    (hit ? "r = 1, tau in steps (toyfw)" : "not toyfw's r = 1, tau in steps") +
                    "\n";
    }
    return neurons ? double(hits) / neurons : 0.0;
}

class ToyPlugin : public FrameworkPlugin {
public:
    ToyPlugin()
        : FrameworkPlugin({"org.example.toyfw", "toyfw (example)", "0.1.0", ">=1.0 <2", {"toyfw"}},
                          "toyfw", k_profiles, &fingerprint) {
        add_pass<ToCanonical>();
        add_pass<FromCanonical>();
    }
};

} // namespace

NIRB_PLUGIN(ToyPlugin)
