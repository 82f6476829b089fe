// rockpool.from-canonical: canonical reading -> the graph rockpool.nn.modules.from_nir turns
// into modules that behave like the source.
//
// The importer (rockpool/nn/modules/torch/nir.py, Rockpool 3.1.0) builds LIFTorch from a
// CubaLIF (tau_mem, tau_syn, threshold, bias = v_leak; w_in, v_reset and r ignored) with
// dt = min(tau_mem / (1 + r)), LinearTorch from Affine/Linear, and LIFTorch(has_rec=True)
// from a nested {Input, CubaLIF, Affine, Output} graph; a LIF node crashes it, LI loses its
// time constant (int cast), IF/conv/pooling/Flatten are refused. LIFTorch steps
// isyn = alpha (isyn + x), v = beta v + isyn, alpha/beta exact exponentials, spikes
// floor(v/theta) when v >= theta, subtracted in the same step. So: both decays are kept by
// tau = -dt/ln(decay), r = tau_mem/dt - 1 makes the dt guess land on dt, the membrane is
// measured in units of the gains (theta' = theta alpha / (a g)), a LIF becomes a CubaLIF
// whose synapse passes the input through (alpha = e^-40, below float32 resolution), and a
// neuron <-> Affine/Linear 2-cycle becomes the nested subgraph.
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::rockpool {

namespace {

/// Per-step factor of a synapse that forwards its input: e^{-kPassThrough} (~4e-18).
constexpr double kPassThrough = 40.0;

/// What the converters of one run share.
struct State {
    double dt = 0;         ///< the dt the imported LIFTorch modules must step with
    bool single = false;   ///< some neuron emits at most one spike per step
    bool multiple = false; ///< some neuron emits floor(v/theta) spikes per step
};
using Context = FromCanonicalRun<State>;

/// Where Rockpool's dynamics differ from the node's semantics: approximate reasons.
/// `late_feedback`: a one-step-late subtraction is rewritten exactly (feedback_late_reset).
void check_semantics(Context& c, const std::string& n, const Semantics& s, bool late_feedback) {
    const auto count = neuron_count(c.g, n);
    if (s.reset != canonical::ResetMode::Subtract)
        c.verdict.approximate(n, "reset " + std::string(canonical::to_string(s.reset)) +
                                     ": Rockpool's LIFTorch only subtracts the threshold");
    if (s.spike_timing != canonical::SpikeTiming::SameStep && !late_feedback)
        c.verdict.approximate(n, "spike timing " +
                                     std::string(canonical::to_string(s.spike_timing)) +
                                     ": Rockpool spikes and subtracts in the same step");
    const bool starts_at_zero = s.initial_state == canonical::InitialState::Zero ||
                                (s.initial_state == canonical::InitialState::VLeak &&
                                 all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0)) ||
                                (s.initial_state == canonical::InitialState::VReset &&
                                 all_close(values(c.g, n, "v_reset", count, 0), 0.0, 0));
    if (!starts_at_zero)
        c.verdict.approximate(n, "Rockpool starts at 0, the source does not");
    if (s.comparator == canonical::Comparator::Greater)
        c.verdict.note(n, "Rockpool compares v >= theta, the source v > theta: they differ "
                          "only where v equals theta");
    (s.spikes_per_step == canonical::SpikesPerStep::Single ? c.state.single : c.state.multiple) =
        true;
}

/// tau giving the per-step decay `d` at dt (exp(-dt/tau) = d); a decay of 0 becomes e^-40.
double tau_of_decay(double dt, double d) {
    return d > 0 ? -dt / std::log(d) : dt / kPassThrough;
}

/// The Affine/Linear `w` in a 2-cycle n <-> w (w reads and feeds only n), or "".
std::string recurrent_partner(const Graph& g, const std::string& n) {
    for (const auto& w : successors(g, n)) {
        const auto wt = g.type(w);
        if ((wt == "Affine" || wt == "Linear") && predecessors(g, w) == std::vector{n} &&
            successors(g, w) == std::vector{n})
            return w;
    }
    return "";
}

/// snnTorch's one-step-late subtraction on a LIF, m_t = beta m_{t-1} + g x_t - theta S_{t-1},
/// is an immediate subtraction plus the input -(1 - beta) theta S_{t-1} (docs/frameworks/
/// conversion.md). Through the pass-through synapse that input is a recurrent weight
/// -(1 - beta) theta / g in the units of the incoming weights: added to the diagonal of the
/// layer's own recurrent weights, or a new diagonal Linear cycle (nested by nest_recurrence).
void feedback_late_reset(Context& c, const std::string& n, const Coefficients& k,
                         const std::vector<double>& theta) {
    const auto count = static_cast<std::int64_t>(theta.size());
    std::vector<double> fb(count);
    for (std::int64_t i = 0; i < count; ++i)
        fb[i] = -(1 - k.beta[i]) * theta[i] / k.gain[i];
    const auto w = recurrent_partner(c.g, n);
    if (!w.empty() && c.g.param(w, "weight").shape == std::vector<std::int64_t>{count, count}) {
        auto weight = c.g.param(w, "weight");
        for (std::int64_t i = 0; i < count; ++i)
            weight.values[i * count + i] += fb[i];
        c.g.set_param(w, "weight", weight);
    } else if (std::string why; !add_self_feedback(c.g, n, "late_reset", fb, why)) {
        return c.verdict.impossible(n, "reset one step late needs a self-feedback: " + why);
    }
    c.verdict.note(n, "subtract reset one step late = same-step subtraction plus recurrent "
                      "weight -(1-beta) theta/g on the layer's own spikes");
}

/// LIF or CubaLIF -> CubaLIF that from_nir builds as LIFTorch with the same spikes.
void convert_neuron(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    const bool late_feedback = c.g.type(n) == "LIF" && s.reset == canonical::ResetMode::Subtract &&
                               s.spike_timing == canonical::SpikeTiming::ResetNextStep &&
                               neuron_shape(c.g, n).size() == 1;
    check_semantics(c, n, s, late_feedback);
    const auto count = neuron_count(c.g, n);
    if (!all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0))
        return c.verdict.impossible(n, "v_leak != 0: from_nir turns v_leak into a per-step "
                                       "bias, which no rockpool-import profile models");
    const bool cuba = c.g.type(n) == "CubaLIF";
    const auto k = coefficients(c.g, n, c.dt);
    auto th = values(c.g, n, "v_threshold", count, 0);
    const auto theta = th;
    std::vector<double> tm(count), ts(count), r(count);
    for (std::int64_t i = 0; i < count; ++i) {
        const double alpha = cuba ? k.alpha[i] : std::exp(-kPassThrough);
        const double in_gain = cuba ? k.syn_gain[i] : 1.0;
        if (k.beta[i] < 0 || alpha < 0)
            return c.verdict.impossible(n, "a per-step decay < 0 (tau < dt): Rockpool's "
                                           "exponential decay is positive");
        if (!(k.gain[i] > 0) || !(in_gain > 0) || !(th[i] > 0))
            return c.verdict.impossible(n, "a gain or threshold <= 0: Rockpool's membrane "
                                           "cannot be rescaled to it");
        tm[i] = tau_of_decay(c.state.dt, k.beta[i]);
        ts[i] = tau_of_decay(c.state.dt, alpha);
        r[i] = tm[i] / c.state.dt - 1; // from_nir guesses dt = tau_mem / (1 + r)
        th[i] *= alpha / (in_gain * k.gain[i]);
    }
    const auto shape = neuron_shape(c.g, n);
    if (!cuba) {
        c.g.set_type(n, "CubaLIF");
        c.g.remove_param(n, "tau");
        c.verdict.note(n, "LIF as a CubaLIF whose synapse passes the input through (from_nir "
                          "cannot import LIF)");
    }
    set_values(c.g, n, "tau_mem", tm, shape);
    set_values(c.g, n, "tau_syn", ts, shape);
    set_values(c.g, n, "r", r, shape);
    set_values(c.g, n, "w_in", std::vector<double>(count, 1.0), shape);
    set_values(c.g, n, "v_threshold", th, shape);
    set_values(c.g, n, "v_reset", std::vector<double>(count, 0.0), shape);
    if (late_feedback)
        feedback_late_reset(c, n, k, theta);
}

/// Copy node `n` of `from` (every field) into `to` as `as`.
void copy_node(const Graph& from, const std::string& n, Graph& to, const std::string& as) {
    to.add_node(as, from.type(n));
    for (const auto& p : from.params(n))
        to.set_param(as, p, from.param(n, p));
}

/// Every CubaLIF `n` in a 2-cycle with an Affine/Linear `w` (one input, one output) becomes
/// the nested graph from_nir imports as LIFTorch(has_rec=True): {input, lif, w_rec, output}.
void nest_recurrence(Context& c) {
    for (const auto& n : c.g.nodes()) {
        if (!c.g.has_node(n) || c.g.type(n) != "CubaLIF")
            continue;
        const auto w = recurrent_partner(c.g, n);
        if (w.empty())
            continue;
        const auto wt = c.g.type(w);
        const auto count = neuron_count(c.g, n);
        if (wt == "Affine" && !all_close(c.g.param(w, "bias").values, 0.0, 0))
            return c.verdict.impossible(w, "recurrent bias != 0: from_nir ignores the bias of "
                                           "a recurrent Affine");
        const auto preds = predecessors(c.g, n), succs = successors(c.g, n);
        const std::string group = n + ".rec";
        c.g.add_node(group, "NIRGraph");
        auto sub = c.g.subgraph(group);
        if (!sub)
            return c.verdict.impossible(n, "the host cannot build a nested graph");
        const auto shape = neuron_shape(c.g, n);
        const std::vector<double> dims(shape.begin(), shape.end());
        sub->add_node("input", "Input");
        sub->add_node("output", "Output");
        sub->set_param("input", "shape", detail::ints(dims));
        sub->set_param("output", "shape", detail::ints(dims));
        copy_node(c.g, n, *sub, "lif");
        copy_node(c.g, w, *sub, "w_rec");
        sub->set_type("w_rec", "Affine"); // from_nir takes Affine or Linear; Affine is explicit
        if (wt == "Linear")
            sub->set_param("w_rec", "bias", Tensor::of(std::vector<double>(count, 0.0), {count}));
        sub->connect("input", "lif");
        sub->connect("lif", "w_rec");
        sub->connect("w_rec", "lif");
        sub->connect("lif", "output");
        for (const auto& p : preds)
            if (p != w)
                c.g.connect(p, group);
        for (const auto& s : succs)
            if (s != w)
                c.g.connect(group, s);
        c.g.remove_node(w);
        c.g.remove_node(n);
        c.g.rename_node(group, n);
        c.verdict.note(n, "recurrent layer as the nested {input, lif, w_rec, output} graph "
                          "from_nir builds as LIFTorch(has_rec=True)");
    }
}

/// Why from_nir cannot rebuild a node of `type` (Rockpool 3.1.0's importer, measured).
std::string refusal(const std::string& type) {
    if (type == "LI")
        return "from_nir casts the LI time constant to an integer (0.02 s becomes 0)";
    if (type == "IF" || type == "I")
        return "from_nir has no " + type + " (NotImplementedError); Rockpool neurons leak";
    return "from_nir has no " + type + " (NotImplementedError: Cannot convert " + type +
           " to rockpool module)";
}

void refuse(Context& c, const std::string& n) {
    c.verdict.impossible(n, refusal(c.g.type(n)));
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("rockpool.from-canonical",
                            "canonical reading -> what rockpool.nn.modules.from_nir rebuilds "
                            "faithfully",
                            "rockpool.nn.modules.from_nir") {
        add_number("dt", 0, "dt the imported LIFTorch modules step with; 0 = the source's dt")
            .min(0);
        convert("LIF", convert_neuron);
        convert("CubaLIF", convert_neuron);
        keep({"Input", "Output", "Affine", "Linear"});
        for (const char* t : {"Conv1d", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten", "IF", "I",
                              "LI", "CubaLI", "Scale", "Threshold", "Delay"})
            convert(t, refuse);
        handles({"reset", "spike_timing", "initial_state", "comparator", "spikes_per_step"});
    }

private:
    void start(Context& c) override {
        c.state.dt = c.options.number("dt") > 0 ? c.options.number("dt") : c.dt;
    }

    void finish(Context& c) override {
        if (c.verdict.kind() != canonical::VerdictKind::Impossible)
            nest_recurrence(c);
        if (c.state.single && c.state.multiple)
            c.verdict.approximate("", "some layers emit one spike per step, others several; "
                                      "max_spikes_per_dt is set for all LIFTorch modules (1)");
        c.set_target("rockpool-import", c.state.dt);
        c.import_argument("dt", c.state.dt);
        if (c.state.single) {
            c.import_argument("max_spikes_per_dt", 1.0);
            c.g.set_metadata("", canonical::semantics_meta_key("spikes_per_step"), "single");
        }
        c.diag.note("import with rockpool.nn.modules.from_nir(graph), then set dt = " +
                    format_number(c.state.dt) + " on every LIFTorch" +
                    (c.state.single ? std::string(" and max_spikes_per_dt = 1") : "") +
                    " (from_nir guesses dt = min(tau_mem/(1+r)), which this graph makes " +
                    format_number(c.state.dt) + " up to rounding)");
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::rockpool
