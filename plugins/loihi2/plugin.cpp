// The Loihi 2 hardware target (nirb.target/1): design rules, quantisation to Lava's integer
// formats, placement on neuro cores, netx export, and the "loihi2" profiles that emulate the
// result bit for bit. Built exactly like a third-party plugin: public SDK only.
#include "loihi2.hpp"

#include "embedded_profiles.hpp"
#include "placement.hpp"

#include <sstream>

namespace nirb::plugins::loihi2 {

std::string report(const Graph& g) {
    std::ostringstream out;
    out << "Loihi 2: " << targets::placement_text(targets::load(g, "loihi2"));
    for (const auto& p : populations(g)) {
        const auto vth = g.metadata_number(p.node, "loihi2.vth");
        if (!vth)
            continue;
        out << "  " << p.node << ": du " << g.metadata_number(p.node, "loihi2.du").value_or(0)
            << ", dv " << g.metadata_number(p.node, "loihi2.dv").value_or(0) << ", vth " << *vth
            << "; Dense";
        for (const auto& w : p.inputs)
            out << " " << w << " (exponent "
                << g.metadata_number(w, "loihi2.weight_exp").value_or(0) << ")";
        out << "\n";
    }
    return out.str();
}

namespace {

class Loihi2Plugin : public sdk::Plugin {
public:
    Loihi2Plugin()
        : Plugin({"org.nirb.loihi2", "Intel Loihi 2 (Lava)", "0.1.0", ">=1.0 <2", {"loihi2"}}) {
        add_pass<Check>();
        add_pass<Quantize>();
        add_pass<Map>();
        set_target({"loihi2", "loihi2.check", "loihi2.quantize", "loihi2.map", &report,
                    "Intel Loihi 2 via Lava 0.10: LIF/CubaLIF/IF after Dense, 8-bit weights, "
                    "12-bit decays, 24-bit states",
                    "loihi2", embedded_profiles()});
    }
};

} // namespace
} // namespace nirb::plugins::loihi2

NIRB_PLUGIN(nirb::plugins::loihi2::Loihi2Plugin)
