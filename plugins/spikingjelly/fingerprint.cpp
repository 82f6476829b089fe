// Exporter fingerprint of SpikingJelly 2.0.0's export_to_nir (nir_exchange/to_nir.py, checked
// against the installed package): every neuron field is np.full(shape, python float), i.e. one
// float64 value per layer; LIF r = 1 (decay_input=True) or tau/dt with v_leak = v_reset; IF
// r = 1/dt; CubaLIF r = tau_mem/dt, w_in = tau_syn/dt, v_leak = 0; dt = 1e-4 by default.
// Nodes carry torch.fx names ("input_1", "_0", "_1", ...).
#include "passes.hpp"

#include <cmath>

namespace nirb::plugins::spikingjelly {

namespace {

constexpr double k_dt = 1e-4;

bool near(double a, double b) {
    return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

/// One value per layer, stored as float64 (np.full of a Python float).
bool full_float64(const Graph& g, const std::string& n, const char* name) {
    if (!g.param_view(n, name))
        return false;
    const auto t = g.param(n, name);
    return t.dtype == NIRB_DTYPE_FLOAT64 && uniform(t.values, 0);
}

/// 1 when node `n` matches SpikingJelly's pattern, else 0; one evidence line.
double neuron_clue(const Graph& g, const std::string& n, const std::string& t, std::string& ev) {
    const auto count = neuron_count(g, n);
    const auto value = [&](const char* f) { return values(g, n, f, count, 0).front(); };
    bool layout = full_float64(g, n, "v_threshold") && full_float64(g, n, "v_reset");
    bool pattern = false;
    std::string what;
    if (t == "LIF") {
        layout = layout && full_float64(g, n, "tau") && full_float64(g, n, "r");
        const double steps = value("tau") / k_dt;
        pattern = (near(value("r"), 1) || near(value("r"), steps)) &&
                  near(value("v_leak"), value("v_reset"));
        what = "r = 1 or tau/1e-4 with v_leak = v_reset";
    } else if (t == "IF") {
        layout = layout && full_float64(g, n, "r");
        pattern = near(value("r"), 1 / k_dt);
        what = "r = 1/1e-4";
    } else {
        layout = layout && full_float64(g, n, "tau_mem") && full_float64(g, n, "tau_syn");
        pattern = near(value("r"), value("tau_mem") / k_dt) &&
                  near(value("w_in"), value("tau_syn") / k_dt) && value("v_leak") == 0;
        what = "r = tau_mem/1e-4, w_in = tau_syn/1e-4, v_leak = 0";
    }
    const bool hit = layout && pattern;
    ev += t + " '" + n + "': " +
          (hit       ? what + ", one float64 value per layer (SpikingJelly's np.full export)"
           : !layout ? std::string("parameters are not one float64 value per layer")
                     : "does not follow SpikingJelly's " + what) +
          "\n";
    return hit ? 1.0 : 0.0;
}

} // namespace

double fingerprint(const Graph& g, std::string& ev) {
    return mean_clue(g, ev, {"LIF", "CubaLIF", "IF", "LI", "CubaLI"},
                     [&](const std::string& n, const std::string& t, std::string& e) {
                         if (t == "LIF" || t == "CubaLIF" || t == "IF")
                             return neuron_clue(g, n, t, e);
                         e += t + " '" + n + "': SpikingJelly's exporter never writes " + t + "\n";
                         return 0.0;
                     });
}

} // namespace nirb::plugins::spikingjelly
