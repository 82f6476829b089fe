// The SpikingJelly plugin: SpikingJelly 2.0.0's NIR dialect
// (spikingjelly.activation_based.nir_exchange: export_to_nir / import_from_nir) as a nirbridge
// convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

#include <cmath>
#include <limits>

namespace nirb::plugins::spikingjelly {

std::vector<double> next_float32(std::vector<double> v, bool up) {
    const float towards =
        up ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
    for (auto& e : v)
        e = std::nextafter(static_cast<float>(e), towards);
    return v;
}

namespace {

class SpikingJellyPlugin : public FrameworkPlugin {
public:
    SpikingJellyPlugin()
        : FrameworkPlugin(
              {"org.nirb.spikingjelly", "SpikingJelly", "0.1.0", ">=1.0 <2", {"spikingjelly"}},
              "spikingjelly", embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::spikingjelly

NIRB_PLUGIN(nirb::plugins::spikingjelly::SpikingJellyPlugin)
