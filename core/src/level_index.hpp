#pragma once
// One graph level as an integer graph: edges between literal node names only (dangling and
// dotted names skipped), with a map back to the original edge index.
#include "index_graph.hpp"

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
    for (std::size_t i = 0; i < g.edges().size(); ++i) {
        long s = g.index_of(g.edges()[i].src), d = g.index_of(g.edges()[i].dst);
        if (s < 0 || d < 0)
            continue;
        ix.edges.push_back({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(d)});
        ix.edge_ids.push_back(i);
    }
    for (std::uint32_t i = 0; i < g.size(); ++i)
        if (g.nodes()[i].node.type() == "Input")
            ix.inputs.push_back(i);
    return ix;
}

} // namespace nirb::detail
