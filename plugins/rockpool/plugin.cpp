// The Rockpool plugin: Rockpool 3.1.0's NIR dialect (torch backend: to_nir / from_nir) as a
// nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::rockpool {

namespace {

class RockpoolPlugin : public FrameworkPlugin {
public:
    RockpoolPlugin()
        : FrameworkPlugin({"org.nirb.rockpool", "Rockpool", "0.1.0", ">=0.2 <2", {"rockpool"}},
                          "rockpool", embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::rockpool

NIRB_PLUGIN(nirb::plugins::rockpool::RockpoolPlugin)
