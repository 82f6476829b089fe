// Exporter fingerprint of mlx-snn 0.5.0's export_to_nir: one beta and one threshold per
// layer written as full arrays (tau = 1e-4/(1-beta), r = 1/(1-beta) = tau/1e-4 at the default
// dt, v_leak = 0), CubaLIF with w_in = 1 (snnTorch writes tau_syn/1e-4), IF with r = 1, and
// only Affine/Linear between neurons. A LIF-only export is the same file snnTorch writes for a
// scalar beta (both score 1 there); a per-neuron tau rules mlx-snn out (its exporter crashes).
#include "passes.hpp"

#include <algorithm>
#include <cmath>

namespace nirb::plugins::mlxsnn {

namespace {

constexpr double k_dt = 1e-4;

bool gain_one(const std::vector<double>& r, const std::vector<double>& tau) {
    for (std::size_t i = 0; i < r.size(); ++i)
        if (std::fabs(r[i] - tau[i] / k_dt) > 1e-4 * std::fabs(r[i]))
            return false;
    return !r.empty();
}

/// 1 when node `n` matches mlx-snn's pattern, 0.5 for a partial match, else 0.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    const auto r = values(g, n, "r", count, 1);
    const bool one_threshold = uniform(values(g, n, "v_threshold", count, 0));
    if (t == "IF") {
        const bool hit = all_close(r, 1.0, 1e-7) && one_threshold;
        ev += "IF '" + n + "': " + (hit ? "r = 1, one threshold" : "not mlx-snn's r = 1") + "\n";
        return hit ? 1.0 : 0.0;
    }
    const auto tau = values(g, n, t == "CubaLIF" ? "tau_mem" : "tau", count, 0);
    bool hit = gain_one(r, tau) && uniform(tau) && one_threshold &&
               all_close(values(g, n, "v_leak", count, 0), 0.0, 0);
    if (t == "CubaLIF")
        hit = hit && all_close(values(g, n, "w_in", count, 1), 1.0, 1e-7) &&
              uniform(values(g, n, "tau_syn", count, 0));
    ev += t + " '" + n + "': " +
          (hit ? std::string("one beta and threshold per layer, r = tau/1e-4") +
                     (t == "CubaLIF" ? ", w_in = 1" : "")
               : std::string("per-neuron parameters or gains mlx-snn does not write")) +
          "\n";
    return hit ? 1.0 : 0.0; // per-neuron beta crashes the exporter: never mlx-snn
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    double foreign = 0; // nodes mlx-snn's exporter never writes
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (!is_neuron(t) && t != "Input" && t != "Output" && t != "Affine" && t != "Linear") {
            ev += t + " '" + n + "': mlx-snn's exporter never writes " + t + "\n";
            foreign -= 1;
        }
    }
    return mean_clue(
        g, ev, {"LIF", "CubaLIF", "IF"},
        [&](const std::string& n, const std::string& t, std::string& e) {
            return neuron_clue(g, n, t, e);
        },
        foreign);
}

} // namespace nirb::plugins::mlxsnn
