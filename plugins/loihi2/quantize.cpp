// loihi2.quantize: a population's float model -> Loihi 2 integers (README.md, "Quantisation").
// Each neuron layer gets one scale s (graph units -> a_in units); each incoming Dense its own
// exponent; the graph is rewritten in those units so that the "loihi2" profile's integer
// neuron recovers exactly these integers, and the integers go to metadata for netx and Lava.
#include "loihi2.hpp"

#include "messages.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nirb::plugins::loihi2 {
namespace {

const auto num = targets::number_text;

/// Effective weights: what one unit of input adds to v (LIF, IF) or to the current scaled to
/// the voltage (CubaLIF), per neuron row.
struct Gains {
    std::vector<double> row;       ///< per neuron: k_m r (LIF), dt r (IF), k_s w_in k_m r (CubaLIF)
    std::vector<double> bias_to_v; ///< per neuron: what an Affine bias of 1 adds to v per step
};

Gains gains(const Graph& g, const std::string& node, std::int64_t n, double dt) {
    const std::string type = g.type(node);
    const auto r = sdk::values(g, node, "r", n, 1.0);
    Gains out{std::vector<double>(n), std::vector<double>(n)};
    for (std::int64_t j = 0; j < n; ++j) {
        if (type == "IF") {
            out.row[j] = out.bias_to_v[j] = dt * r[j];
        } else if (type == "LIF") {
            out.row[j] = out.bias_to_v[j] = dt / g.param(node, "tau").values.front() * r[j];
        } else {
            const double k_m = dt / g.param(node, "tau_mem").values.front();
            const double k_s = dt / g.param(node, "tau_syn").values.front();
            const auto w_in = sdk::values(g, node, "w_in", n, 1.0);
            out.row[j] = k_s * w_in[j] * k_m * r[j];
            out.bias_to_v[j] = 0; // refused by the check (LOIHI2-E006)
        }
    }
    return out;
}

/// The p-th percentile of |x| over the nonzero entries (p = 100: the maximum).
double percentile_abs(std::vector<double> v, double p) {
    v.erase(std::remove(v.begin(), v.end(), 0.0), v.end());
    if (v.empty())
        return 0;
    for (double& x : v)
        x = std::abs(x);
    std::sort(v.begin(), v.end());
    const double pos = (p / 100.0) * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

/// Lava's sign mode of a weight matrix (1 mixed, 2 excitatory, 3 inhibitory).
int sign_mode(const std::vector<double>& w) {
    const bool pos = std::any_of(w.begin(), w.end(), [](double x) { return x > 0; });
    const bool neg = std::any_of(w.begin(), w.end(), [](double x) { return x < 0; });
    return pos && neg ? 1 : neg ? 3 : 2;
}

Tensor tensor(std::vector<double> values, std::vector<std::int64_t> shape,
              nirb_dtype dtype = NIRB_DTYPE_FLOAT64) {
    return Tensor::of(std::move(values), std::move(shape), dtype);
}

struct Settings {
    double dt;
    double percentile;
    int weight_bits;
    bool per_layer;
    bool truncate_decays; ///< int(4096 dt/tau) as the NIR paper's Lava script, not round()
    double fixed_scale;   ///< > 0: the scale s given by the user
    bool netx;            ///< only what lava-dl netx describes: exponent 0, biases in whole a_in
};

class PopulationQuantizer {
public:
    PopulationQuantizer(Graph& g, const Population& p, const Settings& s, Diagnostics& d)
        : g(g), p(p), s(s), d(d), n(p.neurons), gain(gains(g, p.node, n, s.dt)) {}

    void run() {
        effective_weights();
        choose_scale();
        for (std::size_t k = 0; k < p.inputs.size(); ++k)
            quantize_layer(k);
        quantize_neuron();
    }

private:
    void effective_weights() {
        for (const auto& src : p.inputs) {
            const Tensor w = g.param(src, "weight");
            std::vector<double> eff = w.values;
            const std::int64_t cols = w.shape.at(1);
            for (std::int64_t j = 0; j < n; ++j)
                for (std::int64_t i = 0; i < cols; ++i)
                    eff[j * cols + i] *= gain.row[j];
            layer_max.push_back(percentile_abs(eff, s.percentile));
            eff_weights.push_back(std::move(eff));
        }
        largest = *std::max_element(layer_max.begin(), layer_max.end());
        threshold = g.param(p.node, "v_threshold").values.front();
    }

    /// s = top 2^e0 / largest, with e0 the smallest exponent in [-8, 7] that gives the
    /// threshold at least 6 bits (vth >= 64, lava-dl's own resolution) and at most 17 bits.
    void choose_scale() {
        const double top = 254;
        if (!(largest > 0)) {
            scale = 64 / threshold; // no weights at all: any scale, vth = 64
            return;
        }
        int e0 = kMinWeightExp;
        if (s.fixed_scale > 0) {
            scale = s.fixed_scale;
            base_exponent = 0;
            while (base_exponent < kMaxWeightExp &&
                   largest * scale / std::ldexp(1.0, base_exponent) > top)
                ++base_exponent;
            return;
        }
        if (s.netx) {
            scale = top / largest;
            return;
        }
        for (; e0 < kMaxWeightExp; ++e0)
            if (top * std::ldexp(1.0, e0) / largest * threshold >= 64)
                break;
        while (e0 > kMinWeightExp &&
               top * std::ldexp(1.0, e0) / largest * threshold > kMaxThreshold)
            --e0;
        scale = top * std::ldexp(1.0, e0) / largest;
        base_exponent = e0;
    }

    void quantize_layer(std::size_t k) {
        const std::string& src = p.inputs[k];
        const auto& eff = eff_weights[k];
        const int mode = sign_mode(eff);
        const bool mixed = mode == 1;
        // Lava keeps num_weight_bits bits; mixed-sign weights lose their lowest bit.
        const double step = std::ldexp(1.0, 8 - s.weight_bits + (mixed ? 1 : 0));
        const double hi = mode == 3 ? 0 : 256 - step;
        const double lo = mode == 2 ? 0 : mixed ? -256 : -(256 - step);
        int e = base_exponent;
        if (s.per_layer && !s.netx && layer_max[k] > 0) // fill this layer's own 8 bits
            while (e > kMinWeightExp && layer_max[k] * scale / std::ldexp(1.0, e - 1) <= 254)
                --e;
        const double unit = std::ldexp(1.0, e);
        std::vector<double> ints(eff.size()), dequant(eff.size());
        std::int64_t zeroed = 0, clipped = 0;
        double worst = 0;
        for (std::size_t i = 0; i < eff.size(); ++i) {
            const double x = eff[i] * scale / unit;
            double q = std::round(x / step) * step;
            if (q > hi || q < lo)
                ++clipped;
            q = std::clamp(q, lo, hi);
            if (q == 0 && eff[i] != 0)
                ++zeroed;
            ints[i] = q;
            dequant[i] = q * unit;
            worst = std::max(worst, std::abs(q - x) * unit / scale);
        }
        const Tensor w = g.param(src, "weight");
        g.set_param(src, "weight", tensor(dequant, w.shape));
        g.set_metadata(src, "loihi2.weight", tensor(ints, w.shape, NIRB_DTYPE_INT16));
        g.set_metadata(src, "loihi2.weight_exp", static_cast<double>(e));
        g.set_metadata(src, "loihi2.num_weight_bits", static_cast<double>(s.weight_bits));
        g.set_metadata(src, "loihi2.sign_mode", static_cast<double>(mode));
        if (g.type(src) == "Affine") { // its bias moved into the neuron's v_leak
            affine_bias(src);
            g.remove_param(src, "bias");
            g.set_type(src, "Linear");
        }
        d.note("weights: exponent " + std::to_string(e) + ", " + std::to_string(zeroed) + " of " +
                   std::to_string(eff.size()) + " rounded to zero, " + std::to_string(clipped) +
                   " clipped (percentile " + num(s.percentile) + "), largest error " + num(worst) +
                   " (in v per spike)",
               src, "LOIHI2-N001");
        // Largest current one step can bring: every positive weight's input spiking at once.
        double drive = 0;
        for (double q : ints)
            drive += std::max(q, 0.0);
        if (drive * unit * 64 >= kStateLimit)
            d.warning("saturation risk: all excitatory inputs at once give a current of " +
                          num(drive * unit * 64) + ", beyond the 24-bit range 2^23",
                      src, "LOIHI2-W001");
    }

    void affine_bias(const std::string& src) {
        const auto b = g.param(src, "bias").values;
        if (bias.empty())
            bias.assign(n, 0.0);
        for (std::int64_t j = 0; j < n; ++j)
            bias[j] += gain.bias_to_v[j] * b[j];
    }

    /// Decay d = round(4096 dt/tau) and the rewrite tau' = dt 4096/d (d = 0: dt 2^20, a leak
    /// the 12 bits cannot hold, so none).
    std::int64_t decay(const char* field, std::int64_t minimum) {
        const double k = s.dt / g.param(p.node, field).values.front();
        std::int64_t q = s.truncate_decays ? static_cast<std::int64_t>(k * kDecayUnity)
                                           : std::llround(k * kDecayUnity);
        if (q == 0 && k > 0)
            d.note(std::string(field) + " " + num(s.dt / k) + ": the decay dt/tau = " + num(k) +
                       " rounds to 0 in 12 bits; the neuron stops leaking",
                   p.node, "LOIHI2-N002");
        if (q < minimum) {
            d.note(std::string(field) + ": the current decay cannot be below 1/4096 (du >= 0); "
                                        "using 1/4096",
                   p.node, "LOIHI2-N003");
            q = minimum;
        }
        return q;
    }

    void quantize_neuron() {
        const std::string type = g.type(p.node);
        const std::int64_t dv = type == "IF" ? 0 : decay(type == "LIF" ? "tau" : "tau_mem", 0);
        const std::int64_t d_u = type == "CubaLIF" ? decay("tau_syn", 1) : kDecayUnity;
        const double k_v = dv > 0 ? double(dv) / kDecayUnity : std::ldexp(1.0, -20);
        std::int64_t vth = std::llround(threshold * scale);
        if (vth < 1 || vth > kMaxThreshold)
            d.note("threshold " + num(threshold * scale) + " clamped to the 17-bit range", p.node,
                   "LOIHI2-N004");
        vth = std::clamp<std::int64_t>(vth, 1, kMaxThreshold);
        // Bias in v's integer units (a_in << 6): v_leak and the moved Affine biases.
        const double k_m =
            type == "IF" ? 0
                         : s.dt / g.param(p.node, type == "LIF" ? "tau" : "tau_mem").values.front();
        const auto v_leak = sdk::values(g, p.node, "v_leak", n, 0.0);
        std::vector<double> mant(n), exps(n), v_leak_q(n);
        for (std::int64_t j = 0; j < n; ++j) {
            const double b = (k_m * v_leak[j] + (bias.empty() ? 0 : bias[j])) * scale * 64;
            int e = s.netx ? 6 : 0; // netx fixes bias_exp = 6
            while (!s.netx && e < kMaxBiasExp && std::abs(b) / std::ldexp(1.0, e) > kMaxBiasMant)
                ++e;
            const double m = std::clamp<double>(std::round(b / std::ldexp(1.0, e)),
                                                -kMaxBiasMant - 1, kMaxBiasMant);
            mant[j] = m;
            exps[j] = e;
            v_leak_q[j] = m * std::ldexp(1.0, e) / 64 / k_v;
        }
        const std::vector<std::int64_t> shape = g.param(p.node, "v_threshold").shape;
        const auto fill = [&](double v) { return tensor(std::vector<double>(n, v), shape); };
        if (type == "IF")
            g.set_type(p.node, "LIF"); // IF is a LIF with dv = 0 on Loihi 2
        g.set_param(p.node, type == "CubaLIF" ? "tau_mem" : "tau", fill(s.dt / k_v));
        g.set_param(p.node, "r", fill(1 / k_v));
        g.set_param(p.node, "v_leak", tensor(v_leak_q, shape));
        g.set_param(p.node, "v_threshold", fill(static_cast<double>(vth)));
        g.set_param(p.node, "v_reset", fill(0));
        if (type == "CubaLIF") {
            g.set_param(p.node, "tau_syn", fill(s.dt * kDecayUnity / double(d_u)));
            g.set_param(p.node, "w_in", fill(double(kDecayUnity) / double(d_u)));
        }
        g.set_metadata(p.node, "loihi2.du", static_cast<double>(d_u - 1));
        g.set_metadata(p.node, "loihi2.dv", static_cast<double>(dv));
        g.set_metadata(p.node, "loihi2.vth", static_cast<double>(vth));
        g.set_metadata(p.node, "loihi2.bias_mant", tensor(mant, shape, NIRB_DTYPE_INT16));
        g.set_metadata(p.node, "loihi2.bias_exp", tensor(exps, shape, NIRB_DTYPE_INT8));
        g.set_metadata(p.node, "loihi2.scale", scale);
        d.note("du " + std::to_string(d_u - 1) + ", dv " + std::to_string(dv) + ", vth " +
                   std::to_string(vth) + " (threshold error " +
                   num(std::abs(double(vth) - threshold * scale) / scale) + ")",
               p.node, "LOIHI2-N005");
    }

    Graph& g;
    const Population& p;
    const Settings& s;
    Diagnostics& d;
    const std::int64_t n;
    const Gains gain;
    std::vector<std::vector<double>> eff_weights;
    std::vector<double> layer_max, bias;
    double largest = 0, threshold = 1, scale = 1;
    int base_exponent = 0;
};

} // namespace

Quantize::Quantize() : Pass("loihi2.quantize", "Loihi 2 integers: 8-bit weights, 12-bit decays") {
    add_number("dt", 0, "Step length in seconds (0: the graph's nirb.dt, else 1e-3)").min(0);
    add_number("percentile", 100,
               "Scale weights so this percentile of |w| fills the 8 bits (larger ones clip)")
        .range(50, 100);
    add_int("weight_bits", 8, "num_weight_bits of each Dense (Lava keeps this many)").range(1, 8);
    add_number("scale", 0,
               "Graph units to a_in units (vth = scale * v_threshold); 0: chosen per layer")
        .min(0);
    add_choice("decay_rounding", {"nearest", "toward_zero"}, "nearest",
               "4096 dt/tau to an integer: nearest (lava-dl) or toward_zero (the NIR paper's "
               "Lava script)");
    add_bool("netx_compatible", false,
             "Restrict to what a lava-dl netx file holds: weight exponent 0 for every Dense, "
             "biases in whole a_in units");
    add_choice("scaling", {"per-layer", "per-population"}, "per-layer",
               "per-layer: each Dense its own weight exponent; per-population: one exponent "
               "for all Dense into a neuron layer");
}

void Quantize::run(Graph& g, const Options& o, Diagnostics& d) {
    const Settings s{quantize_dt(g, o.number("dt")),
                     o.number("percentile"),
                     static_cast<int>(o.integer("weight_bits")),
                     o.string("scaling") == "per-layer",
                     o.string("decay_rounding") == "toward_zero",
                     o.number("scale"),
                     o.flag("netx_compatible")};
    for (const auto& p : populations(g))
        PopulationQuantizer(g, p, s, d).run();
    g.set_metadata("", "loihi2.dt", s.dt);
    // The parameters are for this step: whoever steps the mapped graph (nirb map --verify)
    // reads it from nirb.dt.
    g.set_metadata("", NIRB_META_DT, s.dt);
}

} // namespace nirb::plugins::loihi2
