// Execution order and flattening on nirb::Graph; the integer algorithms live in
// index_graph.cpp, name resolution in flat_view.cpp.
#include "nirb/algorithms.hpp"

#include "flat_view.hpp"
#include "index_graph.hpp"
#include "level_index.hpp"

#include "nirb/error.hpp"

namespace nirb {

ExecutionOrder execution_order(const Graph& g) {
    const detail::LevelIndex ix = detail::index_level(g);
    detail::IxOrder order =
        detail::ix_execution_order(detail::IxAdjacency(g.size(), ix.edges), ix.edges, ix.inputs);
    ExecutionOrder out;
    out.nodes.assign(order.nodes.begin(), order.nodes.end());
    out.back_edges.reserve(order.back_edges.size());
    for (std::size_t id : order.back_edges)
        out.back_edges.push_back(ix.edge_ids[id]);
    return out;
}

namespace {

/// Flat edges with subgraph Input/Output nodes bypassed: an edge into a dropped node is
/// continued through dropped nodes to every kept node they reach.
std::vector<detail::IxEdge> bypass_dropped(const detail::FlatView& v,
                                           const std::vector<bool>& dropped) {
    std::vector<std::vector<std::uint32_t>> succ(v.nodes.size());
    for (const auto& e : v.edges)
        if (dropped[e.src])
            succ[e.src].push_back(e.dst);
    std::vector<detail::IxEdge> out;
    for (const auto& e : v.edges) {
        if (dropped[e.src])
            continue;
        if (!dropped[e.dst]) {
            out.push_back(e);
            continue;
        }
        std::vector<bool> seen(v.nodes.size(), false);
        std::vector<std::uint32_t> stack{e.dst};
        seen[e.dst] = true;
        while (!stack.empty()) {
            std::uint32_t d = stack.back();
            stack.pop_back();
            for (std::uint32_t w : succ[d]) {
                if (seen[w])
                    continue;
                seen[w] = true;
                if (dropped[w])
                    stack.push_back(w);
                else
                    out.push_back({e.src, w});
            }
        }
    }
    return out;
}

} // namespace

Graph flatten_subgraphs(const Graph& g, const FlattenOptions& options) {
    const detail::FlatView v = detail::build_flat_view(g);
    std::vector<bool> dropped(v.nodes.size(), false);
    if (options.drop_io)
        for (std::size_t i = 0; i < v.nodes.size(); ++i) {
            const std::string& t = v.nodes[i].node->type();
            dropped[i] = v.nodes[i].level != 0 && (t == "Input" || t == "Output");
        }
    Graph flat;
    flat.metadata() = g.metadata();
    for (std::size_t i = 0; i < v.nodes.size(); ++i) {
        if (dropped[i])
            continue;
        if (flat.contains(v.nodes[i].path))
            throw Error("cannot flatten: the flattened name '" + v.nodes[i].path +
                        "' is used by two nodes (a literal dotted name next to a subgraph)");
        flat.add_node(v.nodes[i].path, *v.nodes[i].node);
    }
    const auto edges = options.drop_io ? bypass_dropped(v, dropped) : v.edges;
    flat.edges().reserve(edges.size());
    for (const auto& e : edges)
        flat.add_edge(v.nodes[e.src].path, v.nodes[e.dst].path);
    return flat;
}

} // namespace nirb
