#pragma once
// A flattened, read-only view of a nested graph: every leaf node (non-NIRGraph) once, in
// preorder, with its dotted path, and every edge resolved to leaf indices. Flattening,
// inference and validation all work on this view, so the §5.4 name resolution rules live
// in one place. The view points into the graph; the graph must outlive it.
#include "index_graph.hpp"

#include "nirb/graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::detail {

/// Whether a flat node is an Input or Output node (checked per node and per edge, so it is
/// decided once instead of comparing type strings each time).
enum class IoRole : std::uint8_t { None, Input, Output };

/// One leaf node of the flattened graph.
struct FlatNode {
    std::string path;    ///< dotted path from the root ("G.lif")
    const Node* node;    ///< never a NIRGraph
    std::uint32_t level; ///< the graph level holding it
    IoRole role;
};

/// One graph level: the root (index 0) or a nested NIRGraph node.
struct FlatLevel {
    std::string path; ///< "" for the root, else the NIRGraph node's path
    const Graph* graph = nullptr;
    const Node* node = nullptr;         ///< the NIRGraph node; nullptr for the root
    std::uint32_t parent = 0;           ///< parent level (0 for the root itself)
    std::vector<std::uint32_t> slot;    ///< per child: flat node index or level index
    std::vector<bool> child_is_level;   ///< per child: true when slot names a level
    std::vector<std::uint32_t> inputs;  ///< flat indices of this level's Input nodes (nested
                                        ///< levels: their entries)
    std::vector<std::uint32_t> outputs; ///< same for Output nodes
    std::vector<std::uint32_t> entries; ///< where an edge into this graph lands
    std::vector<std::uint32_t> exits;   ///< where an edge out of this graph leaves
    std::uint32_t first_edge = 0;       ///< origin number of this graph's edge 0
    bool has_subgraphs = false;         ///< some child is a NIRGraph (dotted names may resolve)
};

/// How one end of an original edge was resolved.
enum class EndStatus : std::uint8_t {
    Literal,   ///< a node with exactly this name
    Path,      ///< a dotted path into a subgraph (§5.4)
    Ambiguous, ///< literal name used, but the dotted path also exists
    Missing,   ///< names no node
};

/// Resolution of one original edge (level, index in that graph's edge list) whose ends are
/// not both plain names of single nodes.
struct EdgeResolution {
    std::uint32_t level;
    std::size_t edge;
    EndStatus src;
    EndStatus dst;
    std::uint32_t src_count; ///< flat endpoints the source expanded to
    std::uint32_t dst_count;
};

/// An original edge: its graph level and its index in that graph's edges().
struct EdgeRef {
    std::uint32_t level;
    std::size_t edge;
};

/// The flattened view.
struct FlatView {
    std::vector<FlatNode> nodes;
    std::vector<FlatLevel> levels;
    std::vector<IxEdge> edges; ///< between flat node indices
    /// Per flat edge: its original edge's origin number (levels in preorder, each level's
    /// edges in order; see origin_edge).
    std::vector<std::uint32_t> edge_origin;
    /// Only the original edges that are not literal-name-to-literal-name between single nodes
    /// (paths, ambiguous or missing names, subgraphs with several ports), in origin order.
    /// Big flat graphs have none, so the common case costs no memory here.
    std::vector<EdgeResolution> special_resolutions;

    /// The original edge behind an origin number.
    EdgeRef origin_edge(std::uint32_t origin) const;
};

/// Build the view of `root` and everything nested in it.
FlatView build_flat_view(const Graph& root);

/// Input nodes first (flat order), as DFS roots for ix_execution_order.
std::vector<std::uint32_t> flat_input_nodes(const FlatView& view);

} // namespace nirb::detail
