// Exporter fingerprint of SC-NeuroCore 3.16.0's to_nir: it writes the node parameters as the
// network holds them and no dt; networks run at from_nir's default dt = 1, so time constants
// are in steps (tau >= 1, where every other exporter writes seconds: 1e-6 .. 1e-2). v_reset is
// no clue: nir.write stores it for every LIF whatever the exporter passed. Its parameters are
// numpy float64 arrays; Spyx (JAX) and Sinabs (torch), which also write time constants in steps,
// write float32.
#include "passes.hpp"

#include <algorithm>

namespace nirb::plugins::scneurocore {

namespace {

/// 1 when the time constants are in steps, 0.5 for an IF (no time constant), else 0.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    if (g.param_view(n, "v_threshold") && g.param(n, "v_threshold").dtype != NIRB_DTYPE_FLOAT64) {
        ev += t + " '" + n + "': parameters not float64 (SC-NeuroCore writes numpy float64)\n";
        return 0.0;
    }
    if (t == "IF") {
        ev += "IF '" + n + "': no time constant to read\n";
        return 0.5;
    }
    const char* tau_field = t == "CubaLIF" ? "tau_mem" : "tau";
    const auto tau = values(g, n, tau_field, neuron_count(g, n), 0);
    const bool in_steps = *std::min_element(tau.begin(), tau.end()) >= 1.0;
    ev += t + " '" + n + "': tau " +
          (in_steps ? ">= 1 (steps at SC-NeuroCore's default dt = 1)"
                    : "= " + short_number(tau[0]) + " s, not in steps") +
          "\n";
    return in_steps ? 1.0 : 0.0;
}

} // namespace
double fingerprint(const Graph& g, std::string& ev) {
    return mean_clue(g, ev, {"LIF", "CubaLIF", "IF"},
                     [&](const std::string& n, const std::string& t, std::string& e) {
                         return neuron_clue(g, n, t, e);
                     });
}

} // namespace nirb::plugins::scneurocore
