// scneurocore.from-canonical: canonical reading -> the graph SC-NeuroCore 3.16.0's
// from_nir(graph, dt=..., reset_mode=...) turns into a network that behaves like the source.
//
// The importer reads every per-neuron parameter faithfully and steps the canonical equations
// at its `dt` keyword, so LIF/CubaLIF/IF need no rewrite for a same-step reset to v_reset or
// subtraction. What it cannot take: one reset_mode for the whole network (mixed resets are
// refused), no "no reset", LIF/CubaLIF always starting at v_leak and IF at 0, and neuron
// populations flattened to 1-d (a spatial neuron followed by pooling does not pool). A
// subtraction one step late (snnTorch's reset_delay=True) is an immediate subtraction plus a
// one-step-delayed self-feedback -theta/r (SC-NeuroCore delays back edges by one step); a
// CubaLIF first becomes its synapse (an LI node) feeding a LIF, so the feedback reaches the
// membrane only.
#include "passes.hpp"

#include <set>

namespace nirb::plugins::scneurocore {

namespace {

/// What the converters of one run share.
struct State {
    std::set<std::string> modes; ///< reset_mode each spiking node needs
};
using Context = FromCanonicalRun<State>;

std::vector<double> zeros(std::size_t n) {
    return std::vector<double>(n, 0.0);
}

/// False (with the reason) when SC-NeuroCore cannot express the node's reset or start.
bool check_semantics(Context& c, const std::string& n, const Semantics& s) {
    const auto count = neuron_count(c.g, n);
    if (s.spike_timing != canonical::SpikeTiming::SameStep &&
        s.spike_timing != canonical::SpikeTiming::ResetNextStep) {
        c.verdict.impossible(n, "spike timing " +
                                    std::string(canonical::to_string(s.spike_timing)) +
                                    ": SC-NeuroCore spikes from the new membrane and resets in "
                                    "the same step");
        return false;
    }
    if (s.reset == canonical::ResetMode::ZeroWithInput) {
        c.verdict.impossible(n, "the source zeroes the whole update of the step after a spike "
                                "(snnTorch Synaptic/RLeaky zero reset, reset_delay=True); "
                                "SC-NeuroCore has no refractory step");
        return false;
    }
    if (s.reset == canonical::ResetMode::None) {
        c.verdict.impossible(n, "no reset: SC-NeuroCore's neurons always reset");
        return false;
    }
    const bool is_if = c.g.type(n) == "IF";
    const auto start = is_if ? zeros(count) : values(c.g, n, "v_leak", count, 0);
    std::vector<double> wanted = zeros(count);
    if (s.initial_state == canonical::InitialState::VLeak && !is_if)
        wanted = values(c.g, n, "v_leak", count, 0);
    if (s.initial_state == canonical::InitialState::VReset)
        wanted = values(c.g, n, "v_reset", count, 0);
    for (std::int64_t i = 0; i < count; ++i)
        if (wanted[i] != start[i]) {
            c.verdict.approximate(n, std::string("SC-NeuroCore starts ") +
                                         (is_if ? "IF at 0" : "at v_leak") + ", the source at " +
                                         std::string(canonical::to_string(s.initial_state)));
            break;
        }
    c.state.modes.insert(s.reset == canonical::ResetMode::Subtract ? "subtract" : "reset");
    return true;
}

/// Turn CubaLIF `n` into its synapse `<n>.syn` (LI: tau_syn, r = w_in, v_leak = 0, which
/// SC-NeuroCore steps like the CubaLIF current) feeding `n` as a LIF that reads the new value.
bool split_synapse(Context& c, const std::string& n) {
    const auto shape = neuron_shape(c.g, n);
    const auto count = neuron_count(c.g, n);
    const auto syn = n + ".syn";
    c.g.add_node(syn, "LI");
    set_values(c.g, syn, "tau", values(c.g, n, "tau_syn", count, 0), shape);
    set_values(c.g, syn, "r", values(c.g, n, "w_in", count, 1), shape);
    set_values(c.g, syn, "v_leak", zeros(count), shape);
    for (const auto& p : predecessors(c.g, n)) {
        c.g.disconnect(p, n);
        c.g.connect(p, syn);
    }
    c.g.connect(syn, n);
    set_values(c.g, n, "tau", values(c.g, n, "tau_mem", count, 0), shape);
    for (const char* f : {"tau_syn", "tau_mem", "w_in"})
        c.g.remove_param(n, f);
    c.g.set_type(n, "LIF");
    return true;
}

/// snnTorch's one-step-late subtraction: immediate subtraction + feedback -theta/r of the
/// previous step's spikes into the membrane (exact: docs/frameworks/conversion.md).
void late_subtract(Context& c, const std::string& n) {
    const bool cuba = c.g.type(n) == "CubaLIF";
    if (cuba)
        split_synapse(c, n);
    const auto count = neuron_count(c.g, n);
    const auto th = values(c.g, n, "v_threshold", count, 0);
    const auto r = values(c.g, n, "r", count, 1);
    std::vector<double> fb;
    for (std::int64_t i = 0; i < count; ++i)
        fb.push_back(-th[i] / r[i]);
    std::string why;
    if (!add_self_feedback(c.g, n, "late_reset", fb, why))
        return c.verdict.impossible(n, "reset one step late needs a self-feedback: " + why);
    c.verdict.note(n, std::string(cuba ? "synapse as an LI node, " : "") +
                          "subtract reset one step late = immediate subtraction + "
                          "self-feedback -theta/r");
}

void convert_neuron(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    if (!check_semantics(c, n, s))
        return;
    if (s.reset == canonical::ResetMode::Subtract &&
        s.spike_timing == canonical::SpikeTiming::ResetNextStep) {
        // Without a leak, subtracting late or at once leaves the same membrane.
        if (c.g.type(n) != "IF")
            return late_subtract(c, n);
    }
    // A zero reset one step late gives the spikes of a same-step one (conversion.md).
    if (!c.g.has_param(n, "v_reset"))
        set_values(c.g, n, "v_reset", zeros(neuron_count(c.g, n)), neuron_shape(c.g, n));
}

/// A spatial neuron population: SC-NeuroCore flattens it, so only weight layers that
/// reshape their input (Conv2d, Flatten, Affine/Linear) may follow it.
void check_spatial_successors(Context& c, const std::string& n) {
    if (neuron_shape(c.g, n).size() <= 1)
        return;
    for (const auto& s : successors(c.g, n)) {
        const auto t = c.g.type(s);
        if (t == "SumPool2d" || t == "AvgPool2d")
            c.verdict.impossible(n, "(C, H, W) population followed by " + t + " '" + s +
                                        "': SC-NeuroCore flattens neuron outputs, so the pool "
                                        "passes them through unpooled");
    }
}

/// from_nir cannot build a convolution read from a file (measured with 3.16.0 and numpy 2).
void refuse_conv(Context& c, const std::string& n) {
    c.verdict.impossible(n, c.g.type(n) + ": from_nir crashes on it when the graph comes from "
                                          "a .nir file (nir.read gives stride and padding as "
                                          "arrays; node_map casts each with int())");
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("scneurocore.from-canonical",
                            "canonical reading -> what sc_neurocore.nir_bridge.from_nir "
                            "rebuilds faithfully",
                            "sc_neurocore.nir_bridge.from_nir") {
        add_number("dt", 0, "dt to pass to from_nir; 0 = the source's dt").min(0);
        convert("LIF", convert_neuron);
        convert("CubaLIF", convert_neuron);
        convert("IF", convert_neuron);
        convert("Conv1d", refuse_conv);
        convert("Conv2d", refuse_conv);
        keep({"Input", "Output", "Affine", "Linear", "Scale", "Flatten", "SumPool2d", "AvgPool2d",
              "LI", "I", "Threshold", "Delay"});
        handles({"reset", "spike_timing", "initial_state"});
    }

private:
    void finish(Context& c) override {
        for (const auto& n : c.g.nodes()) {
            const auto t = c.g.type(n);
            if (t == "LIF" || t == "CubaLIF" || t == "IF")
                check_spatial_successors(c, n);
        }
        if (c.state.modes.size() > 1)
            c.verdict.impossible("", "the graph needs both reset_mode=reset and "
                                     "reset_mode=subtract; from_nir takes one for all");
        const std::string mode = c.state.modes.count("subtract") ? "subtract" : "reset";
        double dt = c.options.number("dt") > 0 ? c.options.number("dt") : c.dt;
        // SC-NeuroCore reads tau in units of its dt: rescale to keep every per-step factor.
        if (dt != c.dt)
            rescale_time(c.g, dt / c.dt);
        c.set_target("scneurocore", dt);
        c.import_argument("dt", dt);
        c.import_argument("reset_mode", mode);
        const auto reset = canonical::semantics_meta_key("reset");
        for (const auto& n : c.g.nodes()) {
            const auto t = c.g.type(n);
            if (t == "LIF" || t == "CubaLIF" || t == "IF")
                c.g.set_metadata(n, reset, mode == "subtract" ? "subtract" : "to_v_reset");
        }
        c.diag.note("import with sc_neurocore.nir_bridge.from_nir(graph, dt=" + format_number(dt) +
                    ", reset_mode=\"" + mode + "\")");
    }

    /// Multiply every time constant and delay by `factor` (and the IF/I gain r by 1/factor).
    static void rescale_time(Graph& g, double factor) {
        auto scale = [&](const std::string& n, const char* f, double k) {
            auto t = g.param(n, f);
            for (auto& e : t.values)
                e *= k;
            g.set_param(n, f, t);
        };
        for (const auto& n : g.nodes()) {
            for (const char* f : {"tau", "tau_mem", "tau_syn", "delay"})
                if (g.has_param(n, f))
                    scale(n, f, factor);
            const auto t = g.type(n);
            if ((t == "IF" || t == "I") && g.has_param(n, "r"))
                scale(n, "r", 1 / factor);
        }
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::scneurocore
