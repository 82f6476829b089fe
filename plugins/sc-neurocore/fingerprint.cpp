// Exporter fingerprint of SC-NeuroCore 3.16.0's to_nir: it writes the node parameters as the
// network holds them, and networks run at from_nir's default dt = 1, so time constants are in
// steps (tau >= 1); every LIF/CubaLIF/IF carries an explicit v_reset; neuron parameters are
// flat 1-d arrays even behind a Conv2d (the importer flattens them).
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::scneurocore {

namespace {

/// 1 for the full pattern (tau in steps, v_reset written), 0.5 for one of them, else 0.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    double score = 0;
    if (t == "IF") {
        score = 0.5;
    } else {
        const auto tau = values(g, n, t == "CubaLIF" ? "tau_mem" : "tau", count, 0);
        const bool in_steps = *std::min_element(tau.begin(), tau.end()) >= 1.0;
        score = in_steps ? 0.5 : 0.0;
        ev += t + " '" + n + "': tau " +
              (in_steps ? ">= 1 (steps at SC-NeuroCore's default dt = 1)"
                        : "= " + short_number(tau[0]) + " s, not in steps") +
              "\n";
    }
    if (g.has_param(n, "v_reset")) {
        score += 0.5;
        ev += t + " '" + n + "': v_reset written, as to_nir does\n";
    }
    return score;
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    double hits = 0;
    int neurons = 0;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t == "LIF" || t == "CubaLIF" || t == "IF") {
            ++neurons;
            hits += neuron_clue(g, n, t, ev);
        }
    }
    if (neurons == 0) {
        ev += "no neuron nodes to fingerprint\n";
        return 0.0;
    }
    return std::clamp(hits / neurons, 0.0, 1.0);
}

} // namespace nirb::plugins::scneurocore
