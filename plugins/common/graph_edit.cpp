#include "graph_edit.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace nirb::plugins {

namespace {

const char* const k_neurons[] = {"LIF", "CubaLIF", "IF", "LI", "CubaLI", "I"};

void push_unique(std::vector<std::string>& out, const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end())
        out.push_back(s);
}

/// The first population parameter a neuron node has (its shape is the population's).
std::string population_param(const Graph& g, const std::string& node) {
    for (const char* name : {"v_threshold", "tau", "tau_mem", "r"})
        if (g.has_param(node, name))
            return name;
    throw sdk::invalid_input("node '" + node + "' has no population parameter");
}

bool uniform_per_channel(const std::vector<double>& v, std::int64_t channels) {
    const auto per = static_cast<std::int64_t>(v.size()) / channels;
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t i = 1; i < per; ++i)
            if (v[c * per + i] != v[c * per])
                return false;
    return true;
}

Tensor f32(std::vector<double> v, std::vector<std::int64_t> shape) {
    return Tensor::of(std::move(v), std::move(shape), NIRB_DTYPE_FLOAT32);
}

Tensor ints(std::vector<double> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::of(std::move(v), {n}, NIRB_DTYPE_INT64);
}

/// A (C, C, kh, kw) Conv2d weight that maps channel c to itself with every tap = diag[c]:
/// groups = 1 on purpose, the PyTorch importers build grouped convolutions with the wrong
/// in_channels (weight.shape[1]). The off-diagonal zeros add exactly nothing.
Tensor channel_diagonal(const std::vector<double>& diag, std::int64_t kh, std::int64_t kw) {
    const auto c = static_cast<std::int64_t>(diag.size());
    std::vector<double> w(static_cast<std::size_t>(c * c * kh * kw), 0.0);
    for (std::int64_t k = 0; k < c; ++k)
        for (std::int64_t i = 0; i < kh * kw; ++i)
            w[(k * c + k) * kh * kw + i] = diag[k];
    return f32(std::move(w), {c, c, kh, kw});
}

/// Set the Conv2d fields of `node` (zero bias, dilation 1, groups 1).
void set_conv(Graph& g, const std::string& node, const Tensor& weight, const Tensor& stride,
              const Tensor& padding) {
    const auto out = weight.shape.at(0);
    g.set_param(node, "weight", weight);
    g.set_param(node, "bias", f32(std::vector<double>(out, 0.0), {out}));
    g.set_param(node, "stride", stride);
    g.set_param(node, "padding", padding);
    g.set_param(node, "dilation", ints({1, 1}));
    g.set_param(node, "groups", Tensor::scalar(1, NIRB_DTYPE_INT64));
}

/// Scale output unit/channel k of weight node `w` (and its bias) by gains[k].
void scale_rows(Graph& g, const std::string& w, const std::vector<double>& gains) {
    Tensor weight = g.param(w, "weight");
    const auto rows = weight.shape.at(0);
    const auto per = weight.size() / rows;
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t i = 0; i < per; ++i)
            weight.values[r * per + i] *= gains[r];
    g.set_param(w, "weight", weight);
    if (g.has_param(w, "bias")) {
        Tensor bias = g.param(w, "bias");
        for (std::int64_t r = 0; r < rows; ++r)
            bias.values[r] *= gains[r];
        g.set_param(w, "bias", bias);
    }
}

} // namespace

std::vector<std::string> predecessors(const Graph& g, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& e : g.edges())
        if (e.dst == node)
            push_unique(out, e.src);
    return out;
}

std::vector<std::string> successors(const Graph& g, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& e : g.edges())
        if (e.src == node)
            push_unique(out, e.dst);
    return out;
}

bool is_neuron(const std::string& type) {
    return std::find(std::begin(k_neurons), std::end(k_neurons), type) != std::end(k_neurons);
}

bool is_weight(const std::string& type) {
    return type == "Affine" || type == "Linear" || type == "Conv2d";
}

std::vector<std::int64_t> neuron_shape(const Graph& g, const std::string& node) {
    return g.param(node, population_param(g, node)).shape;
}

std::int64_t neuron_count(const Graph& g, const std::string& node) {
    return g.param(node, population_param(g, node)).size();
}

std::vector<double> values(const Graph& g, const std::string& node, const std::string& name,
                           std::int64_t n, double fallback) {
    if (!g.has_param(node, name))
        return std::vector<double>(static_cast<std::size_t>(n), fallback);
    const Tensor t = g.param(node, name);
    if (t.size() == n)
        return t.values;
    if (t.size() == 1)
        return std::vector<double>(static_cast<std::size_t>(n), t.values.at(0));
    throw sdk::invalid_input("node '" + node + "': parameter '" + name + "' has " +
                             std::to_string(t.size()) + " elements, the population has " +
                             std::to_string(n));
}

void set_values(Graph& g, const std::string& node, const std::string& name,
                const std::vector<double>& v, const std::vector<std::int64_t>& shape) {
    g.set_param(node, name, f32(v, shape));
}

bool fold_input_gains(Graph& g, const std::string& neuron, const std::vector<double>& gains,
                      std::string& why) {
    const auto preds = predecessors(g, neuron);
    if (preds.empty())
        return why = "it has no input", false;
    const auto shape = neuron_shape(g, neuron);
    for (const auto& p : preds) {
        const auto type = g.type(p);
        if (!is_weight(type))
            return why = "its input '" + p + "' is a " + type, false;
        if (successors(g, p) != std::vector<std::string>{neuron})
            return why = "'" + p + "' also feeds other nodes", false;
        const auto rows = g.param(p, "weight").shape.at(0);
        if (type == "Conv2d" &&
            !(shape.size() == 3 && shape[0] == rows && uniform_per_channel(gains, rows)))
            return why = "the gain varies within a channel of Conv2d '" + p + "'", false;
        if (type != "Conv2d" && rows != static_cast<std::int64_t>(gains.size()))
            return why = "'" + p + "' does not produce one value per neuron", false;
    }
    for (const auto& p : preds) {
        if (g.type(p) != "Conv2d") {
            scale_rows(g, p, gains);
            continue;
        }
        const auto rows = g.param(p, "weight").shape.at(0);
        std::vector<double> per_channel(static_cast<std::size_t>(rows));
        for (std::int64_t c = 0; c < rows; ++c)
            per_channel[c] = gains[c * (gains.size() / rows)];
        scale_rows(g, p, per_channel);
    }
    return true;
}

bool add_diagonal_map(Graph& g, const std::string& name, const std::vector<double>& diag,
                      const std::vector<std::int64_t>& shape, std::string& why) {
    const auto n = static_cast<std::int64_t>(diag.size());
    if (shape.size() <= 1) {
        std::vector<double> w(static_cast<std::size_t>(n * n), 0.0);
        for (std::int64_t i = 0; i < n; ++i)
            w[i * n + i] = diag[i];
        g.add_node(name, "Linear");
        g.set_param(name, "weight", f32(std::move(w), {n, n}));
        return true;
    }
    if (shape.size() != 3 || !uniform_per_channel(diag, shape[0]))
        return why = "the per-neuron factor varies within a channel", false;
    const auto c = shape[0];
    std::vector<double> w(static_cast<std::size_t>(c));
    for (std::int64_t k = 0; k < c; ++k)
        w[k] = diag[k * (n / c)];
    g.add_node(name, "Conv2d");
    set_conv(g, name, channel_diagonal(w, 1, 1), ints({1, 1}), ints({0, 0}));
    g.set_param(name, "input_shape", ints({double(shape[1]), double(shape[2])}));
    return true;
}

bool add_self_feedback(Graph& g, const std::string& neuron, const std::string& suffix,
                       const std::vector<double>& weights, std::string& why) {
    const std::string name = neuron + "." + suffix;
    if (!add_diagonal_map(g, name, weights, neuron_shape(g, neuron), why))
        return false;
    // The feedback edge goes before the neuron's other out-edges: nirtorch's GraphExecutor
    // (Norse's importer) returns the output of the LAST node of its depth-first order, so the
    // feedback branch must be visited before the path to the Output.
    const auto others = successors(g, neuron);
    g.connect(neuron, name);
    g.connect(name, neuron);
    for (const auto& s : others) {
        g.disconnect(neuron, s);
        g.connect(neuron, s);
    }
    return true;
}

namespace {

/// Give a node downstream of an eliminated Flatten the (N, 1, 1) layout.
void to_spatial(Graph& g, const std::string& node, std::set<std::string>& done) {
    if (!done.insert(node).second)
        return;
    const auto type = g.type(node);
    if (is_neuron(type)) {
        for (const auto& name : g.params(node)) {
            if (!g.param_view(node, name))
                continue;
            Tensor t = g.param(node, name);
            if (t.shape.size() == 1)
                t.shape = {t.shape[0], 1, 1};
            g.set_param(node, name, t);
        }
    } else if (type == "Affine" || type == "Linear") {
        Tensor w = g.param(node, "weight");
        const auto out = w.shape.at(0);
        w.shape = {out, w.shape.at(1), 1, 1};
        g.set_type(node, "Conv2d");
        g.set_param(node, "weight", w);
        if (!g.has_param(node, "bias"))
            g.set_param(node, "bias", f32(std::vector<double>(out, 0.0), {out}));
        g.set_param(node, "stride", ints({1, 1}));
        g.set_param(node, "padding", ints({0, 0}));
        g.set_param(node, "dilation", ints({1, 1}));
        g.set_param(node, "groups", Tensor::scalar(1, NIRB_DTYPE_INT64));
        g.set_param(node, "input_shape", ints({1, 1}));
    } else if (type == "Output") {
        Tensor s = g.param(node, "shape");
        if (s.size() == 1)
            s = ints({s.values[0], 1, 1});
        g.set_param(node, "shape", s);
        return;
    } else if (type != "Conv2d") {
        throw sdk::unsupported("cannot give node '" + node + "' (" + type +
                               ") the (N, 1, 1) layout needed after Flatten elimination");
    }
    for (const auto& s : successors(g, node))
        to_spatial(g, s, done);
}

} // namespace

bool eliminate_flatten(Graph& g, const std::string& flatten, std::string& why) {
    const auto next = successors(g, flatten);
    const auto prev = predecessors(g, flatten);
    if (next.size() != 1 || prev.size() != 1)
        return why = "it must have one input and one output", false;
    const auto& dense = next[0];
    const auto type = g.type(dense);
    if (type != "Affine" && type != "Linear")
        return why = "it feeds a " + type, false;
    if (!g.has_param(flatten, "input_type"))
        return why = "its input_type is unknown", false;
    const auto in = g.param(flatten, "input_type").values;
    const auto start =
        g.has_param(flatten, "start_dim") ? g.param(flatten, "start_dim").values[0] : 1;
    const auto end = g.has_param(flatten, "end_dim") ? g.param(flatten, "end_dim").values[0] : -1;
    if (in.size() != 3 || start != 0 || !(end == -1 || end == 2))
        return why = "only Flatten of a whole (C, H, W) input (start_dim 0) is rewritten", false;
    Tensor w = g.param(dense, "weight");
    const auto out = w.shape.at(0);
    w.shape = {out, std::int64_t(in[0]), std::int64_t(in[1]), std::int64_t(in[2])};
    g.set_type(dense, "Conv2d");
    g.set_param(dense, "weight", w);
    if (!g.has_param(dense, "bias"))
        g.set_param(dense, "bias", f32(std::vector<double>(out, 0.0), {out}));
    g.set_param(dense, "stride", ints({1, 1}));
    g.set_param(dense, "padding", ints({0, 0}));
    g.set_param(dense, "dilation", ints({1, 1}));
    g.set_param(dense, "groups", Tensor::scalar(1, NIRB_DTYPE_INT64));
    g.set_param(dense, "input_shape", ints({in[1], in[2]}));
    g.remove_node(flatten);
    g.connect(prev[0], dense);
    std::set<std::string> done{dense};
    for (const auto& s : successors(g, dense))
        to_spatial(g, s, done);
    return true;
}

void avgpool_to_conv(Graph& g, const std::string& pool, const std::vector<std::int64_t>& chw) {
    const auto channels = chw.at(0);
    expand_pool_pairs(g, pool);
    const auto k = g.param(pool, "kernel_size").values;
    const Tensor stride = g.param(pool, "stride");
    const Tensor padding = g.param(pool, "padding");
    const auto kh = std::int64_t(k[0]), kw = std::int64_t(k[1]);
    g.remove_param(pool, "kernel_size");
    g.set_type(pool, "Conv2d");
    set_conv(g, pool,
             channel_diagonal(std::vector<double>(channels, 1.0 / double(kh * kw)), kh, kw), stride,
             padding);
    g.set_param(pool, "input_shape", ints({double(chw.at(1)), double(chw.at(2))}));
}

void expand_pool_pairs(Graph& g, const std::string& pool) {
    for (const char* name : {"kernel_size", "stride", "padding"}) {
        if (!g.param_view(pool, name))
            continue;
        const Tensor t = g.param(pool, name);
        if (t.size() == 1)
            g.set_param(pool, name, ints({t.values[0], t.values[0]}));
    }
}

std::optional<std::vector<std::int64_t>> input_chw(const Graph& g, const std::string& node) {
    if (auto shape = g.inferred_shape(node, false); shape && shape->size() == 3)
        return shape;
    const auto prev = predecessors(g, node);
    if (prev.size() == 1 && is_neuron(g.type(prev[0])) && neuron_shape(g, prev[0]).size() == 3)
        return neuron_shape(g, prev[0]);
    return std::nullopt;
}

} // namespace nirb::plugins
