// spyx.from-canonical: canonical reading -> the graph spyx.nir.from_nir(graph, x, dt=...)
// turns into a model that behaves like the source.
//
// from_nir (spyx/nir.py, Spyx 1.0.0) sets beta = 1 - dt/tau (clipped to [0, 1]) and adds the
// input with gain one; it ignores r, w_in, v_leak and v_reset, follows one chain from "input",
// transposes neuron parameters to channels-last and flattens channels-last, and drops Delay,
// Scale and I without a word. Its cells spike from the previous membrane and subtract. So:
// time constants are rescaled to keep each per-step decay at the chosen dt; the canonical
// input gain g = r dt/tau is moved into the membrane's units (threshold/g); Flatten + Affine
// becomes one full-kernel Conv2d (which has no flattening order, while Spyx flattens
// channels-last and the simulator channels-first); AvgPool2d becomes a channel-diagonal
// Conv2d; a Scale right before a population is folded into its input gain. A recurrent
// layer (a reset_next_step neuron N <-> W, then a one-step Delay: what spyx.to-canonical
// reads RLIF/RCuBaLIF as) is kept as that 2-cycle, which from_nir turns into RLIF/RCuBaLIF
// with W (an IF becomes a LIF with tau = inf, from_nir's cycle test wants LIF/CubaLIF); the
// Delay stays so that the file reads right under NIR semantics (and --verify), from_nir drops
// it, its recurrent cells having that lag built in. Everything else (same-step spikes, other
// resets, v_leak, other cycles, branches, Delay, I, other Scales: nodes from_nir would drop)
// is refused with the node path and the reason.
#include "passes.hpp"

#include <map>
#include <set>

namespace nirb::plugins::spyx {

namespace {

/// A recurrent layer: the neuron's back-edge weight and the Delay after it ("" if none).
struct Recurrent {
    std::string weight, delay;
};

struct State {
    double dt = 0;                              ///< the dt from_nir will step with
    std::map<std::string, Recurrent> recurrent; ///< neuron -> its recurrent layer
    std::set<std::string> layer_nodes;          ///< every weight and Delay of those layers
};
using Context = FromCanonicalRun<State>;

/// Spyx's recurrent cells: the spike S_t = V_{t-1} > theta is subtracted and fed back
/// through W in step t, i.e. a reset_next_step neuron (z_t = V_t > theta, R_t = z_{t-1})
/// whose back edge carries z_{t-1}, followed by a one-step Delay (the layer outputs z_{t-1}).
bool recurrent_expressible(Context& c, const std::string& n, const Semantics& s) {
    const auto& layer = c.state.recurrent.at(n);
    std::string why;
    if (s.spike_timing != canonical::SpikeTiming::ResetNextStep)
        why = "its spike timing is " + std::string(canonical::to_string(s.spike_timing));
    else if (layer.delay.empty())
        why = "no one-step Delay follows the neuron (Spyx would emit every spike one step late)";
    if (c.g.type(layer.weight) == "Affine" &&
        !all_close(values(c.g, layer.weight, "bias", neuron_count(c.g, n), 0), 0.0, 0))
        why = "the recurrent weight '" + layer.weight + "' has a bias (from_nir ignores it)";
    if (why.empty())
        return true;
    c.verdict.impossible(n, "recurrent layer: Spyx's RIF/RLIF/RCuBaLIF subtract and feed back "
                            "the spike computed from the previous membrane in the same step (a "
                            "reset_next_step neuron whose back edge carries its own spike, then "
                            "a one-step Delay); here " +
                                why);
    return false;
}

bool expressible(Context& c, const std::string& n, const Semantics& s) {
    const bool cuba = c.g.type(n) == "CubaLIF";
    const auto reset =
        cuba ? canonical::ResetMode::SubtractBeforeDecay : canonical::ResetMode::Subtract;
    const auto count = neuron_count(c.g, n);
    if (c.state.recurrent.count(n)) {
        if (!recurrent_expressible(c, n, s))
            return false;
    } else if (s.spike_timing != canonical::SpikeTiming::PreviousState) {
        c.verdict.impossible(
            n, "spike timing " + std::string(canonical::to_string(s.spike_timing)) +
                   ": Spyx computes the spike from the previous membrane, one step later "
                   "than the source in every layer");
        return false;
    }
    if (s.reset != reset) {
        c.verdict.impossible(n, "reset " + std::string(canonical::to_string(s.reset)) +
                                    ": Spyx's " +
                                    (cuba ? "CuBaLIF subtracts the threshold "
                                            "before the decay"
                                          : "neurons subtract the threshold"));
        return false;
    }
    if (!all_close(values(c.g, n, "v_leak", count, 0), 0.0, 0)) {
        c.verdict.impossible(n, "v_leak != 0: from_nir ignores v_leak");
        return false;
    }
    if (s.initial_state == canonical::InitialState::VReset &&
        !all_close(values(c.g, n, "v_reset", count, 0), 0.0, 0)) {
        c.verdict.impossible(n, "the source starts at v_reset != 0, Spyx at 0");
        return false;
    }
    return true;
}

/// A time constant whose decay 1 - dt/tau is 1 in float32 (Spyx's and the simulator's
/// arithmetic: 1 - 1e-9 rounds to 1), where a file cannot hold tau = inf.
constexpr double kNoLeakSteps = 1e9;

/// tau = dt/(1 - decay) at the target dt (kNoLeakSteps dt for decay 1).
std::vector<double> time_constants(double dt, const std::vector<double>& decay) {
    std::vector<double> tau;
    for (double d : decay)
        tau.push_back(d >= 1 ? kNoLeakSteps * dt : dt / (1 - d));
    return tau;
}

/// Spyx's encoding of one population: beta kept at the target dt, membrane in units of the
/// canonical input gain (threshold / gain), r = beta and v_leak = 0 as to_nir writes them.
void write_population(Context& c, const std::string& n, const std::vector<double>& beta,
                      const std::vector<double>& gain) {
    const auto shape = neuron_shape(c.g, n);
    const auto count = beta.size();
    const auto type = c.g.type(n);
    auto th = values(c.g, n, "v_threshold", count, 0);
    for (std::size_t i = 0; i < count; ++i)
        th[i] /= gain[i];
    if (type != "IF")
        set_values(c.g, n, type == "CubaLIF" ? "tau_mem" : "tau", time_constants(c.state.dt, beta),
                   shape);
    set_values(c.g, n, "v_threshold", th, shape);
    set_values(c.g, n, "r", type == "IF" ? std::vector<double>(count, 1.0) : beta, shape);
    if (c.g.has_param(n, "v_leak"))
        set_values(c.g, n, "v_leak", std::vector<double>(count, 0.0), shape);
    if (c.g.has_param(n, "v_reset"))
        set_values(c.g, n, "v_reset", std::vector<double>(count, 0.0), shape);
}

bool positive(Context& c, const std::string& n, const std::vector<double>& gain) {
    for (double x : gain)
        if (!(x > 0)) {
            c.verdict.impossible(n, "input gain r dt/tau <= 0: Spyx adds the input with gain 1");
            return false;
        }
    return true;
}

void convert_lif(Context& c, const std::string& n) {
    if (!expressible(c, n, c.semantics(n)))
        return;
    const auto k = coefficients(c.g, n, c.dt);
    for (double b : k.beta)
        if (b < 0)
            return c.verdict.impossible(n, "beta = 1 - dt/tau < 0: from_nir clips it to 0");
    if (positive(c, n, k.gain))
        write_population(c, n, k.beta, k.gain);
}

void convert_if(Context& c, const std::string& n) {
    if (!expressible(c, n, c.semantics(n)))
        return;
    const auto count = neuron_count(c.g, n);
    auto gain = values(c.g, n, "r", count, 1);
    for (auto& x : gain)
        x *= c.dt; // canonical IF: v += r dt x
    if (!positive(c, n, gain))
        return;
    if (c.state.recurrent.count(n)) { // from_nir's recurrent cycle test wants LIF/CubaLIF
        c.g.set_type(n, "LIF");
        set_values(c.g, n, "tau", std::vector<double>(count, 1.0), neuron_shape(c.g, n));
        set_values(c.g, n, "v_leak", std::vector<double>(count, 0.0), neuron_shape(c.g, n));
        c.verdict.note(n, "IF as a LIF with tau = 1e9 dt (beta = 1 in float32): from_nir builds "
                          "RLIF");
    }
    write_population(c, n, std::vector<double>(count, 1.0), gain);
}

/// CubaLIF: current in units of its input gain a (I/a), membrane in units of a g.
void convert_cuba(Context& c, const std::string& n) {
    if (!expressible(c, n, c.semantics(n)))
        return;
    const auto k = coefficients(c.g, n, c.dt);
    for (std::size_t i = 0; i < k.beta.size(); ++i)
        if (k.beta[i] < 0 || k.alpha[i] < 0)
            return c.verdict.impossible(n, "a decay 1 - dt/tau < 0: from_nir clips it to 0");
    std::vector<double> gain;
    for (std::size_t i = 0; i < k.beta.size(); ++i)
        gain.push_back(k.gain[i] * k.syn_gain[i]);
    if (!positive(c, n, gain))
        return;
    write_population(c, n, k.beta, gain);
    const auto shape = neuron_shape(c.g, n);
    set_values(c.g, n, "tau_syn", time_constants(c.state.dt, k.alpha), shape);
    set_values(c.g, n, "w_in", std::vector<double>(k.beta.size(), 1.0), shape);
}

void convert_structure(Context& c, const std::string& n) {
    const auto t = c.g.type(n);
    if (t == "AvgPool2d") {
        const auto chw = input_chw(c.g, n);
        if (!chw)
            return c.verdict.impossible(n, "AvgPool2d whose (C, H, W) input shape is unknown");
        avgpool_to_conv(c.g, n, *chw);
        c.verdict.note(n, "AvgPool2d as a channel-diagonal Conv2d (from_nir has no AvgPool2d)");
    } else if (t == "Flatten") {
        std::string why;
        if (eliminate_flatten(c.g, n, why))
            c.verdict.note(n, "Flatten + Affine as one full-kernel Conv2d (no flattening order)");
        else
            c.verdict.impossible(n, "Flatten: Spyx flattens channels-last, and the Flatten + "
                                    "Affine rewrite does not apply (" +
                                        why + ")");
    }
}

/// Scale feeding only one neuron population: folded into that population's input gain (r,
/// CubaLIF w_in), which from-canonical then moves into the threshold. from_nir would drop it.
void fold_scale(Context& c, const std::string& n) {
    const auto next = successors(c.g, n);
    const auto prev = predecessors(c.g, n);
    const auto type = next.size() == 1 ? c.g.type(next[0]) : "";
    if (prev.size() != 1 || !spiking_neuron(type) || predecessors(c.g, next[0]).size() != 1)
        return c.verdict.impossible(n, "Scale not directly before a neuron population: "
                                       "from_nir drops Scale and there is no gain to fold it into");
    const auto& target = next[0];
    const auto count = neuron_count(c.g, target);
    const auto scale = values(c.g, n, "scale", count, 1);
    const char* gain = type == "CubaLIF" ? "w_in" : "r";
    auto g = values(c.g, target, gain, count, 1);
    for (std::int64_t i = 0; i < count; ++i)
        g[i] *= scale[i];
    set_values(c.g, target, gain, g, neuron_shape(c.g, target));
    c.g.remove_node(n);
    c.g.connect(prev[0], target);
    c.verdict.note(target, std::string("Scale '") + n + "' folded into " + gain +
                               " (from_nir would drop it)");
}

void refuse_dropped(Context& c, const std::string& n) {
    c.verdict.impossible(n, c.g.type(n) + ": from_nir drops it without a word, and Spyx has "
                                          "nothing to express it with");
}

/// The one-step Delay after a recurrent neuron: kept at one step of the target dt (from_nir
/// drops it; its RLIF/RCuBaLIF emit the spike one step late themselves). Any other Delay:
/// refused.
void convert_delay(Context& c, const std::string& n) {
    if (!c.state.layer_nodes.count(n))
        return refuse_dropped(c, n);
    const auto neuron = predecessors(c.g, n).at(0);
    const auto count = neuron_count(c.g, neuron);
    if (!all_close(values(c.g, n, "delay", count, 0), c.dt, 1e-6))
        return c.verdict.impossible(n, "Delay after a recurrent neuron that is not one step: "
                                       "Spyx's recurrent cells lag exactly one step");
    set_values(c.g, n, "delay", std::vector<double>(count, c.state.dt), neuron_shape(c.g, neuron));
}

/// Every neuron <-> Linear/Affine 2-cycle whose weight touches only that neuron, and the
/// Delay fed only by the neuron (if it has one).
void find_recurrent(Context& c) {
    for (const auto& n : c.g.nodes()) {
        if (!spiking_neuron(c.g.type(n)))
            continue;
        for (const auto& w : successors(c.g, n)) {
            const auto type = c.g.type(w);
            if ((type != "Linear" && type != "Affine") ||
                predecessors(c.g, w) != std::vector<std::string>{n} ||
                successors(c.g, w) != std::vector<std::string>{n})
                continue;
            Recurrent layer{w, ""};
            c.state.layer_nodes.insert(w);
            for (const auto& d : successors(c.g, n))
                if (c.g.type(d) == "Delay" && predecessors(c.g, d).size() == 1 &&
                    successors(c.g, d).size() == 1) {
                    layer.delay = d;
                    c.state.layer_nodes.insert(d);
                }
            c.state.recurrent[n] = layer;
        }
    }
}

/// from_nir follows one chain from "input": any other cycle or branch is refused. A recurrent
/// neuron's weight is not counted among its inputs and outputs (from_nir folds the 2-cycle).
void check_chain(Context& c) {
    for (const auto& n : c.g.nodes()) {
        if (c.state.layer_nodes.count(n) && c.g.type(n) != "Delay")
            continue; // a recurrent weight (its only neighbour is its neuron)
        auto succ = successors(c.g, n);
        auto pred = predecessors(c.g, n);
        if (auto it = c.state.recurrent.find(n); it != c.state.recurrent.end()) {
            std::erase(succ, it->second.weight);
            std::erase(pred, it->second.weight);
        }
        if (c.g.type(n) != "Output" && succ.size() != 1)
            c.verdict.impossible(n, "from_nir follows a single chain from \"input\": this node "
                                    "has " +
                                        std::to_string(succ.size()) + " outputs");
        else if (c.g.type(n) != "Input" && pred.size() != 1)
            c.verdict.impossible(n, "from_nir follows a single chain from \"input\": this node "
                                    "has " +
                                        std::to_string(pred.size()) + " inputs");
    }
}

/// from_nir groups a recurrent cycle under the name before the first '.' of its neuron: keep
/// that name free of other nodes.
void free_group_names(Context& c) {
    for (const auto& [n, layer] : std::map(c.state.recurrent)) {
        const auto group = n.substr(0, n.find('.'));
        if (group == n || !c.g.has_node(group))
            continue;
        auto renamed = n;
        std::replace(renamed.begin(), renamed.end(), '.', '_');
        while (c.g.has_node(renamed))
            renamed += "_";
        c.g.rename_node(n, renamed);
        c.state.recurrent.erase(n);
        c.state.recurrent[renamed] = layer;
        c.verdict.note(renamed, "renamed from '" + n +
                                    "' (from_nir would name its recurrent "
                                    "layer '" +
                                    group + "', another node's name)");
    }
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("spyx.from-canonical",
                            "canonical reading -> what spyx.nir.from_nir rebuilds faithfully",
                            "spyx.nir.from_nir") {
        add_number("dt", 0, "dt to pass to from_nir; 0 = the source's dt").min(0);
        convert("LIF", convert_lif);
        convert("IF", convert_if);
        convert("CubaLIF", convert_cuba);
        convert("AvgPool2d", convert_structure);
        convert("Flatten", convert_structure);
        convert("Delay", convert_delay);
        convert("I", refuse_dropped);
        keep({"Input", "Output", "Affine", "Linear", "Conv2d", "SumPool2d",
              "Scale"}); // Scale: folded or refused in start()
        handles({"reset", "spike_timing", "initial_state"});
    }

private:
    void start(Context& c) override {
        c.state.dt = c.options.number("dt") > 0 ? c.options.number("dt") : c.dt;
        for (const auto& n : c.g.nodes()) // before the neurons read their gains
            if (c.g.type(n) == "Scale")
                fold_scale(c, n);
        find_recurrent(c);
        free_group_names(c);
        check_chain(c);
    }

    void finish(Context& c) override {
        // from_nir starts its chain at the node named "input".
        for (const auto& n : c.g.nodes())
            if (c.g.type(n) == "Input" && n != "input" && !c.g.has_node("input")) {
                c.g.rename_node(n, "input");
                c.verdict.note("input",
                               "Input '" + n + "' renamed 'input' (from_nir starts there)");
            }
        c.set_target("spyx", c.state.dt);
        c.import_argument("dt", c.state.dt);
        // The spyx profile subtracts after the decay (LIF, IF); CuBaLIF before it. A recurrent
        // neuron is read as reset_next_step (its Delay gives the spike Spyx emits).
        for (const auto& n : c.g.nodes())
            if (c.g.type(n) == "CubaLIF")
                c.g.set_metadata(n, canonical::semantics_meta_key("reset"),
                                 "subtract_before_decay");
        for (const auto& [n, layer] : c.state.recurrent)
            c.g.set_metadata(
                n, canonical::semantics_meta_key("spike_timing"),
                std::string(canonical::to_string(canonical::SpikeTiming::ResetNextStep)));
        c.diag.note("import with spyx.nir.from_nir(graph, x, dt=" + format_number(c.state.dt) +
                    "), x time-major (T, B, ...) and channels-last");
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::spyx
