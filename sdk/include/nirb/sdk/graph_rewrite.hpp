#pragma once
/// \file sdk/graph_rewrite.hpp
/// Graph rewrites framework plugins share: folding per-neuron input gains into the weights
/// that feed a neuron layer, diagonal maps and self-feedback, and the structural rewrites the
/// PyTorch importers need (Flatten elimination, AvgPool2d as a channel-diagonal Conv2d).
/// Header-only, C++17, public SDK only.

#include "nirb/sdk/graph_query.hpp"

#include <set>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace nirb::sdk {

namespace detail {

inline bool uniform_per_channel(const std::vector<double>& v, std::int64_t channels) {
    const auto per = static_cast<std::int64_t>(v.size()) / channels;
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t i = 1; i < per; ++i)
            if (v[c * per + i] != v[c * per])
                return false;
    return true;
}

inline Tensor f32(std::vector<double> v, std::vector<std::int64_t> shape) {
    return Tensor::of(std::move(v), std::move(shape), NIRB_DTYPE_FLOAT32);
}

inline Tensor ints(std::vector<double> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::of(std::move(v), {n}, NIRB_DTYPE_INT64);
}

/// A (C, C, kh, kw) Conv2d weight that maps channel c to itself with every tap = diag[c]:
/// groups = 1 on purpose, the PyTorch importers build grouped convolutions with the wrong
/// in_channels (weight.shape[1]). The off-diagonal zeros add exactly nothing.
inline Tensor channel_diagonal(const std::vector<double>& diag, std::int64_t kh, std::int64_t kw) {
    const auto c = static_cast<std::int64_t>(diag.size());
    std::vector<double> w(static_cast<std::size_t>(c * c * kh * kw), 0.0);
    for (std::int64_t k = 0; k < c; ++k)
        for (std::int64_t i = 0; i < kh * kw; ++i)
            w[(k * c + k) * kh * kw + i] = diag[k];
    return f32(std::move(w), {c, c, kh, kw});
}

/// Set the Conv2d fields of `node` (zero bias, dilation 1, groups 1).
inline void set_conv(Graph& g, const std::string& node, const Tensor& weight, const Tensor& stride,
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
inline void scale_rows(Graph& g, const std::string& w, const std::vector<double>& gains) {
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

/// Give a node downstream of an eliminated Flatten the (N, 1, 1) layout.
inline void to_spatial(Graph& g, const std::string& node, std::set<std::string>& done) {
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

} // namespace detail

/// Expand AvgPool2d/SumPool2d kernel_size, stride and padding scalars to pairs.
inline void expand_pool_pairs(Graph& g, const std::string& pool);

/// Route every edge into `node` into `to` instead (a rewrite putting nodes in front of it).
inline void move_inputs(Graph& g, const std::string& node, const std::string& to) {
    for (const auto& p : predecessors(g, node)) {
        g.disconnect(p, node);
        g.connect(p, to);
    }
}

/// Multiply the input of neuron node `neuron` by per-neuron `gains` by scaling every weight
/// node feeding it (rows of Affine/Linear, output channels of Conv2d, and their biases).
/// Possible only when every predecessor is a weight node feeding nothing else, and, for a
/// Conv2d, when the gain is uniform over each channel. Returns false (graph unchanged) with
/// the reason in `why` otherwise.
inline bool fold_input_gains(Graph& g, const std::string& neuron, const std::vector<double>& gains,
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
            !(shape.size() == 3 && shape[0] == rows && detail::uniform_per_channel(gains, rows)))
            return why = "the gain varies within a channel of Conv2d '" + p + "'", false;
        if (type != "Conv2d" && rows != static_cast<std::int64_t>(gains.size()))
            return why = "'" + p + "' does not produce one value per neuron", false;
    }
    for (const auto& p : preds) {
        if (g.type(p) != "Conv2d") {
            detail::scale_rows(g, p, gains);
            continue;
        }
        const auto rows = g.param(p, "weight").shape.at(0);
        std::vector<double> per_channel(static_cast<std::size_t>(rows));
        for (std::int64_t c = 0; c < rows; ++c)
            per_channel[c] = gains[c * (gains.size() / rows)];
        detail::scale_rows(g, p, per_channel);
    }
    return true;
}

/// Add node `name` multiplying each element of a `shape`-d population by `diag` (one factor
/// per element): a diagonal Linear for 1-d, a channel-diagonal 1x1 Conv2d (groups 1) for
/// (C, H, W) when the factor is uniform per channel. Returns false with `why` otherwise.
inline bool add_diagonal_map(Graph& g, const std::string& name, const std::vector<double>& diag,
                             const std::vector<std::int64_t>& shape, std::string& why) {
    const auto n = static_cast<std::int64_t>(diag.size());
    if (shape.size() <= 1) {
        std::vector<double> w(static_cast<std::size_t>(n * n), 0.0);
        for (std::int64_t i = 0; i < n; ++i)
            w[i * n + i] = diag[i];
        g.add_node(name, "Linear");
        g.set_param(name, "weight", detail::f32(std::move(w), {n, n}));
        return true;
    }
    if (shape.size() != 3 || !detail::uniform_per_channel(diag, shape[0]))
        return why = "the per-neuron factor varies within a channel", false;
    const auto c = shape[0];
    std::vector<double> w(static_cast<std::size_t>(c));
    for (std::int64_t k = 0; k < c; ++k)
        w[k] = diag[k * (n / c)];
    g.add_node(name, "Conv2d");
    detail::set_conv(g, name, detail::channel_diagonal(w, 1, 1), detail::ints({1, 1}),
                     detail::ints({0, 0}));
    g.set_param(name, "input_shape", detail::ints({double(shape[1]), double(shape[2])}));
    return true;
}

/// Add a node `<neuron>.<suffix>` that feeds `neuron`'s own spikes back into it scaled by
/// `weights` (one per neuron): a diagonal Linear for 1-d populations, a channel-diagonal 1x1
/// Conv2d for (C, H, W) populations (weights must then be uniform per channel). The cycle edge
/// is a back edge, so the feedback arrives one step later. Returns false with `why` otherwise.
inline bool add_self_feedback(Graph& g, const std::string& neuron, const std::string& suffix,
                              const std::vector<double>& weights, std::string& why) {
    const std::string name = neuron + "." + suffix;
    if (!add_diagonal_map(g, name, weights, neuron_shape(g, neuron), why))
        return false;
    // The feedback edge goes before the neuron's other out-edges: nirtorch's GraphExecutor
    // (a PyTorch importer's runner) returns the output of the LAST node of its depth-first order,
    // so the feedback branch must be visited before the path to the Output.
    const auto others = successors(g, neuron);
    g.connect(neuron, name);
    g.connect(name, neuron);
    for (const auto& s : others) {
        g.disconnect(neuron, s);
        g.connect(neuron, s);
    }
    return true;
}

/// Replace `Flatten -> Affine|Linear` (flattening a whole (C, H, W) input) by one Conv2d with
/// a full-size kernel, and give everything downstream a (N, 1, 1) shape (Affine/Linear become
/// 1x1 convolutions). The PyTorch importers apply Flatten(start_dim) to batched tensors without
/// a batch offset, and nir's type inference rejects a batch-offset Flatten, so this is the only
/// batch-safe encoding. Returns false with `why` when the pattern does not hold.
inline bool eliminate_flatten(Graph& g, const std::string& flatten, std::string& why) {
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
        g.set_param(dense, "bias", detail::f32(std::vector<double>(out, 0.0), {out}));
    g.set_param(dense, "stride", detail::ints({1, 1}));
    g.set_param(dense, "padding", detail::ints({0, 0}));
    g.set_param(dense, "dilation", detail::ints({1, 1}));
    g.set_param(dense, "groups", Tensor::scalar(1, NIRB_DTYPE_INT64));
    g.set_param(dense, "input_shape", detail::ints({in[1], in[2]}));
    g.remove_node(flatten);
    g.connect(prev[0], dense);
    std::set<std::string> done{dense};
    for (const auto& s : successors(g, dense))
        detail::to_spatial(g, s, done);
    return true;
}

/// Replace an AvgPool2d by the equivalent channel-diagonal Conv2d (groups 1) with weights
/// 1/(kh*kw) and zero bias, for importers without AvgPool2d. `chw` is its input's shape.
inline void avgpool_to_conv(Graph& g, const std::string& pool,
                            const std::vector<std::int64_t>& chw) {
    const auto channels = chw.at(0);
    expand_pool_pairs(g, pool);
    const auto k = g.param(pool, "kernel_size").values;
    const Tensor stride = g.param(pool, "stride");
    const Tensor padding = g.param(pool, "padding");
    const auto kh = std::int64_t(k[0]), kw = std::int64_t(k[1]);
    g.remove_param(pool, "kernel_size");
    g.set_type(pool, "Conv2d");
    detail::set_conv(
        g, pool,
        detail::channel_diagonal(std::vector<double>(channels, 1.0 / double(kh * kw)), kh, kw),
        stride, padding);
    g.set_param(pool, "input_shape", detail::ints({double(chw.at(1)), double(chw.at(2))}));
}

inline void expand_pool_pairs(Graph& g, const std::string& pool) {
    for (const char* name : {"kernel_size", "stride", "padding"}) {
        if (!g.param_view(pool, name))
            continue;
        const Tensor t = g.param(pool, name);
        if (t.size() == 1)
            g.set_param(pool, name, detail::ints({t.values[0], t.values[0]}));
    }
}

} // namespace nirb::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
