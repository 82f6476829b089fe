#pragma once
// Integer graphs (nodes 0..n-1, edges as index pairs) and the Boost.Graph algorithms over
// them. Every public algorithm resolves names once into this form, so one implementation
// serves graph levels, flattened views and the benchmark's million-node graphs. The
// adjacency is built once per edge list and shared by every algorithm run on it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace nirb::detail {

/// One edge of an integer graph; its id is its position in the edge vector.
struct IxEdge {
    std::uint32_t src;
    std::uint32_t dst;
};

/// Out-edges of every node in edge order: a Boost.Graph compressed sparse row graph for the
/// Boost algorithms, plus the same rows as plain arrays for the simple loops.
class IxAdjacency {
public:
    IxAdjacency(std::size_t n, const std::vector<IxEdge>& edges);
    IxAdjacency(IxAdjacency&&) noexcept;
    IxAdjacency& operator=(IxAdjacency&&) noexcept;
    ~IxAdjacency();

    std::size_t node_count() const { return m_start.size() - 1; }
    std::size_t edge_count() const { return m_ids.size(); }
    /// Ids of v's out-edges, in edge order.
    std::span<const std::uint32_t> out_edge_ids(std::uint32_t v) const {
        return {m_ids.data() + m_start[v], m_start[v + 1] - m_start[v]};
    }
    /// Targets of v's out-edges, in the same order.
    std::span<const std::uint32_t> successors(std::uint32_t v) const {
        return {m_targets.data() + m_start[v], m_start[v + 1] - m_start[v]};
    }

    struct Boost; ///< the Boost.Graph form (index_graph.cpp)
    const Boost& boost() const { return *m_boost; }

private:
    std::vector<std::size_t> m_start;     ///< row start per node, n + 1 entries
    std::vector<std::uint32_t> m_ids;     ///< edge ids grouped by source
    std::vector<std::uint32_t> m_targets; ///< their targets
    std::unique_ptr<Boost> m_boost;
};

/// Execution order of an integer graph (see nirb::execution_order for the rules).
struct IxOrder {
    std::vector<std::uint32_t> nodes;
    std::vector<std::size_t> back_edges; ///< edge ids, ascending
    std::vector<bool> is_back;           ///< per edge id
};

/// DFS roots first in `start` order, then the remaining nodes ascending; Kahn on the rest.
IxOrder ix_execution_order(const IxAdjacency& g, const std::vector<IxEdge>& edges,
                           const std::vector<std::uint32_t>& start);

/// Strongly connected component id of every node (Tarjan, Boost.Graph). Ids are renumbered
/// so that components are numbered by their smallest node, ascending.
std::vector<std::uint32_t> ix_components(const IxAdjacency& g);

/// The members of each component (ascending), indexed by component id.
std::vector<std::vector<std::uint32_t>>
ix_component_members(const std::vector<std::uint32_t>& comp);

/// Only the components that contain a cycle (more than one node, or a self loop), in id order.
std::vector<std::vector<std::uint32_t>> ix_cyclic_components(const std::vector<std::uint32_t>& comp,
                                                             const std::vector<IxEdge>& edges);

/// Nodes reachable from `roots` along edges (roots included).
std::vector<bool> ix_reachable(const IxAdjacency& g, const std::vector<std::uint32_t>& roots);

} // namespace nirb::detail
