// Exporter fingerprint of Spyx 1.0.0's spyx.nir.to_nir (spyx/nir.py): every LIF/CubaLIF has
// r = beta and tau = dt/(1 - beta) for one export dt (default 1), i.e. tau (1 - r) is the same
// dt everywhere; v_leak = 0; IF has r = 1; recurrent layers are 4-node subgraphs.
#include "passes.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace nirb::plugins::spyx {

double fingerprint(const Graph& g, std::string& ev) {
    double hits = 0;
    int neurons = 0;
    std::optional<double> dt;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (g.subgraph(n)) {
            ev += "subgraph '" + n + "': Spyx writes recurrent layers as 4-node subgraphs\n";
            hits += 0.5;
            continue;
        }
        if (t != "LIF" && t != "CubaLIF" && t != "IF")
            continue;
        ++neurons;
        const auto count = neuron_count(g, n);
        const auto r = values(g, n, "r", count, 1);
        if (t == "IF") {
            const bool ones = all_close(r, 1.0, 1e-7);
            // Weak: Sinabs and Norse write IF with r = 1 too.
            ev += "IF '" + n +
                  (ones ? "': r = 1 as Spyx writes (as do other exporters)\n" : "': r != 1\n");
            hits += ones ? 0.25 : 0.0;
            continue;
        }
        const auto tau = values(g, n, t == "CubaLIF" ? "tau_mem" : "tau", count, 0);
        std::vector<double> implied;
        for (std::int64_t i = 0; i < count; ++i)
            implied.push_back(tau[i] * (1 - r[i]));
        const bool beta_like =
            std::all_of(r.begin(), r.end(), [](double x) { return x >= 0 && x < 1; });
        if (!beta_like || !(implied[0] > 0) || !uniform(implied, 1e-4) ||
            (dt && std::fabs(*dt - implied[0]) > 1e-4 * *dt)) {
            ev +=
                t + " '" + n + "': r is not beta = 1 - dt/tau for one dt (Spyx writes r = beta)\n";
            continue;
        }
        dt = implied[0];
        ev += t + " '" + n + "': r = beta = 1 - dt/tau with dt = " + short_number(*dt) +
              " (Spyx's to_nir)\n";
        hits += 1.0;
    }
    if (neurons == 0) {
        ev += "no neuron nodes to fingerprint\n";
        return 0.0;
    }
    return std::clamp(hits / neurons, 0.0, 1.0);
}

} // namespace nirb::plugins::spyx
