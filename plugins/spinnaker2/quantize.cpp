// spinnaker2.quantize: s2_nir's conversion of weights and neuron parameters (README.md gives
// each formula with its source). The graph is rewritten in the chip's units so that
// `nirb simulate --profile spinnaker2` runs what the chip is configured with.
#include "spinnaker2.hpp"

#include "messages.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nirb::plugins::spinnaker2 {

std::vector<std::string> weight_inputs(const Graph& g, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& src : sdk::predecessors(g, node)) {
        const std::string t = g.type(src);
        if (is_weight(t))
            out.push_back(src);
        else if (t == "SumPool2d" || t == "Flatten")
            for (const auto& w : weight_inputs(g, src))
                out.push_back(w);
    }
    return out;
}

namespace {

const auto num = targets::number_text;

double percentile_abs(std::vector<double> v, double p) {
    for (double& x : v)
        x = std::abs(x);
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double pos = p / 100.0 * double(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

Tensor filled(const Graph& g, const std::string& node, const std::vector<double>& v) {
    return Tensor::of(v, g.param(node, "v_threshold").shape, NIRB_DTYPE_FLOAT64);
}

} // namespace

Quantize::Quantize() : Pass("spinnaker2.quantize", "s2_nir's weight scaling and parameters") {
    add_number("dt", 1e-4, "Step length in seconds (ConversionConfig.dt)").min(1e-9);
    add_bool("scale_weights", true, "Scale each population's input weights to +/-127");
    add_number("percentile", 100, "Weight scale from this percentile of |w| (sPiNNIRker)")
        .range(50, 100);
    add_choice("integrator", {"forward", "exponential"}, "forward",
               "ConversionConfig.integrator: decay 1 - dt/tau or exp(-dt/tau)");
}

void Quantize::run(Graph& g, const Options& o, Diagnostics& d) {
    const double dt = o.number("dt");
    const bool forward = o.string("integrator") == "forward";
    const auto F = [&](double tau) { return forward ? dt / tau : -std::expm1(-dt / tau); };
    for (const auto& node : g.execution_order()) {
        const std::string type = g.type(node);
        if (!is_population(type))
            continue;
        const std::int64_t n = sdk::neuron_count(g, node);
        const auto inputs = weight_inputs(g, node);
        std::vector<double> all;
        for (const auto& w : inputs) {
            const auto v = g.param(w, "weight").values;
            all.insert(all.end(), v.begin(), v.end());
        }
        const double largest = percentile_abs(all, o.number("percentile"));
        const double w_scale = o.flag("scale_weights") && largest > 0 ? 127 / largest : 1.0;
        bool conv = false;
        for (const auto& w : inputs) {
            Tensor weight = g.param(w, "weight");
            std::int64_t wrapped = 0;
            for (double& x : weight.values) {
                x *= w_scale;
                if (g.type(w) == "Conv2d") { // (W * w_scale).astype(np.int8): truncate, wrap
                    conv = true;
                    double t = std::trunc(x);
                    if (t > 127 || t < -128) {
                        ++wrapped;
                        t = std::fmod(std::fmod(t + 128, 256) + 256, 256) - 128;
                    }
                    x = t;
                }
            }
            g.set_param(w, "weight", weight);
            if (g.has_param(w, "bias")) {
                Tensor b = g.param(w, "bias");
                for (double& x : b.values)
                    x *= w_scale;
                g.set_param(w, "bias", b);
            }
            if (wrapped)
                d.warning(std::to_string(wrapped) + " conv weights beyond int8 wrap around "
                                                    "(s2_nir casts with astype(np.int8))",
                          w, "S2-W001");
        }
        const auto r = sdk::values(g, node, "r", n, 1.0);
        const auto th = g.param(node, "v_threshold").values;
        std::vector<double> threshold(n), r_chip(n), v_leak_chip(n, 0), tau_chip(n), w_in(n, 1);
        std::vector<double> alpha(n, 1.0), exc(n, 0);
        const std::string tau_field = type == "CubaLIF" ? "tau_mem" : "tau";
        for (std::int64_t j = 0; j < n; ++j) {
            if (type == "IF") { // v_scale = w_scale / r, alpha 1, dt unused
                threshold[j] = th[j] * w_scale / r[j];
                r_chip[j] = 1 / dt;
                continue;
            }
            const double tau =
                g.param(node, tau_field).values.at(j % g.param(node, tau_field).values.size());
            const double f = F(tau);
            const auto v_leak = sdk::values(g, node, "v_leak", n, 0.0);
            double scale = w_scale / (f * r[j]); // v_scale * w_scale
            if (type == "CubaLIF") {
                const auto tau_s = sdk::values(g, node, "tau_syn", n, 1.0);
                const auto win = sdk::values(g, node, "w_in", n, 1.0);
                const double fs = F(tau_s[j]);
                scale /= fs * win[j]; // * I_scale
                w_in[j] = 1 / fs;     // the current adds the input with gain 1
                exc[j] = 1 - fs;
                // the Affine bias enters the current: bias w_in I_scale w_scale, already
                // multiplied by w_scale above; the remaining w_in I_scale = 1 / fs.
            }
            threshold[j] = th[j] * scale;
            alpha[j] = 1 - f;
            tau_chip[j] = dt / f;
            r_chip[j] = 1 / f;
            v_leak_chip[j] = v_leak[j] * scale; // i_offset = F v_leak scale, entered as k v_leak'
        }
        g.set_param(node, "v_threshold", filled(g, node, threshold));
        g.set_param(node, "r", filled(g, node, r_chip));
        if (g.has_param(node, "v_reset"))
            g.set_param(node, "v_reset", filled(g, node, std::vector<double>(n, 0)));
        if (type != "IF") {
            g.set_param(node, tau_field, filled(g, node, tau_chip));
            g.set_param(node, "v_leak", filled(g, node, v_leak_chip));
        }
        if (type == "CubaLIF") {
            std::vector<double> tau_s(n);
            for (std::int64_t j = 0; j < n; ++j)
                tau_s[j] = dt / (1 - exc[j]);
            g.set_param(node, "tau_syn", filled(g, node, tau_s));
            g.set_param(node, "w_in", filled(g, node, w_in));
            g.set_metadata(node, "spinnaker2.exc_decay", filled(g, node, exc));
        }
        g.set_metadata(node, "spinnaker2.neuron_model",
                       type == "CubaLIF" ? "lif_curr_exp_no_delay"
                       : conv            ? "lif_conv2d"
                                         : "lif_no_delay");
        g.set_metadata(node, "spinnaker2.w_scale", w_scale);
        g.set_metadata(node, "spinnaker2.threshold", filled(g, node, threshold));
        g.set_metadata(node, "spinnaker2.alpha_decay", filled(g, node, alpha));
        d.note("w_scale " + num(w_scale) + ", threshold " + num(threshold.front()) +
                   ", alpha_decay " + num(alpha.front()),
               node, "S2-N001");
    }
    // The parameters are for this step: whoever steps the mapped graph (nirb map --verify)
    // reads it from nirb.dt.
    g.set_metadata("", NIRB_META_DT, dt);
}

} // namespace nirb::plugins::spinnaker2
