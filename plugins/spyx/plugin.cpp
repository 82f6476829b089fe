// The Spyx plugin: Spyx 1.0.0's NIR dialect (spyx.nir.to_nir / from_nir) as a nirbridge
// convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::spyx {

namespace {

class SpyxPlugin : public FrameworkPlugin {
public:
    SpyxPlugin()
        : FrameworkPlugin({"org.nirb.spyx", "Spyx", "0.1.0", ">=1.0 <2", {"spyx"}}, "spyx",
                          embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::spyx

NIRB_PLUGIN(nirb::plugins::spyx::SpyxPlugin)
