// sinabs.from-canonical: canonical reading -> the graph Sinabs 3.1.3's from_nir turns into a
// module that behaves like the source.
//
// The importer (sinabs/nir.py) builds LIF -> LIFSqueeze(tau_mem = tau in steps, exact decay,
// norm_input=False: input gain 1, r and v_reset ignored, v_leak must be 0), LI ->
// ExpLeakSqueeze (r must be 1), IF -> IAFSqueeze with a floor min_v_mem = -threshold,
// Affine/Conv2d/SumPool2d (padding ignored)/Flatten; every neuron emits floor(v/th) spikes when
// v >= th and subtracts them in the same step; back edges of a cycle are silently dropped; a
// conv-shaped LIF and a Conv1d read from a file crash it. So: each Euler decay beta becomes
// tau = -1/ln(beta) steps, the input gain is absorbed by measuring the membrane in its units
// (threshold / gain), a CubaLIF becomes LI (its synapse) -> LIF, an IF a LIF with tau = 1e9 steps
// (float32 alpha = 1) (no floor), AvgPool2d a channel-diagonal Conv2d, Linear an Affine with zero
// bias; cycles, Conv1d and conv-shaped neurons are refused with the reason. Single-spike sources
// are exact when the spike bound proves at most one spike per step, approximate otherwise.
#include "passes.hpp"

#include <cmath>
#include <limits>
#include <set>

namespace nirb::plugins::sinabs {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
/// A time constant (steps) whose decay exp(-1/tau) rounds to exactly 1 in float32 (and in
/// nirb's float32 simulation): an integrator. NIR files may not hold infinity.
constexpr double k_no_leak_steps = 1e9;

/// Sinabs time constant (steps) with per-step decay `beta` (exp(-1/tau) = beta).
double steps_for(double beta) {
    if (beta >= 1)
        return k_no_leak_steps;
    if (beta <= 0)
        return 1e-3; // exp(-1000) is 0 in float32 and float64: memoryless
    return -1.0 / std::log(beta);
}

struct State {
    double input_max = 1.0;
    std::vector<std::string> single_spike_sources; ///< neurons whose source emits <= 1 per step
    std::vector<std::string> floored; ///< IF nodes imported with min_v_mem = -threshold
};
using Run = FromCanonicalRun<State>;

/// Reasons the source's reset and timing differ from Sinabs' same-step subtraction.
void check_reset(Run& r, const std::string& n, const Semantics& s) {
    Verdict& v = r.verdict;
    const bool late = s.spike_timing != canonical::SpikeTiming::SameStep;
    if (s.reset == canonical::ResetMode::Subtract && !late)
        return;
    if (s.reset == canonical::ResetMode::Subtract)
        return v.approximate(n, "the source subtracts the threshold one step late (spike timing " +
                                    std::string(canonical::to_string(s.spike_timing)) +
                                    "); Sinabs in the same step, and the exact rewrite needs a "
                                    "back edge, which Sinabs' importer drops");
    v.approximate(n, "reset " + std::string(canonical::to_string(s.reset)) +
                         (late ? " (" + std::string(canonical::to_string(s.spike_timing)) + ")"
                               : std::string()) +
                         ": Sinabs' importer always subtracts the threshold in the same step");
}

void check_common(Run& r, const std::string& n, const Semantics& s) {
    const auto count = neuron_count(r.g, n);
    if (!all_close(values(r.g, n, "v_leak", count, 0), 0.0, 0))
        r.verdict.impossible(n, "v_leak != 0: sinabs.from_nir rejects it");
    if (s.comparator == canonical::Comparator::Greater)
        r.verdict.note(n, "Sinabs spikes at v >= threshold, the source at v > threshold: they "
                          "differ only when the membrane equals the threshold exactly");
    if (s.initial_state == canonical::InitialState::VReset &&
        !all_close(values(r.g, n, "v_reset", count, 0), 0.0, 0))
        r.verdict.approximate(n, "the source starts at v_reset != 0; Sinabs at 0");
    if (s.spikes_per_step == canonical::SpikesPerStep::Single)
        r.state.single_spike_sources.push_back(n);
    if (neuron_shape(r.g, n).size() > 1 && r.g.type(n) != "IF")
        r.verdict.impossible(n, "a (C, H, W)-shaped " + r.g.type(n) +
                                    ": sinabs.from_nir crashes on it (`any(node.v_leak)` of a "
                                    "multi-dimensional array)");
    if (s.lower_clamp != canonical::LowerClamp::None &&
        !(s.lower_clamp == canonical::LowerClamp::MinusThreshold && r.g.type(n) == "IF"))
        r.verdict.impossible(n, "lower clamp " + std::string(canonical::to_string(s.lower_clamp)) +
                                    ": sinabs.from_nir builds a floor only for IF (-threshold)");
}

/// Write a Sinabs LIF over `n`'s population: tau in steps, threshold in units of the gain.
void write_lif(Graph& g, const std::string& n, const std::vector<double>& beta,
               const std::vector<double>& gain, const std::vector<double>& th) {
    const auto shape = neuron_shape(g, n);
    std::vector<double> tau, theta;
    for (std::size_t i = 0; i < beta.size(); ++i) {
        tau.push_back(steps_for(beta[i]));
        theta.push_back(th[i] / gain[i]);
    }
    const auto count = beta.size();
    for (const char* f : {"tau_mem", "tau_syn", "w_in"})
        if (g.has_param(n, f))
            g.remove_param(n, f);
    g.set_type(n, "LIF");
    set_values(g, n, "tau", tau, shape);
    set_values(g, n, "v_threshold", theta, shape);
    set_values(g, n, "r", std::vector<double>(count, 1.0), shape);
    set_values(g, n, "v_leak", std::vector<double>(count, 0.0), shape);
    set_values(g, n, "v_reset", std::vector<double>(count, 0.0), shape);
}

bool positive(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x > 0; });
}

void convert_neuron(Run& r, const std::string& n) {
    Graph& g = r.g;
    const Semantics s = r.semantics(n);
    check_common(r, n, s);
    check_reset(r, n, s);
    const auto type = g.type(n);
    const auto count = neuron_count(g, n);
    const auto th = values(g, n, "v_threshold", count, 0);
    if (!positive(th))
        return r.verdict.impossible(n, "threshold <= 0: Sinabs' multi-spike rule needs th > 0");
    if (type == "IF") {
        std::vector<double> gain;
        for (double ri : values(g, n, "r", count, 1))
            gain.push_back(ri * r.dt); // canonical IF: v += r dt x
        if (!positive(gain))
            return r.verdict.impossible(n, "input gain <= 0");
        const bool floor = s.lower_clamp == canonical::LowerClamp::MinusThreshold;
        if (!floor && neuron_shape(g, n).size() == 1) {
            write_lif(g, n, std::vector<double>(count, 1.0), gain, th);
            return r.verdict.note(
                n, "IF as a LIF with tau = 1e9 steps (alpha = 1 in float32): Sinabs' IF "
                   "import would add a floor at -threshold");
        }
        // Kept as IF: IAFSqueeze(min_v_mem = -threshold), membrane in units of the gain.
        std::vector<double> theta;
        for (std::size_t i = 0; i < th.size(); ++i)
            theta.push_back(th[i] / gain[i]);
        const auto shape = neuron_shape(g, n);
        set_values(g, n, "v_threshold", theta, shape);
        set_values(g, n, "r", std::vector<double>(count, 1.0), shape);
        r.state.floored.push_back(n);
        if (!floor)
            r.verdict.approximate(n, "Sinabs imports IF with a floor at -threshold (min_v_mem) "
                                     "the source does not have, and a (C, H, W)-shaped LIF "
                                     "(the floor-free form) crashes its importer");
        return;
    }
    const auto c = coefficients(g, n, r.dt);
    for (double b : c.beta)
        if (b < 0)
            return r.verdict.impossible(n, "dt > tau: the Euler decay 1 - dt/tau is negative, "
                                           "no exponential decay equals it");
    auto gain = c.gain;
    if (type == "CubaLIF") {
        // The synapse as an ExpLeak in front: I' = alpha I' + x, the membrane reads the new I'
        // (measured in units of a g, so the input needs no gain).
        for (double a : c.alpha)
            if (a < 0)
                return r.verdict.impossible(n, "dt > tau_syn: negative Euler decay");
        const auto syn = n + ".syn";
        g.add_node(syn, "LI");
        std::vector<double> tau;
        for (std::size_t i = 0; i < c.alpha.size(); ++i) {
            tau.push_back(steps_for(c.alpha[i]));
            gain[i] *= c.syn_gain[i];
        }
        const auto shape = neuron_shape(g, n);
        set_values(g, syn, "tau", tau, shape);
        set_values(g, syn, "r", std::vector<double>(count, 1.0), shape);
        set_values(g, syn, "v_leak", std::vector<double>(count, 0.0), shape);
        for (const auto& p : predecessors(g, n)) {
            g.disconnect(p, n);
            g.connect(p, syn);
        }
        g.connect(syn, n);
        r.verdict.note(n, "synaptic current as the ExpLeak '" + syn + "' in front of a LIF");
    }
    if (!positive(gain))
        return r.verdict.impossible(n, "input gain <= 0");
    write_lif(g, n, c.beta, gain, th);
}

/// LI: Sinabs' ExpLeak adds its raw input and outputs its state, so the gain goes into the
/// weights that feed it.
void convert_li(Run& r, const std::string& n) {
    Graph& g = r.g;
    const auto s = r.semantics(n);
    const auto count = neuron_count(g, n);
    if (!all_close(values(g, n, "v_leak", count, 0), 0.0, 0))
        return r.verdict.impossible(n, "v_leak != 0: sinabs.from_nir rejects it");
    if (neuron_shape(g, n).size() > 1)
        return r.verdict.impossible(n, "a (C, H, W)-shaped LI: sinabs.from_nir crashes on it");
    (void)s;
    const auto c = coefficients(g, n, r.dt);
    std::string why;
    if (!all_close(c.gain, 1.0, 1e-6) && !fold_input_gains(g, n, c.gain, why))
        return r.verdict.impossible(n, "input gain cannot be folded into the weights feeding "
                                       "it (" +
                                           why + "); Sinabs' ExpLeak adds its raw input");
    std::vector<double> tau;
    for (double b : c.beta)
        tau.push_back(steps_for(b));
    const auto shape = neuron_shape(g, n);
    set_values(g, n, "tau", tau, shape);
    set_values(g, n, "r", std::vector<double>(count, 1.0), shape);
}

void convert_structure(Run& r, const std::string& n) {
    Graph& g = r.g;
    const auto t = g.type(n);
    if (t == "Linear") {
        const auto rows = g.param(n, "weight").shape.at(0);
        g.set_type(n, "Affine");
        return set_values(g, n, "bias", std::vector<double>(rows, 0.0), {rows});
    }
    if (t == "Conv1d")
        return r.verdict.impossible(n, "Conv1d: sinabs.from_nir crashes on a Conv1d read from a "
                                       "file (numpy weight has no .detach())");
    if (t == "AvgPool2d") {
        const auto chw = input_chw(g, n);
        if (!chw)
            return r.verdict.impossible(n, "AvgPool2d with an unknown input shape (Sinabs "
                                           "imports no AvgPool2d; the rewrite needs the shape)");
        avgpool_to_conv(g, n, *chw);
        return r.verdict.note(n, "AvgPool2d as a channel-diagonal Conv2d");
    }
    if (t == "SumPool2d") {
        expand_pool_pairs(g, n);
        if (g.param_view(n, "padding") && !all_close(g.param(n, "padding").values, 0.0, 0))
            r.verdict.impossible(n, "SumPool2d with padding: sinabs.from_nir ignores padding");
    }
}

/// True when `n` can reach itself (it is on a cycle: Sinabs' layers drop the back edge).
bool on_cycle(const Graph& g, const std::string& n) {
    std::vector<std::string> todo = successors(g, n);
    std::set<std::string> seen;
    while (!todo.empty()) {
        const auto m = todo.back();
        todo.pop_back();
        if (m == n)
            return true;
        if (!seen.insert(m).second)
            continue;
        for (const auto& s : successors(g, m))
            todo.push_back(s);
    }
    return false;
}

/// Single-spike sources: exact only when the imported network provably cannot spike twice.
void check_spike_counts(Run& r) {
    if (r.state.single_spike_sources.empty())
        return;
    SpikeBoundModel m;
    m.input_max = r.state.input_max;
    m.beta = [](const Graph& g, const std::string& n) {
        std::vector<double> out;
        for (double t : values(g, n, "tau", neuron_count(g, n), 0))
            out.push_back(std::exp(-1.0 / t));
        return out;
    };
    m.gain = [](const Graph& g, const std::string& n) {
        return std::vector<double>(neuron_count(g, n), 1.0);
    };
    const auto bounds = spike_bounds(r.g, m);
    for (const auto& n : r.state.single_spike_sources) {
        const auto it = bounds.find(n);
        if (it != bounds.end() && it->second <= 1)
            continue;
        const auto most = it == bounds.end() ? k_inf : it->second;
        r.verdict.approximate(
            n,
            "the source emits at most one spike per step, Sinabs floor(v/th) (" +
                (std::isfinite(most) ? "up to " + short_number(most) : std::string("unbounded")) +
                " here for inputs <= " + short_number(r.state.input_max) + ")");
    }
    bool noted = false;
    for (const auto& n : r.state.single_spike_sources)
        noted = noted || (bounds.count(n) && bounds.at(n) > 1);
    if (!noted)
        r.verdict.note("", "at most one spike per step proven for every neuron (inputs <= " +
                               short_number(r.state.input_max) +
                               "), so Sinabs' multi-spike rule gives the source's spikes");
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("sinabs.from-canonical",
                            "canonical reading -> what Sinabs's from_nir rebuilds faithfully",
                            "sinabs.from_nir") {
        add_int("num_timesteps", 1,
                "from_nir(num_timesteps=...) stored as nirb.import.num_timesteps: 1 = call the "
                "module once per step with (B, ...); T = call it once with (B*T, ...)")
            .min(0);
        add_int("batch_size", 0,
                "from_nir(batch_size=...) instead of num_timesteps when > 0 (call the module "
                "with (B*T, ...))")
            .min(0);
        add_number("input_max", 1.0,
                   "largest input value per step and element (1: spikes), for the proof that "
                   "no neuron spikes twice in a step")
            .min(0);
        for (const char* t : {"LIF", "CubaLIF", "IF"})
            convert(t, convert_neuron);
        convert("LI", convert_li);
        for (const char* t : {"Linear", "Conv1d", "AvgPool2d", "SumPool2d"})
            convert(t, convert_structure);
        keep({"Input", "Output", "Affine", "Conv2d", "Flatten"});
        handles({"reset", "spike_timing", "comparator", "spikes_per_step", "initial_state",
                 "lower_clamp"});
    }

    void start(Run& r) override { r.state.input_max = r.options.number("input_max"); }

    void finish(Run& r) override {
        for (const auto& n : r.g.nodes())
            if (on_cycle(r.g, n))
                r.verdict.impossible(n, "on a cycle: Sinabs' importer runs it with the back edge "
                                        "silently dropped");
        check_spike_counts(r);
        r.set_target("sinabs-import", 1.0);
        for (const auto& n : r.state.floored)
            r.g.set_metadata(
                n, canonical::semantics_meta_key("lower_clamp"),
                std::string(canonical::to_string(canonical::LowerClamp::MinusThreshold)));
        const auto batch = r.options.integer("batch_size");
        if (batch > 0)
            r.import_argument("batch_size", batch);
        else
            r.import_argument("num_timesteps",
                              std::max<std::int64_t>(r.options.integer("num_timesteps"), 1));
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::sinabs
