#pragma once
// Helpers shared by the simulator unit tests: small graphs and profiles built in code.
#include "nirb/graph.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/sim/simulator.hpp"

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace simtest {

using nirb::Node;
using nirb::Shape;
using nirb::Tensor;

inline Tensor f64(std::vector<double> v, Shape s) {
    return Tensor::from_doubles(v, std::move(s), nirb::DType::Float64);
}
inline Tensor full(double value, std::int64_t n) {
    return f64(std::vector<double>(static_cast<std::size_t>(n), value), {n});
}
inline Tensor ints(std::vector<std::int64_t> v) {
    return Tensor::from_ints(v);
}
inline Tensor int0(std::int64_t v) {
    return Tensor::scalar(static_cast<double>(v), nirb::DType::Int64);
}

inline Node io(const char* type, Shape s) {
    Node n(type);
    n.set_field("shape", ints(s));
    return n;
}

/// A node with the given fields.
inline Node node(const char* type, std::vector<std::pair<std::string, nirb::Value>> fields) {
    Node n(type);
    for (auto& [k, v] : fields)
        n.set_field(k, std::move(v));
    return n;
}

/// in -> x -> out with the input shape `in_shape` and the output shape `out_shape`.
inline nirb::Graph chain(Shape in_shape, Node x, Shape out_shape) {
    nirb::Graph g;
    g.add_node("in", io("Input", in_shape));
    g.add_node("x", std::move(x));
    g.add_node("out", io("Output", out_shape));
    g.add_edge("in", "x");
    g.add_edge("x", "out");
    return g;
}

/// Canonical Euler in float64, dt = 1e-4, with a modifier applied.
template <typename F>
nirb::sim::Profile profile_with(F&& modify) {
    nirb::sim::Profile p;
    p.arithmetic.kind = nirb::sim::NumberKind::Float64;
    modify(p);
    return p;
}

/// Run `steps` steps feeding `input` (steps x batch x n) and return the Output node's values
/// (steps x batch x m) and optionally a state.
inline std::vector<float> run(nirb::sim::Simulator& sim, const std::vector<float>& input,
                              std::int64_t steps, const std::string& node = "out",
                              const std::string& state = "") {
    const auto m = nirb::shape_element_count(sim.output_shape(node)) * sim.batch();
    std::vector<float> rec(static_cast<std::size_t>(m * steps));
    nirb::sim::RunBuffers b;
    b.inputs = {input.data()};
    b.record = {{node, state}};
    b.records = {rec.data()};
    sim.run(steps, b);
    return rec;
}

inline std::vector<double> random_values(std::size_t n, unsigned seed, double sparsity = 0.0) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::uniform_real_distribution<double> keep(0.0, 1.0);
    std::vector<double> v(n);
    for (auto& x : v)
        x = keep(gen) < sparsity ? 0.0 : u(gen);
    return v;
}

} // namespace simtest
