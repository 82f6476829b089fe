// Exporter fingerprint of Norse 1.1.0's to_nir (docs/frameworks/conventions.md §16, checked
// against the installed exporter): r = 1 on every LIF/CubaLIF/LI/IF, w_in = 1, v_reset = 0,
// and tau written as dt_export / tau_mem_inv, i.e. about 1e-3 times a realistic time
// constant (1e-6 .. 1e-4 s at the default dt_export = 1e-3); every nn.Linear becomes an
// Affine; no Flatten is exported.
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::norse {

namespace {

/// 1 for the full Norse pattern, 0.5 for r = 1 with unscaled tau, else 0; one evidence line.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    if (!all_close(values(g, n, "r", count, 1), 1.0, 1e-7) ||
        (t == "CubaLIF" && !all_close(values(g, n, "w_in", count, 1), 1.0, 1e-7))) {
        ev += t + " '" + n + "': r or w_in != 1 (Norse writes 1)\n";
        return 0.0;
    }
    if (t == "IF") {
        ev += "IF '" + n + "': r = 1 as Norse's IAFCell export\n";
        return 1.0;
    }
    const auto tau = values(g, n, t == "CubaLIF" ? "tau_mem" : "tau", count, 0);
    const double max_tau = *std::max_element(tau.begin(), tau.end());
    if (max_tau < 1e-3) {
        ev += t + " '" + n + "': r = 1 and tau <= " + short_number(max_tau) +
              " s, Norse's tau = dt_export/tau_mem_inv (true tau " + short_number(max_tau / 1e-3) +
              " s at dt_export 1e-3)\n";
        return 1.0;
    }
    ev += t + " '" + n + "': r = 1 as Norse, but tau = " + short_number(max_tau) +
          " s is not scaled by Norse's dt_export\n";
    return 0.5;
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    double foreign = 0;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t == "Linear" || t == "Flatten") {
            ev += t + " '" + n + "': Norse 1.1.0's exporter never writes " + t + "\n";
            foreign -= 0.5;
        }
    }
    return mean_clue(
        g, ev, {"LIF", "CubaLIF", "LI", "IF"},
        [&](const std::string& n, const std::string& t, std::string& e) {
            return neuron_clue(g, n, t, e);
        },
        foreign);
}

} // namespace nirb::plugins::norse
