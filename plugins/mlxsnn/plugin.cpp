// The mlx-snn plugin: mlx-snn 0.5.0's NIR dialect (mlxsnn.export_to_nir / import_from_nir) as
// a nirbridge convention. Built exactly like a third-party plugin: public SDK only.
#include "passes.hpp"

#include "embedded_profiles.hpp"

#include <cmath>
#include <limits>

namespace nirb::plugins::mlxsnn {

std::vector<double> step_thresholds(const std::vector<double>& theta, int direction) {
    const float towards = direction < 0 ? -std::numeric_limits<float>::infinity()
                                        : std::numeric_limits<float>::infinity();
    std::vector<double> out;
    for (double t : theta)
        out.push_back(std::nextafter(static_cast<float>(t), towards));
    return out;
}

namespace {

class MlxSnnPlugin : public FrameworkPlugin {
public:
    MlxSnnPlugin()
        : FrameworkPlugin({"org.nirb.mlxsnn", "mlx-snn", "0.1.0", ">=1.0 <2", {"mlxsnn"}}, "mlxsnn",
                          embedded_profiles(), &fingerprint) {
        add_to_canonical(*this);
        add_from_canonical(*this);
    }
};

} // namespace

} // namespace nirb::plugins::mlxsnn

NIRB_PLUGIN(nirb::plugins::mlxsnn::MlxSnnPlugin)
