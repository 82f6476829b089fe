// Exporter fingerprint of snnTorch 1.0.0's export_to_nir (docs/frameworks/conventions.md §16):
// it hard-codes dt = 1e-4, so every LIF has r = tau/1e-4 and every CubaLIF r = tau_mem/1e-4
// and w_in = tau_syn/1e-4, with v_leak = v_reset = 0; RLeaky/RSynaptic appear as flat
// 2-cycles "<k>.lif" <-> "<k>.w_rec"; Flatten dims are shifted by -1 (start_dim 0).
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::snntorch {

namespace {

constexpr double k_dt = 1e-4;

std::vector<double> ratio(const std::vector<double>& tau) {
    std::vector<double> out;
    for (double t : tau)
        out.push_back(t / k_dt);
    return out;
}

bool close_all(const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::fabs(a[i] - b[i]) > 1e-4 * std::fabs(b[i]))
            return false;
    return !a.empty();
}

bool zero(const Graph& g, const std::string& n, const char* name) {
    return all_close(values(g, n, name, neuron_count(g, n), 0), 0.0, 0);
}

/// 1 when node `n` matches snnTorch's parameter pattern, else 0; one evidence line.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    const auto r = values(g, n, "r", count, 1);
    bool hit = false;
    if (t == "LIF")
        hit = close_all(r, ratio(values(g, n, "tau", count, 0)));
    if (t == "CubaLIF")
        hit = close_all(r, ratio(values(g, n, "tau_mem", count, 0))) &&
              close_all(values(g, n, "w_in", count, 1), ratio(values(g, n, "tau_syn", count, 0)));
    hit = hit && zero(g, n, "v_leak") && zero(g, n, "v_reset");
    ev += t + " '" + n + "': " +
          (hit ? (t == "LIF" ? "r = tau/1e-4" : "r = tau_mem/1e-4 and w_in = tau_syn/1e-4") +
                     std::string(" with v_leak = v_reset = 0 (snnTorch's hard-coded dt = 1e-4)")
               : "does not follow snnTorch's r = tau/1e-4 (r = " + short_number(r[0]) + ")") +
          "\n";
    return hit ? 1.0 : 0.0;
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    for (const auto& n : g.nodes()) {
        const auto dot = n.rfind(".w_rec");
        if (dot != std::string::npos && dot + 6 == n.size())
            ev += "'" + n + "': recurrent layer in snnTorch's flat '<k>.lif <-> <k>.w_rec' form\n";
    }
    return mean_clue(g, ev, {"LIF", "CubaLIF", "IF", "LI", "CubaLI"},
                     [&](const std::string& n, const std::string& t, std::string& e) {
                         if (t == "LIF" || t == "CubaLIF")
                             return neuron_clue(g, n, t, e);
                         e += t + " '" + n + "': snnTorch's exporter never writes " + t + "\n";
                         return 0.0;
                     });
}

} // namespace nirb::plugins::snntorch
