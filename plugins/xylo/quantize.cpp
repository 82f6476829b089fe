// xylo.quantize: rockpool 3.1.0's two quantisers (rockpool/transform/quantize_methods.py),
// global_quantize (one scale for input+recurrent weights and hidden biases, one for output
// weights) and channel_quantize (one scale per neuron), with `compat` keeping their
// documented bugs and the default correcting them (docs/targets/xylo.md, "Quantisation"):
//   global:  bias_out scaled by the hidden scale (fix: the output scale); the output threshold
//            limit also re-rounds the recurrent weights (fix: it does not); a threshold limit
//            re-rounds already rounded integers and leaves biases (fix: one rounding from the
//            floats, biases included)
//   channel: the hidden bias of 1-synapse neurons is not scaled (fix: scaled); a threshold
//            limit leaves biases (fix: rescaled) and divides by the signed threshold (fix: |th|)
// The graph gets the chip's integer values in its fields (each neuron's state scaled by its
// own factor, which leaves its spikes unchanged) and tau = dt 2^dash, so `nirb simulate
// --profile xylo-audio2` runs exactly what the chip runs; scales and dashes go to metadata.
#include "network.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace xylo {
namespace {

constexpr double k_max_weight = 127;  // 2^(8-1) - 1
constexpr double k_max_state = 32767; // 2^(16-1) - 1

double rnd(double x) {
    return std::nearbyint(x); // half to even, as np.round
}

/// A weight node's matrix (rows: targets, columns: sources) and where its rows land.
struct Matrix {
    const Weights* w = nullptr;
    Tensor t;
    const Layer* target = nullptr;
    std::int64_t rows = 0, cols = 0;
    double& at(std::int64_t r, std::int64_t c) { return t.values[r * cols + c]; }
};

/// Per neuron of one population: threshold, bias and the scale finally applied.
struct Neurons {
    std::vector<double> th, bias, scale;
};

struct Model {
    std::vector<Matrix> mats;
    Neurons hidden, out;
    Neurons& of(Role r) { return r == Role::Hidden ? hidden : out; }
};

Model load(const Graph& g, const Network& net) {
    Model m;
    m.hidden.th.resize(net.hidden);
    m.hidden.bias.resize(net.hidden);
    m.out.th.resize(net.outputs);
    m.out.bias.resize(net.outputs);
    for (const auto& l : net.layers) {
        Neurons& n = m.of(l.role);
        const auto th = nirb::sdk::values(g, l.node, "v_threshold", l.size, 1.0);
        const auto bias = nirb::sdk::values(g, l.node, "v_leak", l.size, 0.0);
        std::copy(th.begin(), th.end(), n.th.begin() + l.first);
        std::copy(bias.begin(), bias.end(), n.bias.begin() + l.first);
    }
    for (const auto& w : net.weights) {
        Matrix x{&w, g.param(w.node, "weight"), net.layer(w.target), 0, 0};
        x.rows = x.t.shape.at(0);
        x.cols = x.t.shape.size() > 1 ? x.t.shape[1] : 1;
        m.mats.push_back(std::move(x));
    }
    m.hidden.scale.assign(net.hidden, 1.0);
    m.out.scale.assign(net.outputs, 1.0);
    return m;
}

bool into(const Matrix& x, Role role) {
    return x.target && x.target->role == role;
}

/// global_quantize with a scale per population (hidden: input + recurrent weights and biases).
void global_quantize(Model& m, const Model& f, bool compat, Diagnostics& d) {
    double max_w = 0, max_out = 0;
    for (const auto& x : f.mats)
        for (double v : x.t.values)
            (into(x, Role::Hidden) ? max_w : max_out) =
                std::max(into(x, Role::Hidden) ? max_w : max_out, std::abs(v));
    for (double b : f.hidden.bias)
        max_w = std::max(max_w, std::abs(b));
    for (double b : f.out.bias)
        max_out = std::max(max_out, std::abs(b));
    const double s = max_w != 0 ? k_max_weight / max_w : 1;
    const double s_out = max_out != 0 ? k_max_weight / max_out : 1;
    auto apply = [&](Role role, double scale, bool weights_only_rec) {
        for (std::size_t k = 0; k < f.mats.size(); ++k)
            if (into(f.mats[k], role) ||
                (weights_only_rec && f.mats[k].w->group == WeightGroup::Recurrent))
                for (std::size_t i = 0; i < f.mats[k].t.values.size(); ++i)
                    m.mats[k].t.values[i] = rnd(f.mats[k].t.values[i] * scale);
    };
    apply(Role::Hidden, s, false);
    apply(Role::Output, s_out, false);
    for (std::size_t j = 0; j < f.hidden.th.size(); ++j) {
        m.hidden.th[j] = rnd(f.hidden.th[j] * s);
        m.hidden.bias[j] = rnd(f.hidden.bias[j] * s);
        m.hidden.scale[j] = s;
    }
    for (std::size_t k = 0; k < f.out.th.size(); ++k) {
        m.out.th[k] = rnd(f.out.th[k] * s_out);
        m.out.bias[k] = rnd(f.out.bias[k] * (compat ? s : s_out));
        m.out.scale[k] = s_out;
    }
    if (compat && s != s_out &&
        std::any_of(f.out.bias.begin(), f.out.bias.end(), [](double b) { return b != 0; }))
        d.warning("compat: output biases scaled by the hidden scale (rockpool's bug)", "",
                  "XYLO-W001");
    // Threshold limits: one pass per population.
    for (Role role : {Role::Hidden, Role::Output}) {
        Neurons& n = m.of(role);
        const Neurons& fn = role == Role::Hidden ? f.hidden : f.out;
        if (n.th.empty())
            continue;
        const double top = *std::max_element(n.th.begin(), n.th.end());
        if (!(std::abs(top) > k_max_state))
            continue;
        if (compat) {
            const double ls = k_max_state / top;
            for (auto& t : n.th)
                t = rnd(t * ls);
            for (auto& sc : n.scale)
                sc *= ls;
            for (auto& x : m.mats)
                if (into(x, role) || (role == Role::Output && x.w->group == WeightGroup::Recurrent))
                    for (auto& v : x.t.values)
                        v = rnd(v * ls);
            if (role == Role::Output)
                d.warning("compat: the output threshold limit re-rounds the recurrent weights "
                          "too (rockpool's bug)",
                          "", "XYLO-W002");
        } else {
            const double top_float = *std::max_element(fn.th.begin(), fn.th.end());
            const double scale = k_max_state / top_float;
            for (std::size_t j = 0; j < n.th.size(); ++j) {
                n.th[j] = rnd(fn.th[j] * scale);
                n.bias[j] = rnd(fn.bias[j] * scale);
                n.scale[j] = scale;
            }
            apply(role, scale, false);
        }
    }
}

/// channel_quantize for one population: one scale per target neuron (row of its matrices).
void channel_quantize(Model& m, const Model& f, Role role, bool compat, Diagnostics& d) {
    Neurons& n = m.of(role);
    const Neurons& fn = role == Role::Hidden ? f.hidden : f.out;
    for (std::size_t j = 0; j < fn.th.size(); ++j) {
        double max_w = 0;
        for (const auto& x : f.mats)
            if (into(x, role) && j >= static_cast<std::size_t>(x.target->first) &&
                j < static_cast<std::size_t>(x.target->first + x.target->size))
                for (std::int64_t c = 0; c < x.cols; ++c)
                    max_w =
                        std::max(max_w, std::abs(x.t.values[(j - x.target->first) * x.cols + c]));
        auto scale_row = [&](double s) {
            for (std::size_t k = 0; k < f.mats.size(); ++k) {
                const auto& x = f.mats[k];
                if (!into(x, role) || j < static_cast<std::size_t>(x.target->first) ||
                    j >= static_cast<std::size_t>(x.target->first + x.target->size))
                    continue;
                const auto r = static_cast<std::int64_t>(j) - x.target->first;
                for (std::int64_t c = 0; c < x.cols; ++c)
                    m.mats[k].t.values[r * x.cols + c] = rnd(x.t.values[r * x.cols + c] * s);
            }
        };
        if (max_w == 0) {
            n.th[j] = rnd(fn.th[j]);
            n.bias[j] = rnd(fn.bias[j]);
            n.scale[j] = 1;
            continue;
        }
        const double s = k_max_weight / max_w;
        scale_row(s);
        n.th[j] = rnd(fn.th[j] * s);
        // rockpool scales the hidden bias only for 2-synapse neurons; NIR's have one.
        n.bias[j] = rnd(fn.bias[j] * (compat && role == Role::Hidden ? 1.0 : s));
        n.scale[j] = s;
        if (std::abs(n.th[j]) > k_max_state) {
            const double ls = k_max_state / (compat ? fn.th[j] : std::abs(fn.th[j]));
            n.th[j] = rnd(fn.th[j] * ls);
            scale_row(ls);
            n.scale[j] = ls;
            if (!compat)
                n.bias[j] = rnd(fn.bias[j] * ls);
        }
    }
    if (compat && role == Role::Hidden &&
        std::any_of(fn.bias.begin(), fn.bias.end(), [](double b) { return b != 0; }))
        d.warning("compat: hidden biases left unscaled (rockpool's channel_quantize bug for "
                  "1-synapse neurons)",
                  "", "XYLO-W003");
}

/// The loss report: per weight node the largest rounding error in units of one integer step
/// and the weights that became 0; per layer the dash rounding.
void report_loss(const Model& m, const Model& f, const Network& net, const Graph& g, double dt,
                 Diagnostics& d) {
    for (std::size_t k = 0; k < m.mats.size(); ++k) {
        const auto& x = f.mats[k];
        if (!x.target)
            continue;
        const Neurons& n = x.target->role == Role::Hidden ? m.hidden : m.out;
        double worst = 0;
        std::int64_t zeroed = 0, nonzero = 0;
        for (std::int64_t r = 0; r < x.rows; ++r) {
            const double s = n.scale[x.target->first + r];
            for (std::int64_t c = 0; c < x.cols; ++c) {
                const double v = x.t.values[r * x.cols + c];
                const double q = m.mats[k].t.values[r * x.cols + c];
                worst = std::max(worst, std::abs(q - v * s));
                nonzero += v != 0;
                zeroed += v != 0 && q == 0;
            }
        }
        d.note("weights rounded to int8: largest error " + nirb::sdk::short_number(worst) +
                   " of one integer step; " + std::to_string(zeroed) + " of " +
                   std::to_string(nonzero) + " non-zero weights became 0",
               x.w->node, "XYLO-N001");
    }
    for (const auto& l : net.layers)
        for (const char* field : {"tau_mem", "tau_syn"}) {
            const auto tau = nirb::sdk::values(g, l.node, field, l.size, dt);
            double worst = 0;
            for (double t : tau)
                worst = std::max(worst, std::abs(dash_of(t, dt) - rounded_dash(t, dt)));
            if (worst > 1e-6) // float32 time constants alone leave ~1e-7 in log2
                d.note(std::string(field) + ": dash = log2(tau/dt) rounded by up to " +
                           nirb::sdk::short_number(worst) +
                           " (the decay factor 1 - 2^-dash changes accordingly)",
                       l.node, "XYLO-N002");
        }
}

Tensor ints(const std::vector<double>& v, nirb_dtype dtype) {
    return Tensor::of(v, {static_cast<std::int64_t>(v.size())}, dtype);
}

void write_back(Graph& g, const Model& m, const Network& net, double dt) {
    for (const auto& x : m.mats) {
        Tensor t = x.t;
        g.set_param(x.w->node, "weight", t);
        g.set_metadata(x.w->node, "xylo.group",
                       x.w->group == WeightGroup::Input       ? "input"
                       : x.w->group == WeightGroup::Recurrent ? "recurrent"
                                                              : "output");
    }
    for (const auto& l : net.layers) {
        const Neurons& n = l.role == Role::Hidden ? m.hidden : m.out;
        const auto shape = nirb::sdk::neuron_shape(g, l.node);
        std::vector<double> th, leak, scale, tau_m, tau_s, dm, ds;
        const auto tm = nirb::sdk::values(g, l.node, "tau_mem", l.size, dt);
        const auto ts = nirb::sdk::values(g, l.node, "tau_syn", l.size, dt);
        for (std::int64_t j = 0; j < l.size; ++j) {
            const int dash_m = rounded_dash(tm[j], dt), dash_s = rounded_dash(ts[j], dt);
            th.push_back(n.th[l.first + j]);
            leak.push_back(std::ldexp(n.bias[l.first + j], dash_m));
            scale.push_back(n.scale[l.first + j]);
            tau_m.push_back(std::ldexp(dt, dash_m));
            tau_s.push_back(std::ldexp(dt, dash_s));
            dm.push_back(dash_m);
            ds.push_back(dash_s);
        }
        nirb::sdk::set_values(g, l.node, "v_threshold", th, shape);
        nirb::sdk::set_values(g, l.node, "v_leak", leak, shape);
        nirb::sdk::set_values(g, l.node, "tau_mem", tau_m, shape);
        nirb::sdk::set_values(g, l.node, "tau_syn", tau_s, shape);
        nirb::sdk::set_values(g, l.node, "r", std::vector<double>(l.size, 1.0), shape);
        nirb::sdk::set_values(g, l.node, "w_in", std::vector<double>(l.size, 1.0), shape);
        nirb::sdk::set_values(g, l.node, "v_reset", std::vector<double>(l.size, 0.0), shape);
        g.set_metadata(l.node, "xylo.scale", ints(scale, NIRB_DTYPE_FLOAT64));
        g.set_metadata(l.node, "xylo.dash_mem", ints(dm, NIRB_DTYPE_INT64));
        g.set_metadata(l.node, "xylo.dash_syn", ints(ds, NIRB_DTYPE_INT64));
        g.set_metadata(l.node, "xylo.role", l.role == Role::Hidden ? "hidden" : "output");
    }
}

class Quantize : public nirb::sdk::Pass {
public:
    Quantize() : Pass("xylo.quantize", "int8 weights, int16 thresholds, rounded dashes") {
        add_number("dt", 0, "step in seconds; 0: the graph's nirb.dt, else 1e-3 (rockpool)");
        add_choice("quantizer", {"global", "channel"}, "global",
                   "rockpool's global_quantize or channel_quantize");
        add_bool("compat", false, "keep rockpool 3.1.0's documented quantiser bugs");
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        const double dt = step_dt(g, o);
        const bool compat = o.flag("compat");
        const Network net = read_network(g);
        const Model floats = load(g, net);
        Model m = floats;
        if (o.string("quantizer") == "global") {
            global_quantize(m, floats, compat, d);
        } else {
            channel_quantize(m, floats, Role::Hidden, compat, d);
            channel_quantize(m, floats, Role::Output, compat, d);
        }
        report_loss(m, floats, net, g, dt, d);
        write_back(g, m, net, dt);
        g.set_metadata("", "xylo.quantizer", o.string("quantizer") + (compat ? " (compat)" : ""));
        g.set_metadata("", "xylo.dt", dt);
    }
};

} // namespace

void add_quantize(nirb::sdk::Plugin& p) {
    p.add_pass<Quantize>();
}

} // namespace xylo
