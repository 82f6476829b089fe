// The SC-NeuroCore plugin: SC-NeuroCore 3.16.0's NIR dialect (sc_neurocore.nir_bridge to_nir /
// from_nir) as a nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::scneurocore {

namespace {

class ScNeuroCorePlugin : public FrameworkPlugin {
public:
    ScNeuroCorePlugin()
        : FrameworkPlugin(
              {"org.nirb.scneurocore", "SC-NeuroCore", "0.1.0", ">=1.0 <2", {"scneurocore"}},
              "scneurocore", embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::scneurocore

NIRB_PLUGIN(nirb::plugins::scneurocore::ScNeuroCorePlugin)
