// The Sinabs plugin: Sinabs 3.1.3's NIR dialect (to_nir / from_nir) as a
// nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

namespace nirb::plugins::sinabs {

namespace {

class SinabsPlugin : public FrameworkPlugin {
public:
    SinabsPlugin()
        // NIR >= 0.2: the NIR paper's Sinabs files (nir 0.2.0) have the layout 1.x files have.
        : FrameworkPlugin({"org.nirb.sinabs", "Sinabs", "0.1.0", ">=0.2 <2", {"sinabs"}}, "sinabs",
                          embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::sinabs

NIRB_PLUGIN(nirb::plugins::sinabs::SinabsPlugin)
