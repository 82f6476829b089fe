// norse.from-canonical: canonical reading -> the graph norse.torch.from_nir(graph, dt=...,
// reset_method=...) turns into a module that behaves like the source.
//
// The importer (utils/import_nir.py, Norse 1.1.0) steps forward Euler at its `dt` keyword;
// LIF -> LIFBoxCell ignores r and v_reset (resets to 0); CubaLIF -> w_in*x -> LIBoxCell ->
// *r -> LIFBoxCell(reset_method) uses r and w_in; states start at v_leak; LI, AvgPool2d and
// Scale are not imported (silently dropped or crash); Flatten is applied to the batched
// tensor. So: time constants are rescaled to keep each per-step decay at the chosen dt; the
// LIF gain r is moved into the membrane's units (threshold/r); a subtract reset becomes a
// CubaLIF with a pass-through synapse (tau_syn = dt) imported with reset_method=subtract;
// snnTorch's one-step-late subtraction is a one-step-delayed self-feedback of -theta/r;
// AvgPool2d becomes a channel-diagonal Conv2d and Flatten+Affine a full-kernel Conv2d.
#include "passes.hpp"

#include <set>

namespace nirb::plugins::norse {

namespace {

/// What the converters of one run share.
struct State {
    double dt = 0;                 ///< the dt from_nir will step with
    std::set<std::string> methods; ///< reset_method each CubaLIF needs
};
using Context = FromCanonicalRun<State>;

std::vector<double> zeros(std::size_t n) {
    return std::vector<double>(n, 0.0);
}

bool common_checks(Context& c, const std::string& n, const Semantics& s) {
    const auto count = neuron_count(c.g, n);
    if (s.spike_timing != canonical::SpikeTiming::SameStep &&
        s.spike_timing != canonical::SpikeTiming::ResetNextStep) {
        c.verdict.impossible(n, "spike timing " +
                                    std::string(canonical::to_string(s.spike_timing)) +
                                    ": Norse's cells spike and reset in the same step");
        return false;
    }
    if (s.reset == canonical::ResetMode::ZeroWithInput) {
        c.verdict.impossible(n, "the source zeroes the whole update of the step after a spike "
                                "(snnTorch Synaptic/RLeaky zero reset, reset_delay=True); Norse "
                                "has no refractory step");
        return false;
    }
    if (s.reset == canonical::ResetMode::None) {
        c.verdict.impossible(n, "no reset: Norse's imported neurons always reset");
        return false;
    }
    if (s.reset == canonical::ResetMode::ToReset &&
        !all_close(values(c.g, n, "v_reset", count, 0), 0.0, 0)) {
        c.verdict.impossible(n, "v_reset != 0: from_nir ignores v_reset and resets to 0");
        return false;
    }
    if (s.initial_state == canonical::InitialState::Zero &&
        !all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0))
        c.verdict.approximate(n, "Norse starts at v_leak, the source at 0");
    return true;
}

/// LIF with reset to 0: LIFBoxCell, membrane measured in units of r (threshold/r).
void lif_value(Context& c, const std::string& n, const Coefficients& k) {
    const auto shape = neuron_shape(c.g, n);
    const auto count = k.beta.size();
    auto th = values(c.g, n, "v_threshold", count, 0);
    auto leak = values(c.g, n, "v_leak", count, 0);
    std::vector<double> tau, ones(count, 1.0);
    for (std::size_t i = 0; i < count; ++i) {
        const double r = k.gain[i] / (1 - k.beta[i]); // r of the source at its own dt
        tau.push_back(c.state.dt / (1 - k.beta[i]));
        th[i] /= r;
        leak[i] /= r;
    }
    set_values(c.g, n, "tau", tau, shape);
    set_values(c.g, n, "r", ones, shape);
    set_values(c.g, n, "v_threshold", th, shape);
    set_values(c.g, n, "v_leak", leak, shape);
    set_values(c.g, n, "v_reset", zeros(count), shape);
}

/// LIF with subtract reset: CubaLIF whose synapse passes the input through (tau_syn = dt).
void lif_subtract(Context& c, const std::string& n, const Coefficients& k, bool late) {
    const auto shape = neuron_shape(c.g, n);
    const auto count = k.beta.size();
    const auto th = values(c.g, n, "v_threshold", count, 0);
    std::vector<double> tm, r, fb;
    for (std::size_t i = 0; i < count; ++i) {
        tm.push_back(c.state.dt / (1 - k.beta[i]));
        r.push_back(k.gain[i] / (1 - k.beta[i]));
        fb.push_back(-th[i] / r.back());
    }
    if (!all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0))
        return c.verdict.impossible(n, "subtract reset needs Norse's CubaLIF, whose synapse "
                                       "leaks towards v_leak != 0");
    c.g.set_type(n, "CubaLIF");
    if (c.g.has_param(n, "tau"))
        c.g.remove_param(n, "tau");
    set_values(c.g, n, "tau_mem", tm, shape);
    set_values(c.g, n, "tau_syn", std::vector<double>(count, c.state.dt), shape);
    set_values(c.g, n, "w_in", std::vector<double>(count, 1.0), shape);
    set_values(c.g, n, "r", r, shape);
    set_values(c.g, n, "v_reset", zeros(count), shape);
    c.state.methods.insert("subtract");
    std::string why;
    if (late && !add_self_feedback(c.g, n, "late_reset", fb, why))
        c.verdict.impossible(n, "reset one step late needs a self-feedback: " + why);
    c.verdict.note(n, late ? "subtract reset one step late = pass-through CubaLIF with "
                             "self-feedback -theta/r"
                           : "subtract reset = pass-through CubaLIF, reset_method=subtract");
}

void convert_lif(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    if (!common_checks(c, n, s))
        return;
    const auto k = coefficients(c.g, n, c.dt);
    if (s.reset == canonical::ResetMode::Subtract)
        return lif_subtract(c, n, k, s.spike_timing == canonical::SpikeTiming::ResetNextStep);
    lif_value(c, n, k); // to_v_reset: a late zero reset gives the same spikes (docs)
}

/// Add a diagonal Linear node `name` (n x n) with `diag` on its diagonal.
void add_diagonal(Graph& g, const std::string& name, const std::vector<double>& diag) {
    const auto n = static_cast<std::int64_t>(diag.size());
    std::vector<double> w(static_cast<std::size_t>(n * n), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
        w[i * n + i] = diag[i];
    g.add_node(name, "Linear");
    set_values(g, name, "weight", w, {n, n});
}

/// CubaLIF with snnTorch's one-step-late subtraction: the synapse becomes an explicit
/// stateless cycle `<n>.syn` (identity) <-> `<n>.syn_decay` (diag alpha), i.e.
/// A_t = x_t + alpha A_{t-1} = I_t / a, feeding a pass-through CubaLIF (tau_syn = dt) with
/// r = a b / (1 - beta) and the membrane-only self-feedback -theta/r. Exact; 1-d only.
bool cuba_late_subtract(Context& c, const std::string& n, const Coefficients& k) {
    const auto shape = neuron_shape(c.g, n);
    if (shape.size() > 1)
        return false;
    const auto count = k.beta.size();
    const auto th = values(c.g, n, "v_threshold", count, 0);
    std::vector<double> tm, r, fb;
    for (std::size_t i = 0; i < count; ++i) {
        tm.push_back(c.state.dt / (1 - k.beta[i]));
        r.push_back(k.syn_gain[i] * k.gain[i] / (1 - k.beta[i]));
        fb.push_back(-th[i] / r.back());
    }
    const auto syn = n + ".syn", decay = n + ".syn_decay";
    add_diagonal(c.g, syn, std::vector<double>(count, 1.0));
    add_diagonal(c.g, decay, k.alpha);
    for (const auto& p : predecessors(c.g, n)) {
        c.g.disconnect(p, n);
        c.g.connect(p, syn);
    }
    c.g.connect(syn, decay); // before syn -> n: GraphExecutor returns its last DFS node
    c.g.connect(decay, syn);
    c.g.connect(syn, n);
    set_values(c.g, n, "tau_syn", std::vector<double>(count, c.state.dt), shape);
    set_values(c.g, n, "tau_mem", tm, shape);
    set_values(c.g, n, "w_in", std::vector<double>(count, 1.0), shape);
    set_values(c.g, n, "r", r, shape);
    set_values(c.g, n, "v_reset", zeros(count), shape);
    std::string why;
    if (!add_self_feedback(c.g, n, "late_reset", fb, why))
        c.verdict.impossible(n, "reset one step late needs a self-feedback: " + why);
    c.state.methods.insert("subtract");
    c.verdict.note(n, "subtract reset one step late = explicit synapse cycle + pass-through "
                      "CubaLIF with self-feedback -theta/r");
    return true;
}

void convert_cuba(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    if (!common_checks(c, n, s))
        return;
    const auto count = neuron_count(c.g, n);
    if (!all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0))
        return c.verdict.impossible(n, "v_leak != 0: Norse's imported synapse leaks towards "
                                       "v_leak, the canonical one towards 0");
    const auto k = coefficients(c.g, n, c.dt);
    if (s.reset == canonical::ResetMode::Subtract &&
        s.spike_timing == canonical::SpikeTiming::ResetNextStep && cuba_late_subtract(c, n, k))
        return;
    const auto shape = neuron_shape(c.g, n);
    std::vector<double> ts, tm, w_in, r;
    for (std::size_t i = 0; i < k.beta.size(); ++i) {
        ts.push_back(c.state.dt / (1 - k.alpha[i]));
        tm.push_back(c.state.dt / (1 - k.beta[i]));
        w_in.push_back(k.syn_gain[i] / (1 - k.alpha[i]));
        r.push_back(k.gain[i] / (1 - k.beta[i]));
    }
    set_values(c.g, n, "tau_syn", ts, shape);
    set_values(c.g, n, "tau_mem", tm, shape);
    set_values(c.g, n, "w_in", w_in, shape);
    set_values(c.g, n, "r", r, shape);
    set_values(c.g, n, "v_reset", zeros(k.beta.size()), shape);
    c.state.methods.insert(s.reset == canonical::ResetMode::Subtract ? "subtract" : "value");
    if (s.reset == canonical::ResetMode::Subtract &&
        s.spike_timing == canonical::SpikeTiming::ResetNextStep)
        c.verdict.approximate(n, "the source subtracts the threshold one step late; Norse "
                                 "subtracts in the same step (the explicit-synapse rewrite needs "
                                 "a 1-d population)");
}

void convert_if(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    if (!common_checks(c, n, s))
        return;
    if (s.reset == canonical::ResetMode::Subtract)
        return c.verdict.impossible(n, "IAFCell cannot subtract");
    const auto count = neuron_count(c.g, n);
    auto th = values(c.g, n, "v_threshold", count, 0);
    const auto r = values(c.g, n, "r", count, 1);
    for (std::int64_t i = 0; i < count; ++i)
        th[i] /= r[i] * c.dt; // IAF gain is 1
    set_values(c.g, n, "v_threshold", th, neuron_shape(c.g, n));
    set_values(c.g, n, "r", std::vector<double>(count, 1.0), neuron_shape(c.g, n));
}

void convert_structure(Context& c, const std::string& n, const std::string& t) {
    std::string why;
    if (t == "AvgPool2d") {
        const auto chw = input_chw(c.g, n);
        if (!chw)
            return c.verdict.impossible(n, "AvgPool2d whose (C, H, W) input shape is unknown");
        avgpool_to_conv(c.g, n, *chw);
        c.verdict.note(n, "AvgPool2d as a channel-diagonal Conv2d (from_nir drops AvgPool2d)");
    } else if (t == "Flatten" && eliminate_flatten(c.g, n, why)) {
        c.verdict.note(n, "Flatten + Affine as one full-kernel Conv2d (batch-safe)");
    } else if (t == "Flatten") {
        c.verdict.impossible(n, "Flatten: from_nir applies it to the batched tensor without a "
                                "batch offset (" +
                                    why + ")");
    }
}

void convert_structure_node(Context& c, const std::string& n) {
    convert_structure(c, n, c.g.type(n));
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("norse.from-canonical",
                            "canonical reading -> what norse.torch.from_nir rebuilds faithfully",
                            "norse.torch.from_nir") {
        add_number("dt", 0, "dt to pass to from_nir; 0 = the source's dt").min(0);
        convert("LIF", convert_lif);
        convert("CubaLIF", convert_cuba);
        convert("IF", convert_if);
        convert("AvgPool2d", convert_structure_node);
        convert("Flatten", convert_structure_node);
        keep({"Input", "Output", "Affine", "Linear", "Conv2d", "SumPool2d"});
        handles({"reset", "spike_timing", "initial_state"});
    }

private:
    void start(Context& c) override {
        c.state.dt = c.options.number("dt") > 0 ? c.options.number("dt") : c.dt;
    }

    void finish(Context& c) override {
        if (c.state.methods.size() > 1)
            c.verdict.impossible("", "CubaLIF nodes need both reset_method=value and "
                                     "reset_method=subtract; from_nir takes one for all");
        const std::string method = c.state.methods.count("subtract") ? "subtract" : "value";
        c.set_target("norse-import", c.state.dt);
        c.import_argument("dt", c.state.dt);
        c.import_argument("reset_method", method);
        // Per node: reset_method only reaches CubaLIF; LIF (LIFBoxCell) and IF reset to 0.
        const auto reset = canonical::semantics_meta_key("reset");
        for (const auto& n : c.g.nodes()) {
            const auto t = c.g.type(n);
            if (t == "CubaLIF" && method == "subtract")
                c.g.set_metadata(n, reset, "subtract");
            else if (t == "LIF" || t == "CubaLIF" || t == "IF")
                c.g.set_metadata(n, reset, "to_v_reset");
        }
        c.diag.note("import with norse.torch.from_nir(graph, dt=" + format_number(c.state.dt) +
                    ", reset_method=norse.torch.functional.reset.reset_" + method + ")");
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::norse
