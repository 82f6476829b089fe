#pragma once
// The benchmark graph, defined so that bench/algo/peer_nir.py builds the identical graph:
// node 0 is an Input [4], node n-1 an Output; node i in between is Linear 4x4 (i % 3 == 0),
// Scale [4] (i % 3 == 1) or Threshold [4] (i % 3 == 2), named "n<i>". Every node except the
// Output has 4 out-edges: to i+1 and i+2 (forward), to i-5 (backward: cycles) and to
// (i * 7919) % n (long range); targets are clamped to [1, n-1] and duplicates kept out.
#include "nirb/graph.hpp"

#include <fmt/format.h>

#include <set>
#include <string>

namespace bench {

inline std::int64_t target(std::int64_t i, int k, std::int64_t n) {
    std::int64_t t = k == 0 ? i + 1 : k == 1 ? i + 2 : k == 2 ? i - 5 : (i * 7919) % n;
    return t < 1 ? 1 : t > n - 1 ? n - 1 : t;
}

inline nirb::Node make_node(std::int64_t i, std::int64_t n) {
    using nirb::DType;
    using nirb::Tensor;
    if (i == 0) {
        nirb::Node in("Input");
        in.set_field("shape", Tensor::from_ints({4}));
        return in;
    }
    if (i == n - 1)
        return nirb::Node("Output");
    static const char* types[] = {"Linear", "Scale", "Threshold"};
    static const char* fields[] = {"weight", "scale", "threshold"};
    nirb::Node x(types[i % 3]);
    x.set_field(fields[i % 3],
                Tensor(DType::Float32, i % 3 == 0 ? nirb::Shape{4, 4} : nirb::Shape{4}));
    return x;
}

/// "n<i>" (fmt: `"n" + std::to_string(i)` trips a gcc 12 -Wrestrict false positive).
inline std::string node_name(std::int64_t i) {
    return fmt::format("n{}", i);
}

inline nirb::Graph generate(std::int64_t n) {
    nirb::Graph g;
    for (std::int64_t i = 0; i < n; ++i)
        g.add_node(node_name(i), make_node(i, n));
    g.edges().reserve(static_cast<std::size_t>(4 * n));
    for (std::int64_t i = 0; i + 1 < n; ++i) {
        std::set<std::int64_t> seen;
        for (int k = 0; k < 4; ++k) {
            std::int64_t t = target(i, k, n);
            if (seen.insert(t).second)
                g.add_edge(node_name(i), node_name(t));
        }
    }
    return g;
}

} // namespace bench
