// Exporter fingerprint of Sinabs 3.1.3's to_nir (sinabs/nir.py, checked against the installed
// exporter): LIF/LI with r = 1, v_leak = 0 and tau in time steps (>= 1, where a time constant
// in seconds would be far below 1), IF with r = 1; SumPool2d is Sinabs' own pooling layer (no
// other exporter here writes it). nn.Linear is always written as Affine.
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::sinabs {

namespace {

/// 1 when node `n` follows Sinabs' pattern, 0.5 for a bare IF with r = 1 (Norse writes the
/// same), else 0; one evidence line.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    if (!all_close(values(g, n, "r", count, 1), 1.0, 1e-7)) {
        ev += t + " '" + n + "': r != 1 (Sinabs writes 1)\n";
        return 0.0;
    }
    if (t == "IF") {
        ev += "IF '" + n + "': r = 1 as Sinabs' IAF export\n";
        return 0.5;
    }
    if (t != "LIF" && t != "LI") {
        ev += t + " '" + n + "': Sinabs' exporter never writes " + t + "\n";
        return 0.0;
    }
    const auto tau = values(g, n, "tau", count, 0);
    const double min_tau = *std::min_element(tau.begin(), tau.end());
    if (min_tau >= 1 && all_close(values(g, n, "v_leak", count, 0), 0.0, 0)) {
        ev += t + " '" + n + "': r = 1, v_leak = 0 and tau >= " + short_number(min_tau) +
              ": a time constant in Sinabs' time steps\n";
        return 1.0;
    }
    ev += t + " '" + n + "': tau = " + short_number(min_tau) +
          " is not in time steps (Sinabs' tau is >= 1 step)\n";
    return 0.0;
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    double hits = 0;
    int neurons = 0;
    bool sum_pool = false;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (is_neuron(t)) {
            ++neurons;
            hits += neuron_clue(g, n, t, ev);
        } else if (t == "SumPool2d") {
            sum_pool = true;
        } else if (t == "Linear" || t == "AvgPool2d") {
            ev += t + " '" + n + "': Sinabs 3.1.3's exporter never writes " + t + "\n";
            hits -= 0.5;
        }
    }
    if (neurons == 0) {
        ev += "no neuron nodes to fingerprint\n";
        return 0.0;
    }
    double score = hits / neurons;
    if (sum_pool && hits > 0) { // supports neurons that look like Sinabs', never replaces them
        ev += "SumPool2d: Sinabs' own pooling layer\n";
        score += 0.5;
    }
    return std::clamp(score, 0.0, 1.0);
}

} // namespace nirb::plugins::sinabs
