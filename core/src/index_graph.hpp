#pragma once
// Integer graphs (nodes 0..n-1, edges as index pairs) and the Boost.Graph algorithms over
// them. Every public algorithm resolves names once into this form, so one implementation
// serves graph levels, flattened views and the benchmark's million-node graphs.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nirb::detail {

/// One edge of an integer graph; its id is its position in the edge vector.
struct IxEdge {
    std::uint32_t src;
    std::uint32_t dst;
};

/// Execution order of an integer graph (see nirb::execution_order for the rules).
struct IxOrder {
    std::vector<std::uint32_t> nodes;
    std::vector<std::size_t> back_edges; ///< edge ids, ascending
    std::vector<bool> is_back;           ///< per edge id
};

/// DFS roots first in `start` order, then the remaining nodes ascending; Kahn on the rest.
IxOrder ix_execution_order(std::size_t n, const std::vector<IxEdge>& edges,
                           const std::vector<std::uint32_t>& start);

/// Strongly connected component id of every node (Tarjan, Boost.Graph). Ids are renumbered
/// so that components are numbered by their smallest node, ascending.
std::vector<std::uint32_t> ix_components(std::size_t n, const std::vector<IxEdge>& edges);

/// Nodes reachable from `roots` along edges (roots included).
std::vector<bool> ix_reachable(std::size_t n, const std::vector<IxEdge>& edges,
                               const std::vector<std::uint32_t>& roots);

} // namespace nirb::detail
