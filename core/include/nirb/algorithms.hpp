#pragma once
/// \file algorithms.hpp
/// Graph algorithms over one graph level or a flattened graph: execution order with the
/// back edges of every cycle, strongly connected components, subgraph flattening and the
/// reverse grouping, reachability and pruning, delay insertion. See docs/algorithms.md.

#include "nirb/graph.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace nirb {

/// Deterministic execution order of one graph level (no recursion into subgraphs).
struct ExecutionOrder {
    std::vector<std::size_t> nodes; ///< indices into graph.nodes(); every node exactly once
    std::vector<std::size_t>
        back_edges; ///< indices into graph.edges() that close a cycle (incl. self loops)
};

/// Topological order of the graph with back edges removed.
///
/// Back edges are found by a depth-first search that starts from the Input nodes in insertion
/// order, then from every not yet visited node in insertion order, following out-edges in edge
/// order; an edge into a node that is still on the DFS stack is a back edge (self loops
/// included, and every copy of a duplicated back edge). The order itself is Kahn's algorithm on
/// the remaining edges with a FIFO queue seeded in the same start order (Inputs first), so a
/// feed-forward chain comes out in its natural order. Same graph, same result.
/// Edges naming nodes not in this graph (dangling or dotted `G.X`) are ignored here.
ExecutionOrder execution_order(const Graph& g);

/// How flatten_subgraphs treats the Input/Output nodes of nested graphs.
struct FlattenOptions {
    /// Remove the Input/Output nodes of nested graphs, connecting their predecessors directly
    /// to their successors. The root graph's own Input/Output nodes are always kept.
    bool drop_io = false;
};

/// Subgraph flattening, recursively: every nested NIRGraph node `G` is replaced, at its
/// position in node order, by its children named `"G.<child>"` (deeper levels `"G.H.<child>"`).
///
/// * An edge into `G` connects to every Input node of `G` (normally one); when `G` has no Input
///   node, to every child of `G` that has no incoming edge inside `G`.
/// * An edge out of `G` leaves from every Output node of `G`; when `G` has no Output node, from
///   every child that has no outgoing edge inside `G`.
/// * An edge naming `G.X` resolves to the literal node `G.X` when one exists in that graph,
///   otherwise to child `X` of subgraph `G` (nir-format.md §5.4); `X` may itself be dotted.
/// * Subgraph Input/Output nodes are kept as identity nodes (`"G.input"`) unless `drop_io`.
/// * Edges naming no node are dropped (validate() reports them).
/// Edge order: the root's edges in order, then each subgraph's edges (preorder); with `drop_io`
/// a bypass edge `a -> b` takes the place of the edge from `a` into the dropped node. The metadata
/// of nested graph nodes is not kept. Throws nirb::Error when a flattened name collides with an
/// existing node name (a literal `G.X` next to a subgraph `G` with child `X`).
Graph flatten_subgraphs(const Graph& g, const FlattenOptions& options = {});

} // namespace nirb
