// Exporter fingerprint of Rockpool 3.1.0's to_nir (torch backend, checked against the installed
// exporter): every LIF/CubaLIF has r = tau exp(-dt/tau)/dt for one dt (Rockpool encodes its
// module dt there, 1e-3 by default), v_leak = 0 and w_in = 1; node names are
// "<index>_<ModuleClass>" ("0_LinearTorch", "1_LIFTorch"); the Input/Output types carry the
// batch dimension of the sample ((1, N) and (1, 1, M)), which nirb's reader repairs.
#include "passes.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

namespace nirb::plugins::rockpool {

double fingerprint(const Graph& g, std::string& ev) {
    static const std::regex module_name(R"(\d+_[A-Za-z]+Torch)");
    int neurons = 0, named = 0, named_total = 0;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t == "Input" || t == "Output")
            continue;
        ++named_total;
        if (std::regex_match(n, module_name))
            ++named;
        if (t == "LIF" || t == "CubaLIF")
            ++neurons;
        if (t != "LIF" && t != "CubaLIF" && t != "Affine" && t != "Linear" && t != "LI") {
            ev += t + " '" + n + "': Rockpool 3.1.0's exporter never writes " + t + "\n";
            return 0.0;
        }
    }
    if (neurons == 0) {
        ev += "no neuron nodes to fingerprint\n";
        return 0.0;
    }
    double score = 0;
    std::string why;
    const double dt = dt_written(g, why);
    if (dt > 0) {
        ev += "every r = tau exp(-dt/tau)/dt with dt = " + short_number(dt) +
              " s (Rockpool's encoding)\n";
        score += 0.7;
    } else {
        ev += "r does not follow Rockpool's tau exp(-dt/tau)/dt (" + why + ")\n";
    }
    if (named_total > 0 && named == named_total) {
        ev += "node names are Rockpool's '<index>_<Module>Torch'\n";
        score += 0.3;
    }
    return std::clamp(score, 0.0, 1.0);
}

} // namespace nirb::plugins::rockpool
