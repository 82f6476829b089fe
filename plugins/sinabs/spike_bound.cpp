// Interval bound of every node's output per step, from graph inputs in [0, input_max], and
// from it the most spikes a Sinabs neuron can emit in one step. Sinabs subtracts n = floor(v/th)
// thresholds in the step it spikes, so the membrane it keeps is below th and the next one is
// v' = beta v + g x < beta th + g x_max: no more than ceil((beta th + g x_max)/th) - 1 spikes.
// When that is 1 everywhere, multi-spike and single-spike neurons give identical spikes.
#include "passes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nirb::plugins::sinabs {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

/// Bounds [lo, hi] of each output element of a node (size 1: the same for all).
struct Interval {
    std::vector<double> lo, hi;
    double min() const { return *std::min_element(lo.begin(), lo.end()); }
    double max() const { return *std::max_element(hi.begin(), hi.end()); }
};

Interval scalar(double lo, double hi) {
    return {{lo}, {hi}};
}

/// Element `i` of a bound of `n` elements (broadcast when it has one, else the extremes).
std::pair<double, double> at(const Interval& b, std::size_t i, std::size_t n) {
    if (b.lo.size() == n)
        return {b.lo[i], b.hi[i]};
    return {b.min(), b.max()};
}

/// Dense layer: each row sums w * x over its inputs, x within the bound, plus the bias.
Interval dense(const Graph& g, const std::string& n, const Interval& in) {
    const Tensor w = g.param(n, "weight");
    const auto rows = w.shape.at(0);
    const auto per_row = w.size() / rows;
    const auto bias =
        g.has_param(n, "bias") ? values(g, n, "bias", rows, 0) : std::vector<double>(rows, 0.0);
    Interval out{std::vector<double>(rows), std::vector<double>(rows)};
    const bool conv = g.type(n) == "Conv2d";
    for (std::int64_t r = 0; r < rows; ++r) {
        double lo = bias[r], hi = bias[r];
        for (std::int64_t j = 0; j < per_row; ++j) {
            // A convolution window may also cover padding (zeros): include 0 in its range.
            auto [xl, xh] = conv ? std::pair{std::min(in.min(), 0.0), std::max(in.max(), 0.0)}
                                 : at(in, j, per_row);
            const double wv = w.values[r * per_row + j];
            lo += std::min(wv * xl, wv * xh);
            hi += std::max(wv * xl, wv * xh);
        }
        out.lo[r] = lo;
        out.hi[r] = hi;
    }
    return out;
}

Interval sum_pool(const Graph& g, const std::string& n, const Interval& in, bool average) {
    const auto k = g.param(n, "kernel_size").values;
    const double taps = k.size() == 1 ? k[0] * k[0] : k.at(0) * k.at(1);
    const double f = average ? 1.0 : taps;
    return scalar(f * std::min(in.min(), 0.0), f * std::max(in.max(), 0.0));
}

/// Neuron output bound: spike counts for LIF/IF, the leaky state for LI.
Interval neuron(const Graph& g, const std::string& n, const Interval& in, const SpikeBoundModel& m,
                std::map<std::string, double>& spikes) {
    const auto count = neuron_count(g, n);
    const auto beta = m.beta(g, n);
    const auto gain = m.gain(g, n);
    if (g.type(n) == "LI") {
        Interval out{std::vector<double>(count), std::vector<double>(count)};
        for (std::int64_t i = 0; i < count; ++i) {
            auto [xl, xh] = at(in, i, count);
            const double grow = beta[i] < 1 ? gain[i] / (1 - beta[i]) : k_inf;
            out.lo[i] = std::min(xl, 0.0) * grow;
            out.hi[i] = std::max(xh, 0.0) * grow;
        }
        return out;
    }
    const auto th = values(g, n, "v_threshold", count, 0);
    double most = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        const double xh = std::max(at(in, i, count).second, 0.0);
        if (!(th[i] > 0) || !std::isfinite(xh))
            most = k_inf;
        else
            most = std::max(most, std::ceil((beta[i] * th[i] + gain[i] * xh) / th[i]) - 1);
    }
    spikes[n] = std::max(most, 0.0);
    return scalar(0, spikes[n]);
}

} // namespace

std::map<std::string, double> spike_bounds(const Graph& g, const SpikeBoundModel& model) {
    std::map<std::string, double> spikes;
    std::map<std::string, Interval> out;
    std::map<std::string, int> waiting;
    for (const auto& n : g.nodes())
        waiting[n] = static_cast<int>(predecessors(g, n).size());
    std::vector<std::string> ready;
    for (const auto& [n, k] : waiting)
        if (k == 0)
            ready.push_back(n);
    while (!ready.empty()) {
        const auto n = ready.back();
        ready.pop_back();
        Interval in = scalar(0, 0);
        for (const auto& p : predecessors(g, n)) {
            const auto& b = out.at(p);
            if (in.lo.size() == 1 && in.lo[0] == 0 && in.hi[0] == 0) {
                in = b;
                continue;
            }
            in = scalar(in.min() + b.min(), in.max() + b.max());
        }
        const auto type = g.type(n);
        if (type == "Input")
            out[n] = scalar(0, model.input_max);
        else if (is_weight(type))
            out[n] = dense(g, n, in);
        else if (type == "SumPool2d" || type == "AvgPool2d")
            out[n] = sum_pool(g, n, in, type == "AvgPool2d");
        else if (type == "Flatten" || type == "Output")
            out[n] = in;
        else if (type == "LIF" || type == "IF" || type == "LI")
            out[n] = neuron(g, n, in, model, spikes);
        else
            out[n] = scalar(-k_inf, k_inf);
        for (const auto& s : successors(g, n))
            if (--waiting[s] == 0)
                ready.push_back(s);
    }
    // Nodes on a cycle were never ready: nothing bounds them.
    for (const auto& n : g.nodes())
        if (!out.count(n) && (g.type(n) == "LIF" || g.type(n) == "IF" || g.type(n) == "CubaLIF"))
            spikes[n] = k_inf;
    return spikes;
}

} // namespace nirb::plugins::sinabs
