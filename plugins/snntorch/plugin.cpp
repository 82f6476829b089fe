// The snnTorch plugin: snnTorch 1.0.0's NIR dialect (export_to_nir / import_from_nir) as a
// nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::snntorch {

namespace {

class SnnTorchPlugin : public FrameworkPlugin {
public:
    SnnTorchPlugin()
        : FrameworkPlugin({"org.nirb.snntorch", "snnTorch", "0.1.0", ">=1.0 <2", {"snntorch"}},
                          "snntorch", embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::snntorch

NIRB_PLUGIN(nirb::plugins::snntorch::SnnTorchPlugin)
