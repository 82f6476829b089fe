// The per-core layer settings sinabs 3.1.3 computes for the chip
// (chips/dynapcnn.py, DynapcnnConfigBuilder.get_dynapcnn_layer_config_dict), as JSON in the
// weight node's metadata `speck.config`: dimensions (input/output shape, padding, stride,
// kernel size), weights transposed to samna's (f, c, x, y), biases, leak_enable,
// return_to_zero, threshold_high/low, monitor_enable, neurons_initial_value (zeros, (f, x, y))
// and the destinations (core, pooling). A Linear after Flatten of (C, H, W) is the C-channel
// H x W convolution sinabs makes of it.
#include "layers.hpp"

#include <string>

namespace speck {
namespace {

std::string num(double v) {
    return nirb::sdk::short_number(v);
}

std::string zeros(std::int64_t n) {
    std::string out = "[";
    for (std::int64_t i = 0; i < n; ++i)
        out += i ? ",0" : "0";
    return out + "]";
}

/// Input (C, H, W), kernel, stride, padding of a layer's weights seen as a convolution.
struct Geometry {
    std::int64_t c = 1, h = 1, w = 1, k = 1, stride_y = 1, stride_x = 1, pad_y = 0, pad_x = 0;
};

Geometry geometry(const Graph& g, const std::string& node) {
    Geometry s;
    const Tensor w = g.param(node, "weight");
    if (g.type(node) == "Conv2d") {
        if (auto in = g.inferred_shape(node, false); in && in->size() == 3) {
            s.c = (*in)[0];
            s.h = (*in)[1];
            s.w = (*in)[2];
        }
        s.k = w.shape.at(2);
        auto pair = [&](const char* f, std::int64_t& y, std::int64_t& x) {
            if (!g.has_param(node, f))
                return;
            const auto v = g.param(node, f).values;
            y = static_cast<std::int64_t>(v.at(0));
            x = static_cast<std::int64_t>(v.size() > 1 ? v[1] : v[0]);
        };
        pair("stride", s.stride_y, s.stride_x);
        pair("padding", s.pad_y, s.pad_x);
        return s;
    }
    s.c = w.shape.at(1);
    const auto pred = nirb::sdk::predecessors(g, node);
    if (pred.size() == 1 && g.type(pred.front()) == "Flatten")
        if (auto in = g.inferred_shape(pred.front(), false); in && in->size() == 3) {
            s.c = (*in)[0];
            s.h = (*in)[1];
            s.w = (*in)[2];
            s.k = s.h;
        }
    return s;
}

/// Layers fed by this one (through pooling and Flatten), with the pooling on the way.
std::string destinations(const Graph& g, const Layer& l, const std::vector<Layer>& layers,
                         const std::vector<int>& cores) {
    std::int64_t pooling = 1;
    for (const auto& p : l.pools)
        pooling *= static_cast<std::int64_t>(g.param(p, "kernel_size").values.at(0));
    std::string out = "[";
    std::vector<std::string> frontier = {l.pools.empty() ? l.neuron : l.pools.back()};
    while (!frontier.empty()) {
        const std::string at = frontier.back();
        frontier.pop_back();
        for (const auto& s : nirb::sdk::successors(g, at)) {
            if (g.type(s) == "Flatten") {
                frontier.push_back(s);
                continue;
            }
            for (std::size_t i = 0; i < layers.size(); ++i)
                if (layers[i].weight == s)
                    out += std::string(out.size() > 1 ? "," : "") +
                           "{\"layer\":" + std::to_string(cores[i]) +
                           ",\"enable\":true,\"pooling\":" + std::to_string(pooling) + "}";
        }
    }
    return out + "]";
}

} // namespace

std::string layer_config(const Graph& g, const Layer& l, const std::vector<Layer>& layers,
                         const std::vector<int>& cores) {
    const Geometry s = geometry(g, l.weight);
    const Tensor w = g.param(l.weight, "weight");
    const std::int64_t f = w.shape.at(0);
    std::int64_t oh = 1, ow = 1;
    if (g.type(l.weight) == "Conv2d")
        if (auto out = g.inferred_shape(l.weight); out && out->size() == 3) {
            oh = (*out)[1];
            ow = (*out)[2];
        }
    const std::int64_t kh = g.type(l.weight) == "Conv2d" ? w.shape.at(2) : s.h;
    const std::int64_t kw = g.type(l.weight) == "Conv2d" ? w.shape.at(3) : s.w;
    std::string weights = "[";
    for (std::int64_t o = 0; o < f; ++o) {
        weights += o ? ",[" : "[";
        for (std::int64_t c = 0; c < s.c; ++c) {
            weights += c ? ",[" : "[";
            for (std::int64_t x = 0; x < kw; ++x) {
                weights += x ? ",[" : "[";
                for (std::int64_t y = 0; y < kh; ++y)
                    weights += (y ? "," : "") + num(w.values[((o * s.c + c) * kh + y) * kw + x]);
                weights += "]";
            }
            weights += "]";
        }
        weights += "]";
    }
    weights += "]";
    std::string biases = "[";
    bool leak = false;
    const std::vector<double> b =
        g.has_param(l.weight, "bias") ? g.param(l.weight, "bias").values : std::vector<double>(f);
    for (std::size_t i = 0; i < b.size(); ++i) {
        biases += (i ? "," : "") + num(b[i]);
        leak = leak || b[i] != 0;
    }
    biases += "]";
    const double th = g.param(l.neuron, "v_threshold").values.at(0);
    std::string state = "[";
    for (std::int64_t o = 0; o < f; ++o) {
        state += o ? ",[" : "[";
        for (std::int64_t x = 0; x < ow; ++x)
            state += (x ? "," : "") + zeros(oh);
        state += "]";
    }
    state += "]";
    return "{\"dimensions\":{\"input_shape\":{\"size\":{\"x\":" + std::to_string(s.w) +
           ",\"y\":" + std::to_string(s.h) + "},\"feature_count\":" + std::to_string(s.c) +
           "},\"output_shape\":{\"size\":{\"x\":" + std::to_string(ow) +
           ",\"y\":" + std::to_string(oh) + "},\"feature_count\":" + std::to_string(f) +
           "},\"padding\":{\"x\":" + std::to_string(s.pad_x) + ",\"y\":" + std::to_string(s.pad_y) +
           "},\"stride\":{\"x\":" + std::to_string(s.stride_x) +
           ",\"y\":" + std::to_string(s.stride_y) + "},\"kernel_size\":" + std::to_string(s.k) +
           "},\"weights\":" + weights + ",\"biases\":" + biases +
           ",\"leak_enable\":" + (leak ? "true" : "false") +
           ",\"return_to_zero\":false,\"threshold_high\":" + num(th) +
           ",\"threshold_low\":" + num(-th) +
           ",\"monitor_enable\":false,\"neurons_initial_value\":" + state +
           ",\"destinations\":" + destinations(g, l, layers, cores) + "}";
}

} // namespace speck
