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

/// Strongly connected components of one graph level (Tarjan via Boost.Graph), each a list of
/// node indices ascending; components ordered by their smallest node. Every node is in
/// exactly one component. Dangling and dotted edges are ignored.
std::vector<std::vector<std::size_t>> strongly_connected_components(const Graph& g);

/// The components that contain a cycle: more than one node, or one node with a self loop.
std::vector<std::vector<std::size_t>> cycles(const Graph& g);

/// Per node of one level: reachable from an Input node along edges. When the level has no
/// Input node, from the nodes without incoming edges (what the reference would feed).
std::vector<bool> reachable_from_inputs(const Graph& g);

/// A copy of `g` without the nodes reachable_from_inputs() marks unreachable (and their
/// edges). Nested graphs are pruned too. The names removed (dotted paths) go to `removed`.
Graph prune_unreachable(const Graph& g, std::vector<std::string>* removed = nullptr);

/// How insert_cycle_delays makes the one-step delay of every cycle explicit.
enum class DelayMode {
    MarkBackEdges,    ///< graph unchanged; the back edges are listed as delayed by one step
    InsertDelayNodes, ///< each back edge u -> v becomes u -> D -> v with a Delay node D
};

/// Options for insert_cycle_delays.
struct DelayOptions {
    DelayMode mode = DelayMode::MarkBackEdges;
    /// Time step in seconds: an inserted Delay holds `dt` per element (one step). NIR does
    /// not store dt; 1e-4 s is the NIR paper's convention.
    double dt = 1e-4;
};

/// Result of insert_cycle_delays.
struct DelayInsertion {
    Graph graph;                          ///< the graph (with Delay nodes in that mode)
    std::vector<std::size_t> back_edges;  ///< indices into the input graph's edges
    std::vector<std::string> delay_nodes; ///< names of inserted Delay nodes, per back edge
};

/// Make the one-step delay of every cycle of one level explicit (nir-format.md §5.2).
/// In InsertDelayNodes mode a Delay node `delay_<src>_<dst>` (suffix `_<k>` if taken) shaped
/// like the source's inferred output replaces each back edge; the Delay is then the step of
/// latency, so a simulator must not delay the new edges again. Throws nirb::Error when a
/// back edge's source type cannot be inferred.
DelayInsertion insert_cycle_delays(const Graph& g, const DelayOptions& options = {});

/// The reverse of flatten_subgraphs: nodes named `G.<rest>` (when no node is literally named
/// `G`) become children `<rest>` of a new NIRGraph node `G`, placed where its first member
/// was, recursively. Edges inside a group move into it; an edge entering a group at its only
/// Input node becomes an edge to `G` (leaving from its only Output node: from `G`); other
/// crossing edges use the dotted path `G.X`. flatten_subgraphs(group_subgraphs(f)) == f for a
/// graph f flattened with Input/Output nodes kept, up to edge order.
Graph group_subgraphs(const Graph& flat);

} // namespace nirb
