#pragma once
// One graph level as an integer graph: edges between literal node names only (dangling and
// dotted names skipped), with a map back to the original edge index.
#include "index_graph.hpp"
#include "name_index.hpp"

#include "nirb/graph.hpp"

namespace nirb::detail {

/// Integer form of one graph level.
struct LevelIndex {
    std::vector<IxEdge> edges;
    std::vector<std::size_t> edge_ids; ///< per IxEdge: index in graph.edges()
    std::vector<std::uint32_t> inputs; ///< Input nodes in insertion order
};

/// Resolve a level's edges by literal name.
inline LevelIndex index_level(const Graph& g) {
    LevelIndex ix;
    ix.edges.reserve(g.edges().size());
    ix.edge_ids.reserve(g.edges().size());
    std::vector<std::uint32_t> src, dst;
    NameIndex(g).resolve_edges(src, dst);
    for (std::size_t i = 0; i < g.edges().size(); ++i) {
        if (src[i] == kNoNode || dst[i] == kNoNode)
            continue;
        ix.edges.push_back({src[i], dst[i]});
        ix.edge_ids.push_back(i);
    }
    for (std::uint32_t i = 0; i < g.size(); ++i)
        if (g.nodes()[i].node.type() == "Input")
            ix.inputs.push_back(i);
    return ix;
}

} // namespace nirb::detail
