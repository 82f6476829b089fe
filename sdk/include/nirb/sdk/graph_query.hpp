#pragma once
/// \file sdk/graph_query.hpp
/// Read-side helpers for framework plugins: neighbour queries, neuron populations and their
/// per-neuron parameters as doubles, and number comparisons. Header-only, C++17, public SDK
/// only; include nirb/sdk/framework.hpp (which includes this) after nirb/plugin.hpp.

#include "nirb/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace nirb::sdk {

/// Sources of the edges into `node`, in edge order (duplicates kept once).
inline std::vector<std::string> predecessors(const Graph& g, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& e : g.edges())
        if (e.dst == node && std::find(out.begin(), out.end(), e.src) == out.end())
            out.push_back(e.src);
    return out;
}

/// Targets of the edges out of `node`, in edge order (duplicates kept once).
inline std::vector<std::string> successors(const Graph& g, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& e : g.edges())
        if (e.src == node && std::find(out.begin(), out.end(), e.dst) == out.end())
            out.push_back(e.dst);
    return out;
}

/// True for the spiking or leaky neuron primitives (LIF, CubaLIF, IF, LI, CubaLI, I).
inline bool is_neuron(const std::string& type) {
    for (const char* t : {"LIF", "CubaLIF", "IF", "LI", "CubaLI", "I"})
        if (type == t)
            return true;
    return false;
}

/// True for Affine, Linear and Conv2d.
inline bool is_weight(const std::string& type) {
    return type == "Affine" || type == "Linear" || type == "Conv2d";
}

namespace detail {
/// The first population parameter a neuron node has (its shape is the population's).
inline std::string population_param(const Graph& g, const std::string& node) {
    for (const char* name : {"v_threshold", "tau", "tau_mem", "r"})
        if (g.has_param(node, name))
            return name;
    throw invalid_input("node '" + node + "' has no population parameter");
}
} // namespace detail

/// Shape of a neuron node's population (shape of its threshold or tau).
inline std::vector<std::int64_t> neuron_shape(const Graph& g, const std::string& node) {
    return g.param(node, detail::population_param(g, node)).shape;
}

/// Number of neurons of a neuron node (element count of its threshold or tau).
inline std::int64_t neuron_count(const Graph& g, const std::string& node) {
    return g.param(node, detail::population_param(g, node)).size();
}

/// Parameter `name` of `node` as `n` doubles (a scalar or size-1 tensor is broadcast);
/// `fallback` when absent. Throws when the size is neither 1 nor n.
inline std::vector<double> values(const Graph& g, const std::string& node, const std::string& name,
                                  std::int64_t n, double fallback) {
    if (!g.has_param(node, name))
        return std::vector<double>(static_cast<std::size_t>(n), fallback);
    const Tensor t = g.param(node, name);
    if (t.size() == n)
        return t.values;
    if (t.size() == 1)
        return std::vector<double>(static_cast<std::size_t>(n), t.values.at(0));
    throw invalid_input("node '" + node + "': parameter '" + name + "' has " +
                        std::to_string(t.size()) + " elements, the population has " +
                        std::to_string(n));
}

/// Set parameter `name` to `v` with `shape`, stored as float32 (what the importers expect).
inline void set_values(Graph& g, const std::string& node, const std::string& name,
                       const std::vector<double>& v, const std::vector<std::int64_t>& shape) {
    g.set_param(node, name, Tensor::of(v, shape, NIRB_DTYPE_FLOAT32));
}

/// (C, H, W) shape of the tensor entering `node`: the host's inferred type, else the shape of
/// a single neuron predecessor; nullopt when unknown or not 3-d.
inline std::optional<std::vector<std::int64_t>> input_chw(const Graph& g, const std::string& node) {
    if (auto shape = g.inferred_shape(node, false); shape && shape->size() == 3)
        return shape;
    const auto prev = predecessors(g, node);
    if (prev.size() == 1 && is_neuron(g.type(prev[0])) && neuron_shape(g, prev[0]).size() == 3)
        return neuron_shape(g, prev[0]);
    return std::nullopt;
}

/// `v` with 3 significant digits, for messages and evidence.
inline std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

/// True when every element of `v` equals `x` within a relative tolerance.
inline bool all_close(const std::vector<double>& v, double x, double rtol = 1e-6) {
    return std::all_of(v.begin(), v.end(), [&](double e) {
        return std::fabs(e - x) <= rtol * std::max(std::fabs(e), std::fabs(x));
    });
}

/// True when all elements of `v` are equal within a relative tolerance.
inline bool uniform(const std::vector<double>& v, double rtol = 1e-6) {
    return v.empty() || all_close(v, v.front(), rtol);
}

/// True when a LIF/CubaLIF/IF node stores its threshold as float64 and its time constant (LIF
/// tau, CubaLIF tau_mem) as one value for the whole layer: the np.full(shape, float) layout
/// numpy exporters write (np.full), which torch-tensor exporters (float32) do not.
inline bool one_float64_value_per_layer(const Graph& g, const std::string& node) {
    const auto type = g.type(node);
    if ((type != "LIF" && type != "CubaLIF") || !g.param_view(node, "v_threshold") ||
        g.param(node, "v_threshold").dtype != NIRB_DTYPE_FLOAT64)
        return false;
    return uniform(values(g, node, type == "CubaLIF" ? "tau_mem" : "tau", neuron_count(g, node), 0),
                   0);
}

} // namespace nirb::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
