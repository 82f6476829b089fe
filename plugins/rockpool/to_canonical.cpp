// rockpool.to-canonical: Rockpool 3.1.0's NIR encoding -> the canonical reading.
//
// Rockpool's to_nir (rockpool/nn/modules/torch/nir.py) writes LIFTorch as CubaLIF and
// LIFNeuronTorch as LIF with their time constants, r = tau e^{-dt/tau} / dt, w_in = 1,
// v_leak = 0 (the bias is not written) and no dt. The modules step with exact exponential
// decay: LIFTorch isyn = e^{-dt/tau_syn} (isyn + x), v = e^{-dt/tau_mem} v + isyn (+ bias);
// LIFNeuronTorch v = e^{-dt/tau} v + x; spikes floor(v/theta) when v >= theta, subtracted in
// the same step, states start at 0. This pass writes the forward-Euler parameters with the
// same per-step decays and gains at the module's dt: tau' = dt/(1 - e^{-dt/tau}), membrane gain
// 1 (r' = tau'/dt), synaptic gain e^{-dt/tau_syn} (w_in' = alpha/(1 - alpha)). The dt is read
// back from r when every neuron encodes the same one; else it is the `dt` option.
#include "passes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace nirb::plugins::rockpool {

const char* membrane_tau(const std::string& type) {
    return type == "CubaLIF" ? "tau_mem" : "tau";
}

namespace {

/// The dt solving r = tau e^{-dt/tau} / dt (u = dt/tau solves ln(r u) + u = 0), or 0.
double dt_from_r(double tau, double r) {
    if (!(tau > 0) || !(r > 0))
        return 0;
    double lo = 1e-300, hi = 800.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = std::sqrt(lo * hi);
        (std::log(r * mid) + mid < 0 ? lo : hi) = mid;
    }
    return tau * std::sqrt(lo * hi);
}

/// `v` rounded to 6 significant digits (r is stored in float32).
double round6(double v) {
    const double scale = std::pow(10.0, 5 - std::floor(std::log10(v)));
    return std::round(v * scale) / scale;
}

} // namespace

double dt_written(const Graph& g, std::string& why) {
    double found = 0;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (t != "LIF" && t != "CubaLIF" && t != "LI")
            continue;
        const auto count = neuron_count(g, n);
        const auto tau = values(g, n, membrane_tau(t), count, 0);
        const auto r = values(g, n, "r", count, 1);
        for (std::int64_t i = 0; i < count; ++i) {
            const double dt = dt_from_r(tau[i], r[i]);
            if (!(dt > 0)) {
                why = "node '" + n + "' has r <= 0";
                return 0;
            }
            if (found > 0 && std::abs(dt - found) > 1e-4 * found) {
                why = "node '" + n + "' encodes dt " + short_number(dt) + ", another " +
                      short_number(found);
                return 0;
            }
            if (found == 0)
                found = dt;
        }
    }
    if (found == 0)
        why = "no neuron node";
    return found > 0 ? round6(found) : 0;
}

namespace {

constexpr double kDefaultDt = 1e-3;          ///< Rockpool modules' default dt
constexpr double kUnboundedSpikes = 65536.0; ///< LIFTorch's default max_spikes_per_dt (2^16)

/// Upper bounds of what nodes emit per step, to prove a neuron never reaches 2 theta.
class SpikeBound {
public:
    SpikeBound(const Graph& g, double dt, double max_input) : m_g(g), m_dt(dt), m_in(max_input) {}

    /// True when the neuron provably emits at most one spike per step (Rockpool's state after
    /// a step stays below theta, so v' <= decay theta + largest input < 2 theta).
    bool single(const std::string& n) {
        if (auto it = m_single.find(n); it != m_single.end())
            return it->second;
        m_single[n] = false; // a cycle through n proves nothing
        const auto t = m_g.type(n);
        const auto count = neuron_count(m_g, n);
        const auto input = largest_input(n, count);
        const auto th = values(m_g, n, "v_threshold", count, 0);
        const auto tau = values(m_g, n, membrane_tau(t), count, 0);
        const auto ts =
            t == "CubaLIF" ? values(m_g, n, "tau_syn", count, 0) : std::vector<double>(count, 0.0);
        const auto leak = values(m_g, n, "v_leak", count, 0);
        bool ok = !input.empty();
        for (std::int64_t i = 0; ok && i < count; ++i) {
            const double beta = std::exp(-m_dt / tau[i]);
            double drive = input[i] + std::max(0.0, leak[i]);
            if (t == "CubaLIF") {
                const double alpha = std::exp(-m_dt / ts[i]);
                drive = alpha * input[i] / (1 - alpha) + std::max(0.0, leak[i]);
            }
            ok = th[i] > 0 && beta * th[i] + drive < 2 * th[i];
        }
        return m_single[n] = ok;
    }

private:
    /// Largest value node `n` emits per step, or infinity.
    double emitted(const std::string& n) {
        const auto t = m_g.type(n);
        if (t == "Input")
            return m_in;
        if ((t == "LIF" || t == "CubaLIF") && single(n))
            return 1.0;
        return std::numeric_limits<double>::infinity();
    }
    /// Per neuron, the largest summed input of `n` per step; empty when unbounded.
    std::vector<double> largest_input(const std::string& n, std::int64_t count) {
        std::vector<double> out(count, 0.0);
        for (const auto& w : predecessors(m_g, n)) {
            const auto wt = m_g.type(w);
            const auto sources = predecessors(m_g, w);
            if ((wt != "Affine" && wt != "Linear") || sources.size() != 1)
                return {};
            const double u = emitted(sources[0]);
            const auto weight = m_g.param(w, "weight");
            if (weight.shape.size() != 2 || weight.shape[0] != count || !std::isfinite(u))
                return {};
            const auto cols = weight.shape[1];
            for (std::int64_t i = 0; i < count; ++i) {
                for (std::int64_t j = 0; j < cols; ++j)
                    out[i] += std::max(0.0, weight.values[i * cols + j]) * u;
                if (wt == "Affine")
                    out[i] += std::max(0.0, m_g.param(w, "bias").values[i]);
            }
        }
        return out;
    }

    const Graph& m_g;
    double m_dt, m_in;
    std::map<std::string, bool> m_single;
};

/// Size of the 1-d population node `n` reads from an Input (successor side) or writes to an
/// Output (predecessor side), or -1.
std::int64_t population_size(const Graph& g, const std::string& n, bool reads) {
    const auto t = g.type(n);
    if (t == "Affine" || t == "Linear") {
        const auto shape = g.param(n, "weight").shape;
        return shape.size() == 2 ? shape[reads ? 1 : 0] : -1;
    }
    if (is_neuron(t))
        return neuron_shape(g, n).size() == 1 ? neuron_count(g, n) : -1;
    return -1;
}

/// Rockpool's exporter writes the sample's batch dimension into the Input type, (1, N), and
/// the Output type, (1, 1, M): strip the leading 1s when the neighbours are N-sized (a warning
/// per repair; nir.read rejects the unrepaired file).
void repair_batch_dims(Graph& g, Diagnostics& diag) {
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if ((t != "Input" && t != "Output") || !g.has_param(n, "shape"))
            continue;
        const auto shape = g.param(n, "shape").values;
        if (shape.size() < 2 ||
            !std::all_of(shape.begin(), shape.end() - 1, [](double d) { return d == 1.0; }))
            continue;
        const bool input = t == "Input";
        const auto next = input ? successors(g, n) : predecessors(g, n);
        const auto size = static_cast<std::int64_t>(shape.back());
        if (next.empty() || !std::all_of(next.begin(), next.end(), [&](const std::string& m) {
                return population_size(g, m, input) == size;
            }))
            continue;
        g.set_param(n, "shape", detail::ints({shape.back()}));
        std::string old;
        for (double d : shape)
            old += (old.empty() ? "" : ", ") + short_number(d);
        diag.warning("repaired the " + t + " type (" + old + ") -> (" + short_number(size) +
                         "): Rockpool's exporter writes the batch dimension, which nir.read "
                         "rejects",
                     n);
    }
}

void set_all(Graph& g, const std::string& n, const char* name, const std::vector<double>& v) {
    set_values(g, n, name, v, neuron_shape(g, n));
}

/// Rockpool's per-step parameters at dt -> the canonical forward-Euler ones.
void to_euler(Graph& g, const std::string& n, double dt, Diagnostics& diag) {
    const auto t = g.type(n);
    const auto count = neuron_count(g, n);
    const auto tau = values(g, n, membrane_tau(t), count, 0);
    auto leak = values(g, n, "v_leak", count, 0);
    std::vector<double> tau_c(count), r_c(count);
    for (std::int64_t i = 0; i < count; ++i) {
        if (!(tau[i] > 0))
            throw invalid_input("node '" + n + "': tau must be > 0");
        const double beta = std::exp(-dt / tau[i]);
        tau_c[i] = dt / (1 - beta);
        // LI (ExpSynTorch) decays its input with the state: gain beta; LIF/CubaLIF gain 1.
        r_c[i] = (t == "LI" ? beta : 1.0) / (1 - beta);
        leak[i] /= 1 - beta; // from_nir reads v_leak as a per-step bias
    }
    set_all(g, n, membrane_tau(t), tau_c);
    set_all(g, n, "r", r_c);
    set_all(g, n, "v_leak", leak);
    if (t != "CubaLIF")
        return;
    const auto ts = values(g, n, "tau_syn", count, 0);
    if (!all_close(values(g, n, "w_in", count, 1), 1.0, 1e-6))
        diag.warning("w_in != 1 is ignored: Rockpool's LIFTorch has no synaptic weight", n);
    std::vector<double> ts_c(count), w_in(count);
    for (std::int64_t i = 0; i < count; ++i) {
        if (!(ts[i] > 0))
            throw invalid_input("node '" + n + "': tau_syn must be > 0");
        const double alpha = std::exp(-dt / ts[i]);
        ts_c[i] = dt / (1 - alpha);
        w_in[i] = alpha / (1 - alpha);
    }
    set_all(g, n, "tau_syn", ts_c);
    set_all(g, n, "w_in", w_in);
}

class ToCanonical : public Pass {
public:
    ToCanonical()
        : Pass("rockpool.to-canonical",
               "Rockpool's NIR encoding -> canonical reading + discrete semantics (dt, spikes)") {
        add_number("dt", 0,
                   "dt the Rockpool modules ran with (not exported); 0 = the dt every r encodes "
                   "(r = tau exp(-dt/tau)/dt), else 1e-3")
            .min(0);
        add_number("max_spikes_per_dt", kUnboundedSpikes,
                   "max_spikes_per_dt of the LIF modules (1 or the default 65536)")
            .min(1);
        add_number("max_input", 1,
                   "largest input value per step (1: binary spikes); bounds the spike counts")
            .min(0);
    }

    void run(Graph& g, const Options& o, Diagnostics& diag) override {
        const double cap = o.number("max_spikes_per_dt");
        if (cap != 1 && cap < kUnboundedSpikes)
            throw unsupported("max_spikes_per_dt = " + format_number(cap) +
                              ": nirb models 1 or an unbounded count (>= 65536), not a cap");
        repair_batch_dims(g, diag);
        double dt = o.number("dt");
        if (dt == 0) {
            std::string why;
            dt = dt_written(g, why);
            if (dt > 0) {
                diag.note("dt = " + format_number(dt) +
                          " s, read from r = tau exp(-dt/tau)/dt (override: --from-option dt=...)");
            } else {
                dt = kDefaultDt;
                diag.warning("r encodes no single dt (" + why +
                             "): assuming Rockpool's default "
                             "dt = 1e-3 s (override: --from-option dt=...)");
            }
        }
        Semantics base;
        base.reset = canonical::ResetMode::Subtract;
        base.comparator = canonical::Comparator::GreaterEqual;
        base.spikes_per_step =
            cap == 1 ? canonical::SpikesPerStep::Single : canonical::SpikesPerStep::Multiple;
        SpikeBound bound(g, dt, o.number("max_input"));
        std::set<std::string> proven;
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if ((t == "LIF" || t == "CubaLIF") && cap != 1 && bound.single(n))
                proven.insert(n);
        }
        mark_canonical(g, "rockpool", dt, base);
        int multi = 0;
        for (const auto& n : g.nodes()) {
            const auto t = g.type(n);
            if (t != "LIF" && t != "CubaLIF" && t != "LI")
                continue;
            to_euler(g, n, dt, diag);
            Semantics s = base;
            if (proven.count(n)) {
                s.spikes_per_step = canonical::SpikesPerStep::Single;
                diag.note("at most one spike per step, proven: decay * theta + largest input "
                          "< 2 theta for inputs <= max_input",
                          n);
            } else if (t != "LI" && s.spikes_per_step == canonical::SpikesPerStep::Multiple) {
                ++multi;
            }
            set_node_semantics(g, n, s);
        }
        diag.note("canonical: dt = " + format_number(dt) +
                  " s, subtract reset in the same step, states start at 0, " +
                  std::to_string(multi) + " layer(s) may emit several spikes per step, v >= theta");
    }
};

} // namespace

void add_to_canonical(Plugin& p) {
    p.add_pass<ToCanonical>();
}

} // namespace nirb::plugins::rockpool
