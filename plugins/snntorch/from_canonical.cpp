// snntorch.from-canonical: canonical reading -> the graph snnTorch 1.0.0's import_from_nir
// turns into a module that behaves like the source.
//
// The importer (import_nir.py) fixes dt = 1e-4, builds every LIF/CubaLIF with
// reset_mechanism="zero", reset_delay=False, divides the threshold by the input gain, asserts
// v_leak = 0 and (CubaLIF) r = tau_mem/dt, routes the input of every matched 2-cycle through
// W_rec, and applies Flatten to the batched tensor. So: time constants are rescaled to keep
// each per-step decay, input gains are folded into the incoming weights (else left to the
// importer's threshold division when uniform), recurrences get an identity relay so the
// importer's pattern does not match, Flatten is eliminated, and everything else is refused
// with its reason.
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::snntorch {

namespace {

constexpr double k_import_dt = 1e-4;

/// Make the per-step input gain 1: fold it into the incoming weights, else report.
bool unit_gain(Graph& g, const std::string& n, const std::vector<double>& gain, Verdict& v) {
    if (all_close(gain, 1.0, 1e-6))
        return true;
    std::string why;
    if (fold_input_gains(g, n, gain, why)) {
        v.note(n, "input gain folded into the incoming weights");
        return true;
    }
    return false;
}

void check_reset(const Graph& g, const std::string& n, const Semantics& s, Verdict& v) {
    const auto count = neuron_count(g, n);
    if (s.reset == canonical::ResetMode::ZeroWithInput)
        return v.impossible(n, "the source zeroes the whole update of the step after a spike "
                               "(snnTorch Synaptic/RLeaky zero reset with reset_delay=True); the "
                               "importer's zero reset acts in the same step");
    if (s.reset == canonical::ResetMode::None)
        return v.impossible(n, "no reset: the importer always resets to zero");
    if (!all_close(values(g, n, "v_reset", count, 0), 0.0, 0))
        v.impossible(n, "v_reset != 0: the importer resets to 0");
    if (!all_close(values(g, n, "v_leak", count, 0), 0.0, 0))
        v.impossible(n, "v_leak != 0: the importer asserts v_leak == 0");
    if (s.initial_state != canonical::InitialState::Zero)
        v.note(n,
               "initial state " + std::string(canonical::to_string(s.initial_state)) + " = 0 here");
}

/// Route every input of `n` into `to` instead.
void move_inputs(Graph& g, const std::string& n, const std::string& to) {
    for (const auto& p : predecessors(g, n)) {
        g.disconnect(p, n);
        g.connect(p, to);
    }
}

/// A subtract-reset neuron for an importer that only resets to zero: the membrane becomes an
/// explicit stateless cycle `<n>.mem` (identity) <-> `<n>.mem_decay` (beta), the neuron a
/// LIF with beta = 0 (tau = dt) that only thresholds it, and its spikes come back through
/// `<n>.reset` (-theta one step late, -beta theta for a same-step reset). A CubaLIF's synapse
/// becomes a cycle `<n>.syn` <-> `<n>.syn_decay` (alpha) in front; a non-unit input gain a
/// node `<n>.gain`. Exact: the same multiply-adds as snnTorch (docs/frameworks/conversion.md).
void explicit_membrane(Graph& g, const std::string& n, const Semantics& s, double dt, Verdict& v) {
    const auto k = coefficients(g, n, dt);
    const auto shape = neuron_shape(g, n);
    const auto count = k.beta.size();
    const bool cuba = g.type(n) == "CubaLIF";
    const auto th = values(g, n, "v_threshold", count, 0);
    if (!all_close(values(g, n, "v_leak", count, 0), 0.0, 0))
        return v.impossible(n, "v_leak != 0: the importer asserts v_leak == 0");
    std::vector<double> gain = k.gain, ones(count, 1.0), fb;
    for (std::size_t i = 0; i < count; ++i) {
        if (cuba)
            gain[i] *= k.syn_gain[i];
        fb.push_back(-th[i] *
                     (s.spike_timing == canonical::SpikeTiming::ResetNextStep ? 1.0 : k.beta[i]));
    }
    std::string why;
    auto node = [&](const std::string& suffix, const std::vector<double>& diag) {
        if (!add_diagonal_map(g, n + "." + suffix, diag, shape, why))
            v.impossible(n, "explicit membrane: " + why);
        return n + "." + suffix;
    };
    std::string head = node("mem", ones), mem = head;
    g.connect(mem, node("mem_decay", k.beta));
    g.connect(n + ".mem_decay", mem);
    // Folded into the inputs where possible: a gain node fed by a back edge (a recurrent
    // layer) makes nirtorch feed it a (1,)-shaped placeholder on the first step.
    if (!all_close(gain, 1.0, 1e-6) && fold_input_gains(g, n, gain, why)) {
        gain = ones;
        v.note(n, "input gain folded into the incoming weights");
    }
    if (!all_close(gain, 1.0, 1e-6)) {
        head = node("gain", gain);
        g.connect(head, mem);
    }
    if (cuba) {
        const auto syn = node("syn", ones);
        g.connect(syn, node("syn_decay", k.alpha));
        g.connect(n + ".syn_decay", syn);
        g.connect(syn, head);
        head = syn;
    }
    move_inputs(g, n, head);
    g.connect(mem, n);
    g.connect(n, node("reset", fb));
    g.connect(n + ".reset", mem);
    g.set_type(n, "LIF");
    for (const char* f : {"tau_syn", "tau_mem", "w_in"})
        if (g.has_param(n, f))
            g.remove_param(n, f);
    set_values(g, n, "tau", std::vector<double>(count, k_import_dt), shape); // beta = 0
    set_values(g, n, "r", ones, shape);
    set_values(g, n, "v_leak", std::vector<double>(count, 0.0), shape);
    set_values(g, n, "v_reset", std::vector<double>(count, 0.0), shape);
    if (!uniform(th))
        v.impossible(n, "per-neuron thresholds: the importer accepts one threshold per layer");
    v.note(n, "subtract reset as an explicit membrane cycle thresholded by a beta = 0 LIF");
}

void convert_lif(Graph& g, const std::string& n, double dt, Verdict& v) {
    const auto c = coefficients(g, n, dt);
    const auto shape = neuron_shape(g, n);
    std::vector<double> tau, r;
    for (double b : c.beta)
        tau.push_back(k_import_dt / (1 - b));
    if (unit_gain(g, n, c.gain, v)) {
        for (double t : tau)
            r.push_back(t / k_import_dt);
    } else if (uniform(c.gain)) {
        for (std::size_t i = 0; i < tau.size(); ++i)
            r.push_back(c.gain[i] * tau[i] / k_import_dt);
        v.note(n, "uniform input gain left to the importer's threshold division");
    } else {
        return v.impossible(n, "per-neuron input gain that cannot be folded into its inputs; "
                               "the importer needs one threshold per layer");
    }
    if (!uniform(values(g, n, "v_threshold", neuron_count(g, n), 0)))
        v.impossible(n, "per-neuron thresholds: the importer accepts one threshold per layer");
    set_values(g, n, "tau", tau, shape);
    set_values(g, n, "r", r, shape);
    set_values(g, n, "v_leak", std::vector<double>(tau.size(), 0.0), shape);
    set_values(g, n, "v_reset", std::vector<double>(tau.size(), 0.0), shape);
}

void convert_cuba(Graph& g, const std::string& n, double dt, Verdict& v) {
    const auto c = coefficients(g, n, dt);
    const auto shape = neuron_shape(g, n);
    std::vector<double> ts, tm, ab, r, w_in;
    for (std::size_t i = 0; i < c.beta.size(); ++i) {
        ts.push_back(k_import_dt / (1 - c.alpha[i]));
        tm.push_back(k_import_dt / (1 - c.beta[i]));
        ab.push_back(c.gain[i] * c.syn_gain[i]); // total gain input -> membrane, per step
        r.push_back(tm[i] / k_import_dt);        // the importer asserts r == tau_mem/dt
    }
    const auto theta = values(g, n, "v_threshold", ts.size(), 0);
    if (unit_gain(g, n, ab, v)) {
        for (double t : ts)
            w_in.push_back(t / k_import_dt);
        if (!uniform(theta))
            return v.impossible(n, "per-neuron thresholds: the importer accepts one per layer");
    } else {
        // The importer divides the threshold by w_in*dt/tau_syn: let that carry the gain.
        std::vector<double> effective;
        for (std::size_t i = 0; i < ts.size(); ++i) {
            w_in.push_back(ab[i] * ts[i] / k_import_dt);
            effective.push_back(theta[i] / ab[i]);
        }
        if (!uniform(effective))
            return v.impossible(n, "per-neuron effective threshold theta/gain: the importer "
                                   "needs one threshold per layer");
        v.note(n, "input gain left to the importer's threshold division");
    }
    set_values(g, n, "tau_syn", ts, shape);
    set_values(g, n, "tau_mem", tm, shape);
    set_values(g, n, "r", r, shape);
    set_values(g, n, "w_in", w_in, shape);
    set_values(g, n, "v_leak", std::vector<double>(ts.size(), 0.0), shape);
    set_values(g, n, "v_reset", std::vector<double>(ts.size(), 0.0), shape);
}

/// Break every 2-cycle neuron <-> dense with an identity Linear, so the importer's RNN
/// pattern (which would route the external input through W_rec) does not match.
void relay_recurrences(Graph& g, Verdict& v) {
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t != "LIF" && t != "CubaLIF")
            continue;
        for (const auto& w : successors(g, n)) {
            const auto wt = g.type(w);
            const auto back = successors(g, w);
            if ((wt != "Affine" && wt != "Linear") || back != std::vector{n})
                continue;
            const auto count = neuron_count(g, n);
            std::vector<double> eye(static_cast<std::size_t>(count * count), 0.0);
            for (std::int64_t i = 0; i < count; ++i)
                eye[i * count + i] = 1.0;
            const auto relay = w + ".relay";
            g.add_node(relay, "Linear");
            set_values(g, relay, "weight", eye, {count, count});
            g.disconnect(n, w);
            g.connect(n, relay);
            g.connect(relay, w);
            v.note(n, "identity relay before '" + w + "' keeps the importer's RNN matcher off");
        }
    }
}

using Run = FromCanonicalRun<std::monostate>;

void convert_structure(Run& r, const std::string& n) {
    Graph& g = r.g;
    Verdict& v = r.verdict;
    const auto t = g.type(n);
    std::string why;
    if (t == "AvgPool2d")
        return expand_pool_pairs(g, n);
    if (t == "Flatten" && eliminate_flatten(g, n, why))
        return v.note(n, "Flatten + Affine as one full-kernel Conv2d (batch-safe)");
    if (t == "Flatten")
        v.impossible(n, "Flatten: the importer applies it to the batched tensor without a batch "
                        "offset (" +
                            why + ")");
}

/// A LIF or CubaLIF: a subtract reset becomes an explicit membrane, any other reset keeps the
/// neuron with its time constants rescaled to the importer's dt.
void convert_neuron(Run& r, const std::string& n) {
    const Semantics s = r.semantics(n);
    if (s.spike_timing != canonical::SpikeTiming::SameStep &&
        s.spike_timing != canonical::SpikeTiming::ResetNextStep)
        return r.verdict.impossible(n, "spike timing " +
                                           std::string(canonical::to_string(s.spike_timing)) +
                                           ": the importer spikes and resets in the same step");
    if (s.reset == canonical::ResetMode::Subtract)
        return explicit_membrane(r.g, n, s, r.dt, r.verdict);
    check_reset(r.g, n, s, r.verdict);
    if (r.g.type(n) == "LIF")
        convert_lif(r.g, n, r.dt, r.verdict);
    else
        convert_cuba(r.g, n, r.dt, r.verdict);
}

class FromCanonical : public FromCanonicalPass<> {
public:
    FromCanonical()
        : FromCanonicalPass("snntorch.from-canonical",
                            "canonical reading -> what snnTorch's import_from_nir rebuilds "
                            "faithfully",
                            "snnTorch's import_from_nir") {
        convert("LIF", convert_neuron);
        convert("CubaLIF", convert_neuron);
        convert("IF", [](Run& r, const std::string& n) {
            r.verdict.impossible(n, "IF: snnTorch 1.0.0 imports it as Leaky(beta=0.9)");
        });
        convert("Flatten", convert_structure);
        convert("AvgPool2d", convert_structure);
        keep({"Input", "Output", "Affine", "Linear", "Conv2d"});
        handles({"reset", "spike_timing", "initial_state"});
    }

    void finish(Run& r) override {
        relay_recurrences(r.g, r.verdict);
        r.set_target("snntorch-import", k_import_dt);
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::snntorch
