// The Norse plugin: Norse 1.1.0's NIR dialect (to_nir / from_nir) as a
// nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::norse {

namespace {

class NorsePlugin : public FrameworkPlugin {
public:
    NorsePlugin()
        : FrameworkPlugin({"org.nirb.norse", "Norse", "0.1.0", ">=1.0 <2", {"norse"}}, "norse",
                          embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::norse

NIRB_PLUGIN(nirb::plugins::norse::NorsePlugin)
