// mlxsnn.from-canonical: canonical reading -> the graph mlx-snn 0.5.0's import_from_nir turns
// into a model that behaves like the source.
//
// The importer (nir_import.py) runs the nodes one after the other in topological order, each
// taking the previous one's output (a chain; it rejects cycles and ignores the edges
// otherwise), builds every LIF/CubaLIF/IF with ONE beta, alpha and threshold per layer (the
// MEAN of tau and v_threshold), always subtracts in the same step, fires on >=, starts at 0 and
// ignores r, w_in, v_leak and v_reset. So the graph must be a chain with an Affine/Linear
// before every neuron (the importer takes the neuron count from it); per-neuron input gains
// and thresholds are folded into that layer's weights (the membrane scales linearly with its
// input under a subtract reset), leaving one threshold per layer; per-neuron decays cannot be
// expressed and are refused naming the layer. The result is written in export_to_nir's own
// convention (tau = dt/(1-beta), r = 1/(1-beta), CubaLIF w_in = 1, IF r = 1, thresholds one
// float32 step up for its >=), so it reads back exactly with mlxsnn.to-canonical.
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::mlxsnn {

namespace {

/// What the converters of one run share.
struct State {
    double dt = 0; ///< the dt import_from_nir will step with
};
using Context = FromCanonicalRun<State>;

bool check_semantics(Context& c, const std::string& n, const Semantics& s) {
    if (s.spike_timing == canonical::SpikeTiming::ResetNextStep &&
        s.reset == canonical::ResetMode::Subtract)
        c.verdict.impossible(n, "the source subtracts the threshold one step late "
                                "(snnTorch reset_delay=True); that needs a self-feedback cycle "
                                "and import_from_nir rejects cycles");
    else if (s.spike_timing != canonical::SpikeTiming::SameStep)
        c.verdict.impossible(n, "spike timing " +
                                    std::string(canonical::to_string(s.spike_timing)) +
                                    ": mlx-snn spikes and resets in the same step");
    else if (s.reset != canonical::ResetMode::Subtract)
        c.verdict.impossible(n, "reset " + std::string(canonical::to_string(s.reset)) +
                                    ": import_from_nir always builds reset_mechanism=subtract");
    else if (c.g.type(n) != "IF" &&
             !all_close(values(c.g, n, "v_leak", neuron_count(c.g, n), 0), 0.0, 0))
        c.verdict.impossible(n, "v_leak != 0: import_from_nir ignores v_leak (leaks to 0)");
    else {
        const auto count = neuron_count(c.g, n);
        if (s.initial_state == canonical::InitialState::VReset &&
            !all_close(values(c.g, n, "v_reset", count, 0), 0.0, 0))
            c.verdict.approximate(n, "mlx-snn starts at 0, the source at v_reset");
        return true;
    }
    return false;
}

/// One value for the whole layer, or an impossible verdict naming the layer and `what`.
bool one_per_layer(Context& c, const std::string& n, const std::vector<double>& v,
                   const std::string& what) {
    if (uniform(v, 1e-6))
        return true;
    c.verdict.impossible(n, "per-neuron " + what + " (" + short_number(v.front()) + " .. " +
                                short_number(v.back()) +
                                "): import_from_nir averages it over the layer; it cannot be "
                                "folded into the weights");
    return false;
}

/// Fold `gain` and the threshold differences into the weights before `n`; write one threshold.
void fold_and_threshold(Context& c, const std::string& n, std::vector<double> gain) {
    const auto count = neuron_count(c.g, n);
    const auto theta = values(c.g, n, "v_threshold", count, 0);
    const double common = theta.front();
    bool unit = true;
    for (std::int64_t i = 0; i < count; ++i) {
        gain[i] *= common / theta[i];
        unit = unit && std::fabs(gain[i] - 1) <= 1e-7;
    }
    std::string why;
    if (!unit && !fold_input_gains(c.g, n, gain, why))
        return c.verdict.impossible(n, "per-neuron input gains and thresholds must go into the "
                                       "weights, but " +
                                           why);
    if (!unit)
        c.verdict.note(n, "input gain and per-neuron thresholds folded into the incoming "
                          "weights (one threshold per layer)");
    set_values(c.g, n, "v_threshold", step_thresholds(std::vector<double>(count, common), +1),
               neuron_shape(c.g, n));
}

/// The importer takes the neuron count from the Linear before a neuron.
bool weight_before(Context& c, const std::string& n) {
    const auto preds = predecessors(c.g, n);
    if (preds.size() == 1 && (c.g.type(preds[0]) == "Affine" || c.g.type(preds[0]) == "Linear"))
        return true;
    c.verdict.impossible(n, "import_from_nir needs exactly one Affine/Linear before each neuron "
                            "(it takes the neuron count from it)");
    return false;
}

void convert_neuron(Context& c, const std::string& n) {
    const auto s = c.semantics(n);
    if (!check_semantics(c, n, s) || !weight_before(c, n))
        return;
    const auto t = c.g.type(n);
    const auto count = neuron_count(c.g, n);
    const auto shape = neuron_shape(c.g, n);
    const std::vector<double> ones(count, 1.0);
    if (t == "IF") {
        auto gain = values(c.g, n, "r", count, 1);
        for (auto& e : gain)
            e *= c.dt; // canonical IF: v += r dt x; mlx-snn: mem += x
        set_values(c.g, n, "r", ones, shape);
        return fold_and_threshold(c, n, gain);
    }
    const auto k = coefficients(c.g, n, c.dt);
    if (!one_per_layer(c, n, k.beta, "membrane decay beta"))
        return;
    std::vector<double> gain = k.gain, tau(count), r(count);
    for (std::int64_t i = 0; i < count; ++i) {
        tau[i] = c.state.dt / (1 - k.beta[0]);
        r[i] = 1 / (1 - k.beta[0]);
    }
    if (t == "CubaLIF") {
        if (!one_per_layer(c, n, k.alpha, "synaptic decay alpha"))
            return;
        std::vector<double> ts(count, c.state.dt / (1 - k.alpha[0]));
        for (std::int64_t i = 0; i < count; ++i)
            gain[i] *= k.syn_gain[i]; // syn = alpha syn + x; mem = beta mem + syn
        set_values(c.g, n, "tau_syn", ts, shape);
        set_values(c.g, n, "tau_mem", tau, shape);
        set_values(c.g, n, "w_in", ones, shape);
    } else {
        set_values(c.g, n, "tau", tau, shape);
    }
    set_values(c.g, n, "r", r, shape);
    set_values(c.g, n, "v_reset", std::vector<double>(count, 0.0), shape);
    fold_and_threshold(c, n, gain);
}

/// The importer runs nodes as a chain: every node has one input and one output.
void check_chain(Context& c) {
    for (const auto& n : c.g.nodes()) {
        const auto t = c.g.type(n);
        const auto in = predecessors(c.g, n).size();
        const auto out = successors(c.g, n).size();
        if ((t != "Input" && in != 1) || (t != "Output" && out != 1))
            c.verdict.impossible(n, "import_from_nir runs the nodes as one chain (each feeding "
                                    "the next); this node has " +
                                        std::to_string(in) + " input(s) and " +
                                        std::to_string(out) + " output(s)");
    }
}

/// Nodes import_from_nir skips with a warning, after which init_states or the run fails.
void refuse_skipped(Context& c, const std::string& n) {
    c.verdict.impossible(n, c.g.type(n) + ": import_from_nir skips it with a warning (it builds "
                                          "only Affine, Linear, LIF, CubaLIF and IF), then fails");
}

class FromCanonical : public FromCanonicalPass<State> {
public:
    FromCanonical()
        : FromCanonicalPass("mlxsnn.from-canonical",
                            "canonical reading -> what mlxsnn.import_from_nir rebuilds "
                            "faithfully",
                            "mlxsnn.import_from_nir") {
        add_number("dt", 0, "dt to pass to import_from_nir; 0 = the source's dt").min(0);
        convert("LIF", convert_neuron);
        convert("CubaLIF", convert_neuron);
        convert("IF", convert_neuron);
        for (const char* t : {"Conv1d", "Conv2d", "Flatten", "SumPool2d", "AvgPool2d", "LI",
                              "CubaLI", "I", "Scale", "Threshold", "Delay"})
            convert(t, refuse_skipped);
        keep({"Input", "Output", "Affine", "Linear"});
        handles({"reset", "spike_timing", "initial_state"});
    }

private:
    void start(Context& c) override {
        c.state.dt = c.options.number("dt") > 0 ? c.options.number("dt") : c.dt;
    }

    void finish(Context& c) override {
        check_chain(c);
        c.set_target("mlxsnn", c.state.dt);
        c.import_argument("dt", c.state.dt);
        c.diag.note("import with mlxsnn.import_from_nir(graph, dt=" + format_number(c.state.dt) +
                    ")");
    }
};

} // namespace

void add_from_canonical(Plugin& p) {
    p.add_pass<FromCanonical>();
}

} // namespace nirb::plugins::mlxsnn
