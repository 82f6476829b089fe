// speck.quantize: sinabs 3.1.3's discretisation (sinabs/backend/dynapcnn/discretize.py), one
// scale per layer, in float32 as torch computes it:
//   s = min(scale(W, 8), scale(b, 8), scale((min_v_mem, th), 16)), min_v_mem = -th (what
//   sinabs.from_nir sets for IF), scale(x, bits) = |hi / max x| when |min x| <= |max x| |lo/hi|,
//   else |lo / min x| (lo = -2^(bits-1), hi = 2^(bits-1) - 1; an all-zero bias gives inf);
//   W, b, th <- round(x s), half to even.
// The fields get the integers (a layer's state scaled by s leaves its spikes unchanged);
// the scale goes to metadata speck.scale.
#include "layers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace speck {
namespace {

float scale_of(const std::vector<double>& x, int bits) {
    const float lo = -std::ldexp(1.0f, bits - 1), hi = std::ldexp(1.0f, bits - 1) - 1;
    float mn = 0, mx = 0;
    if (!x.empty()) {
        mn = mx = static_cast<float>(x[0]);
        for (double v : x) {
            mn = std::min(mn, static_cast<float>(v));
            mx = std::max(mx, static_cast<float>(v));
        }
    }
    const auto ratio = static_cast<float>(std::abs(static_cast<double>(lo) / hi));
    if (std::abs(mn) <= std::abs(mx) * ratio)
        return std::abs(hi / mx);
    return std::abs(lo / mn);
}

std::vector<double> discretised(const std::vector<double>& x, float s) {
    std::vector<double> out;
    for (double v : x)
        out.push_back(std::nearbyint(static_cast<float>(v) * s));
    return out;
}

class Quantize : public nirb::sdk::Pass {
public:
    Quantize()
        : Pass("speck.quantize", "8-bit weights and biases, 16-bit thresholds, one scale "
                                 "per layer (sinabs' discretisation)") {}
    void run(Graph& g, const Options&, Diagnostics& d) override {
        for (const auto& l : read_layers(g)) {
            Tensor w = g.param(l.weight, "weight");
            const bool has_bias = g.has_param(l.weight, "bias");
            Tensor b = has_bias ? g.param(l.weight, "bias") : Tensor{};
            const std::vector<double> bias =
                has_bias ? b.values : std::vector<double>(w.shape.at(0), 0.0);
            const double th = g.param(l.neuron, "v_threshold").values.at(0);
            const float s =
                std::min({scale_of(w.values, 8), scale_of(bias, 8), scale_of({-th, th}, 16)});
            const auto w_int = discretised(w.values, s);
            std::int64_t zeroed = 0;
            for (std::size_t i = 0; i < w_int.size(); ++i)
                zeroed += w.values[i] != 0 && w_int[i] == 0;
            w.values = w_int;
            g.set_param(l.weight, "weight", w);
            if (has_bias) {
                b.values = discretised(b.values, s);
                g.set_param(l.weight, "bias", b);
            }
            Tensor t = g.param(l.neuron, "v_threshold");
            t.values = discretised(t.values, s);
            g.set_param(l.neuron, "v_threshold", t);
            g.set_metadata(l.weight, "speck.scale", static_cast<double>(s));
            d.note("scale " + nirb::sdk::short_number(s) + ": threshold " +
                       nirb::sdk::short_number(t.values.at(0)) + ", " + std::to_string(zeroed) +
                       " non-zero weights became 0",
                   l.weight, "SPECK-N001");
        }
    }
};

} // namespace

void add_quantize(nirb::sdk::Plugin& p) {
    p.add_pass<Quantize>();
}

} // namespace speck
