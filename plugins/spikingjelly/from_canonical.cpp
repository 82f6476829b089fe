// spikingjelly.from-canonical: canonical reading -> the graph SpikingJelly 2.0.0's
// import_from_nir(graph, dt=..., step_mode="s") turns into a module that behaves like the source.
//
// The importer (nir_exchange/from_nir.py) builds one SpikingJelly node per NIR neuron node and
// holds ONE tau, threshold and v_reset per layer (np.unique must give one value); LIF needs
// tau/dt > 1, r = 1 (decay_input=True) or tau/dt (decay_input=False) and v_leak = v_reset; IF
// r = 1/dt; CubaLIF r = tau_mem/dt, w_in = tau_syn/dt (both per-step gains 1), v_leak = 0,
// tau >= dt. Every node compares with >=, resets to v_reset in the same step and starts at
// v_reset. So: thresholds move one float32 up (>= against it is exactly the canonical >), input
// gains and per-neuron thresholds are folded into the incoming weights (or into the membrane's
// units when uniform), and a subtract reset, which the importer cannot build, becomes an
// explicit membrane thresholded by a memoryless CubaLIF. Everything else is refused naming the
// layer.
#include "passes.hpp"

namespace nirb::plugins::spikingjelly {

namespace {

/// What the converters of one run share.
struct State {
    double dt = 0; ///< the dt import_from_nir will be called with
};
using Run = FromCanonicalRun<State>;

std::vector<double> filled(std::size_t n, double v) {
    return std::vector<double>(n, v);
}

/// Spike timing and reset the importer can reproduce; false with the reason otherwise.
bool expressible(Run& r, const std::string& n, const Semantics& s) {
    using canonical::ResetMode;
    using canonical::SpikeTiming;
    if (s.spike_timing != SpikeTiming::SameStep && s.spike_timing != SpikeTiming::ResetNextStep) {
        r.verdict.impossible(n, "spike timing " +
                                    std::string(canonical::to_string(s.spike_timing)) +
                                    ": SpikingJelly spikes and resets in the same step");
        return false;
    }
    if (s.reset == ResetMode::ZeroWithInput || s.reset == ResetMode::None) {
        r.verdict.impossible(n, "reset " + std::string(canonical::to_string(s.reset)) +
                                    ": the importer's nodes reset to v_reset in the same step "
                                    "(no refractory step, always a reset)");
        return false;
    }
    if (s.reset == ResetMode::ToReset && s.spike_timing == SpikeTiming::ResetNextStep &&
        !all_close(values(r.g, n, "v_reset", neuron_count(r.g, n), 0), 0.0, 0)) {
        r.verdict.impossible(n, "a reset to v_reset != 0 one step late: SpikingJelly resets in "
                                "the same step (only a late reset to 0 gives the same spikes)");
        return false;
    }
    return true;
}

/// The membrane value the source starts from, per neuron.
std::vector<double> initial_values(const Graph& g, const std::string& n, const Semantics& s) {
    const auto count = neuron_count(g, n);
    switch (s.initial_state) {
    case canonical::InitialState::VLeak:
        return values(g, n, "v_leak", count, 0);
    case canonical::InitialState::VReset:
        return values(g, n, "v_reset", count, 0);
    default:
        return filled(count, 0.0);
    }
}

/// Make the per-step input gain of layer `n` equal `target` and its thresholds uniform: a
/// per-neuron membrane scale `scale` (thresholds theta/theta_0 apart become equal), the rest
/// folded into the incoming weights, else (when uniform) taken into the membrane's units.
/// Returns false (impossible recorded) when neither holds.
bool settle_gain(Run& r, const std::string& n, const std::vector<double>& gain, double target,
                 std::vector<double>& scale) {
    const auto theta = values(r.g, n, "v_threshold", gain.size(), 0);
    scale = filled(gain.size(), 1.0);
    if (!uniform(theta)) {
        for (std::size_t i = 0; i < gain.size(); ++i) {
            if (!(theta[i] * theta[0] > 0)) {
                r.verdict.impossible(n, "per-neuron thresholds of both signs (or 0): the "
                                        "importer holds one threshold per layer");
                return false;
            }
            scale[i] = theta[0] / theta[i];
        }
    }
    std::vector<double> factor;
    for (std::size_t i = 0; i < gain.size(); ++i)
        factor.push_back(gain[i] * scale[i] / target);
    if (all_close(factor, 1.0, 1e-6))
        return true;
    std::string why;
    if (fold_input_gains(r.g, n, factor, why)) {
        r.verdict.note(n, uniform(theta) ? "input gain folded into the incoming weights"
                                         : "per-neuron thresholds and input gain folded into "
                                           "the incoming weights");
        return true;
    }
    if (uniform(factor) && factor[0] > 0) {
        for (auto& s : scale)
            s /= factor[0];
        r.verdict.note(n, "input gain taken into the membrane's units (threshold and v_reset / " +
                              short_number(factor[0]) + ")");
        return true;
    }
    r.verdict.impossible(n, "per-neuron input gain or threshold that cannot be folded into the "
                            "incoming weights (" +
                                why + "); the importer holds one threshold per layer");
    return false;
}

/// Scale the membrane of `n` by `scale` and write threshold (one float32 up) and v_reset as
/// the single value per layer the importer reads. False (impossible) when v_reset differs.
bool write_membrane(Run& r, const std::string& n, const Semantics& s,
                    const std::vector<double>& scale) {
    const auto count = scale.size();
    const auto shape = neuron_shape(r.g, n);
    auto theta = values(r.g, n, "v_threshold", count, 0);
    auto reset = values(r.g, n, "v_reset", count, 0);
    auto start = initial_values(r.g, n, s);
    for (std::size_t i = 0; i < count; ++i) {
        theta[i] *= scale[i];
        reset[i] *= scale[i];
        start[i] *= scale[i];
    }
    if (!uniform(reset)) {
        r.verdict.impossible(n, "per-neuron v_reset: the importer holds one v_reset per layer");
        return false;
    }
    if (!all_close(start, reset[0], 1e-6) && !all_close(start, 0.0, 0))
        r.verdict.approximate(n, "SpikingJelly starts the membrane at v_reset, the source at " +
                                     std::string(canonical::to_string(s.initial_state)));
    set_values(r.g, n, "v_threshold", next_float32(filled(count, theta[0]), true), shape);
    set_values(r.g, n, "v_reset", filled(count, reset[0]), shape);
    return true;
}

void convert_lif(Run& r, const std::string& n, const Semantics& s) {
    const auto k = coefficients(r.g, n, r.dt);
    const auto count = k.beta.size();
    if (!uniform(k.beta, 1e-6))
        return r.verdict.impossible(n, "per-neuron time constants: the importer holds one tau "
                                       "per layer (LIFNode)");
    if (!(k.beta[0] > 0))
        return r.verdict.impossible(n, "tau <= dt: the importer needs tau/dt > 1");
    const auto leak = values(r.g, n, "v_leak", count, 0);
    const auto reset = values(r.g, n, "v_reset", count, 0);
    for (std::size_t i = 0; i < count; ++i)
        if (!all_close({leak[i]}, reset[i], 1e-6) && !(leak[i] == 0 && reset[i] == 0))
            return r.verdict.impossible(n, "v_leak != v_reset: SpikingJelly's LIFNode leaks "
                                           "towards its reset value");
    const double decay_gain = 1 - k.beta[0]; // decay_input=True: x / tau
    std::vector<double> scale;
    const bool decays = all_close(k.gain, decay_gain, 1e-6);
    if (!decays && !settle_gain(r, n, k.gain, 1.0, scale))
        return;
    if (decays)
        settle_gain(r, n, k.gain, decay_gain, scale); // thresholds only
    if (!write_membrane(r, n, s, scale))
        return;
    const auto shape = neuron_shape(r.g, n);
    const double tau = r.state.dt / (1 - k.beta[0]);
    const auto v_reset = values(r.g, n, "v_reset", count, 0)[0];
    set_values(r.g, n, "tau", filled(count, tau), shape);
    set_values(r.g, n, "r", filled(count, decays ? 1.0 : tau / r.state.dt), shape);
    set_values(r.g, n, "v_leak", filled(count, v_reset), shape);
}

void convert_if(Run& r, const std::string& n, const Semantics& s) {
    const auto count = neuron_count(r.g, n);
    auto gain = values(r.g, n, "r", count, 1);
    for (auto& e : gain)
        e *= r.dt;
    std::vector<double> scale;
    if (!settle_gain(r, n, gain, 1.0, scale) || !write_membrane(r, n, s, scale))
        return;
    set_values(r.g, n, "r", filled(count, 1 / r.state.dt), neuron_shape(r.g, n));
}

void convert_cuba(Run& r, const std::string& n, const Semantics& s) {
    const auto k = coefficients(r.g, n, r.dt);
    const auto count = k.beta.size();
    if (!uniform(k.beta, 1e-6) || !uniform(k.alpha, 1e-6))
        return r.verdict.impossible(n, "per-neuron time constants: the importer holds one "
                                       "tau_syn and tau_mem per layer (CUBALIFNode)");
    if (k.beta[0] < 0 || k.alpha[0] < 0)
        return r.verdict.impossible(n, "tau < dt: the importer needs tau_syn, tau_mem >= dt");
    if (!all_close(values(r.g, n, "v_leak", count, 0), 0.0, 0))
        return r.verdict.impossible(n, "v_leak != 0: the importer requires CubaLIF v_leak = 0");
    std::vector<double> gain, scale;
    for (std::size_t i = 0; i < count; ++i)
        gain.push_back(k.gain[i] * k.syn_gain[i]); // input -> membrane, per step
    if (!settle_gain(r, n, gain, 1.0, scale) || !write_membrane(r, n, s, scale))
        return;
    const auto shape = neuron_shape(r.g, n);
    const double ts = r.state.dt / (1 - k.alpha[0]), tm = r.state.dt / (1 - k.beta[0]);
    set_values(r.g, n, "tau_syn", filled(count, ts), shape);
    set_values(r.g, n, "tau_mem", filled(count, tm), shape);
    set_values(r.g, n, "r", filled(count, tm / r.state.dt), shape);
    set_values(r.g, n, "w_in", filled(count, ts / r.state.dt), shape);
}

/// A subtract-reset neuron for an importer whose nodes only reset to v_reset: the membrane
/// becomes an explicit stateless cycle `<n>.mem` (identity) <-> `<n>.mem_decay` (beta), its
/// spikes come back through `<n>.reset` (-theta one step late, -beta theta for a same-step
/// reset), and `n` becomes a CubaLIF with tau_syn = tau_mem = dt (float64: c_decay = v_decay
/// = 1 - dt/tau = 0 exactly) that only compares M with theta. A
/// CubaLIF's synapse becomes `<n>.syn` <-> `<n>.syn_decay` (alpha) in front, a non-unit gain a
/// node `<n>.gain`, per-neuron thresholds a node `<n>.unit` (M/theta against 1).
void explicit_membrane(Run& r, const std::string& n, const Semantics& s) {
    Graph& g = r.g;
    const auto type = g.type(n);
    const auto count = static_cast<std::size_t>(neuron_count(g, n));
    const auto shape = neuron_shape(g, n);
    const auto theta = values(g, n, "v_threshold", count, 0);
    Coefficients k;
    if (type == "IF") {
        k.beta = filled(count, 1.0);
        k.gain = values(g, n, "r", count, 1);
        for (auto& e : k.gain)
            e *= r.dt;
    } else {
        k = coefficients(g, n, r.dt);
        if (!all_close(values(g, n, "v_leak", count, 0), 0.0, 0))
            return r.verdict.impossible(n, "subtract reset with v_leak != 0: the explicit "
                                           "membrane has no constant input");
    }
    if (!all_close(initial_values(g, n, s), 0.0, 0))
        r.verdict.approximate(n, "the explicit membrane starts at 0, the source at " +
                                     std::string(canonical::to_string(s.initial_state)));
    const bool late = s.spike_timing == canonical::SpikeTiming::ResetNextStep;
    std::vector<double> gain = k.gain, fb, unit;
    for (std::size_t i = 0; i < count; ++i) {
        if (type == "CubaLIF")
            gain[i] *= k.syn_gain[i];
        fb.push_back(-theta[i] * (late ? 1.0 : k.beta[i]));
        unit.push_back(1 / theta[i]);
    }
    std::string why;
    // Folded into the inputs where possible: a gain node fed by a back edge (a recurrent layer)
    // makes nirtorch feed it a (1,)-shaped placeholder on the first step.
    if (!all_close(gain, 1.0, 1e-6) && fold_input_gains(g, n, gain, why)) {
        gain = filled(count, 1.0);
        r.verdict.note(n, "input gain folded into the incoming weights");
    }
    bool ok = true;
    auto node = [&](const std::string& suffix, const std::vector<double>& diag) {
        ok = ok && add_diagonal_map(g, n + "." + suffix, diag, shape, why);
        return n + "." + suffix;
    };
    const auto mem = node("mem", filled(count, 1.0));
    std::string head = mem;
    g.connect(mem, node("mem_decay", k.beta));
    g.connect(n + ".mem_decay", mem);
    if (!all_close(gain, 1.0, 1e-6)) {
        head = node("gain", gain);
        g.connect(head, mem);
    }
    if (type == "CubaLIF") {
        const auto syn = node("syn", filled(count, 1.0));
        g.connect(syn, node("syn_decay", k.alpha));
        g.connect(n + ".syn_decay", syn);
        g.connect(syn, head);
        head = syn;
    }
    move_inputs(g, n, head);
    double threshold = theta[0];
    if (uniform(theta)) {
        g.connect(mem, n);
    } else {
        g.connect(mem, node("unit", unit));
        g.connect(n + ".unit", n);
        threshold = 1.0;
    }
    g.connect(n, node("reset", fb));
    g.connect(n + ".reset", mem);
    if (!ok)
        return r.verdict.impossible(n, "explicit membrane: " + why);
    for (const auto& p : g.params(n))
        g.remove_param(n, p);
    g.set_type(n, "CubaLIF");
    const double dt = r.state.dt;
    // float64 and exactly dt, so the importer's 1 - dt/tau is exactly 0 (c_decay = v_decay).
    for (const char* f : {"tau_syn", "tau_mem"})
        g.set_param(n, f, Tensor::of(filled(count, dt), shape, NIRB_DTYPE_FLOAT64));
    for (const char* f : {"r", "w_in"})
        set_values(g, n, f, filled(count, 1.0), shape);
    for (const char* f : {"v_leak", "v_reset"})
        set_values(g, n, f, filled(count, 0.0), shape);
    set_values(g, n, "v_threshold", next_float32(filled(count, threshold), true), shape);
    r.verdict.note(n, std::string("subtract reset") + (late ? " one step late" : "") +
                          " as an explicit membrane cycle thresholded by a memoryless CubaLIF");
}

void convert_neuron(Run& r, const std::string& n) {
    const Semantics s = r.semantics(n);
    if (!expressible(r, n, s))
        return;
    if (s.reset == canonical::ResetMode::Subtract)
        return explicit_membrane(r, n, s);
    const auto t = r.g.type(n);
    if (t == "LIF")
        convert_lif(r, n, s);
    else if (t == "IF")
        convert_if(r, n, s);
    else
        convert_cuba(r, n, s);
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("spikingjelly.from-canonical",
                            "canonical reading -> what SpikingJelly's import_from_nir rebuilds "
                            "faithfully",
                            "SpikingJelly's import_from_nir") {
        add_number("dt", 0, "dt to pass to import_from_nir; 0 = the source's dt").min(0);
        convert("LIF", convert_neuron);
        convert("CubaLIF", convert_neuron);
        convert("IF", convert_neuron);
        convert("AvgPool2d", [](Run& r, const std::string& n) { expand_pool_pairs(r.g, n); });
        keep({"Input", "Output", "Affine", "Linear", "Conv1d", "Conv2d", "Flatten"});
        handles({"reset", "spike_timing", "initial_state"});
    }

private:
    void start(Run& r) override {
        r.state.dt = r.options.number("dt") > 0 ? r.options.number("dt") : r.dt;
    }

    void finish(Run& r) override {
        r.set_target("spikingjelly-import", r.state.dt);
        r.import_argument("dt", r.state.dt);
        r.import_argument("step_mode", std::string("s"));
        r.diag.note("import with spikingjelly.activation_based.nir_exchange.import_from_nir("
                    "graph, dt=" +
                    format_number(r.state.dt) + ", step_mode='s')");
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::spikingjelly
