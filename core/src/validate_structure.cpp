// Structural checks (NIRB-x2xx): what the edges name and how the graph is wired.
#include "validation.hpp"

#include "nirb/options.hpp"
#include "nirb/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace nirb::detail {
namespace {

/// The one node name of `g` closest to `missing` (edit distance <= 2), or "".
std::string did_you_mean(const Graph& g, const std::string& missing) {
    std::string best;
    std::size_t best_d = 3;
    bool tie = false;
    for (const NamedNode& n : g.nodes()) {
        std::size_t d = edit_distance(n.name, missing);
        if (d < best_d) {
            best = n.name, best_d = d, tie = false;
        } else if (d == best_d) {
            tie = true;
        }
    }
    return tie ? std::string() : best;
}

std::string in_graph(const FlatLevel& L) {
    return L.path.empty() ? std::string() : fmt::format(" in graph '{}'", L.path);
}

void check_missing(const Checker& c, const FlatLevel& L, const Edge& e, bool src) {
    const std::string& name = src ? e.src : e.dst;
    Diagnostic& d = c.diags.error(
        "NIRB-E201",
        fmt::format("edge '{}' -> '{}'{}: no node named '{}'", e.src, e.dst, in_graph(L), name),
        L.path);
    d.notes.push_back(fmt::format("nir 1.0.7 fails here with a raw KeyError: '{}'", name));
    std::string near = did_you_mean(*L.graph, name);
    d.fix = near.empty() ? "remove the edge or add the missing node"
                         : fmt::format("did you mean '{}'?", near);
}

void check_endpoint(const Checker& c, const FlatLevel& L, const Edge& e, bool src, EndStatus status,
                    std::uint32_t count) {
    const std::string& name = src ? e.src : e.dst;
    if (status == EndStatus::Missing)
        return check_missing(c, L, e, src);
    if (status == EndStatus::Ambiguous)
        c.diags
            .warning("NIRB-W205",
                     fmt::format("edge '{}' -> '{}'{}: '{}' is both a node name and a path "
                                 "into a subgraph; the node of that name is used",
                                 e.src, e.dst, in_graph(L), name),
                     L.path)
            .fix = "rename the node or the subgraph so that the name is unambiguous";
    if (status == EndStatus::Path)
        c.diags.note("NIRB-N206",
                     fmt::format("edge '{}' -> '{}'{}: '{}' resolved as a path into a subgraph "
                                 "(nir 1.0.7 cannot type-check such edges)",
                                 e.src, e.dst, in_graph(L), name),
                     L.path);
    if (count > 1)
        c.diags
            .warning("NIRB-W207",
                     fmt::format("edge '{}' -> '{}'{}: subgraph '{}' has {} {} nodes; the "
                                 "edge connects to all of them",
                                 e.src, e.dst, in_graph(L), name, count, src ? "Output" : "Input"),
                     L.path)
            .fix = fmt::format("address one port with a dotted name, e.g. '{}.<{}>'", name,
                               src ? "output" : "input");
    if (count == 0)
        c.diags.warning("NIRB-W208",
                        fmt::format("edge '{}' -> '{}'{}: subgraph '{}' has no node to {} the "
                                    "edge",
                                    e.src, e.dst, in_graph(L), name, src ? "emit" : "receive"),
                        L.path);
}

void check_duplicates(const Checker& c) {
    // Two original edges giving the same flat connection: sort each node's few out-edges
    // (target, origin) and compare neighbours.
    const FlatView& v = c.inf.view;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> row; // (dst, origin)
    std::vector<std::uint32_t> dup_origins;
    for (std::uint32_t n = 0; n < v.nodes.size(); ++n) {
        const auto ids = c.inf.adjacency.out_edge_ids(n);
        if (ids.size() < 2)
            continue;
        row.clear();
        for (std::uint32_t id : ids)
            row.emplace_back(v.edges[id].dst, v.edge_origin[id]);
        std::sort(row.begin(), row.end());
        for (std::size_t k = 0; k + 1 < row.size(); ++k)
            if (row[k].first == row[k + 1].first && row[k].second != row[k + 1].second)
                dup_origins.push_back(row[k + 1].second);
    }
    std::sort(dup_origins.begin(), dup_origins.end());
    dup_origins.erase(std::unique(dup_origins.begin(), dup_origins.end()), dup_origins.end());
    for (std::uint32_t o : dup_origins) {
        const EdgeRef r = v.origin_edge(o);
        const FlatLevel& L = v.levels[r.level];
        const Edge& e = L.graph->edges()[r.edge];
        c.diags
            .warning("NIRB-W202",
                     fmt::format("duplicate edge '{}' -> '{}'{}: fan-in sums it twice", e.src,
                                 e.dst, in_graph(L)),
                     L.path)
            .fix = "remove the duplicate if the double weight is not intended";
    }
}

void check_level_edges(const Checker& c) {
    for (const EdgeResolution& r : c.inf.view.special_resolutions) {
        const FlatLevel& L = c.inf.view.levels[r.level];
        const Edge& e = L.graph->edges()[r.edge];
        check_endpoint(c, L, e, true, r.src, r.src_count);
        check_endpoint(c, L, e, false, r.dst, r.dst_count);
    }
    check_duplicates(c);
}

void check_output_sources(const Checker& c) {
    std::vector<bool> reported(c.inf.view.nodes.size(), false);
    for (std::size_t i = 0; i < c.inf.view.edges.size(); ++i) {
        const IxEdge& e = c.inf.view.edges[i];
        // An Output of the graph holding the edge (a subgraph's Output legitimately feeds
        // its parent).
        if (c.inf.view.nodes[e.src].role != IoRole::Output || reported[e.src] ||
            c.inf.view.nodes[e.src].level !=
                c.inf.view.origin_edge(c.inf.view.edge_origin[i]).level)
            continue;
        reported[e.src] = true;
        c.diags
            .error("NIRB-E203", fmt::format("Output node {} has outgoing edges", c.label(e.src)),
                   c.inf.view.nodes[e.src].path)
            .fix = "connect the node before the Output instead";
    }
}

void check_reachability(const Checker& c) {
    const FlatView& v = c.inf.view;
    std::vector<std::uint32_t> roots;
    for (std::uint32_t i = 0; i < v.nodes.size(); ++i)
        if (v.nodes[i].level == 0 && v.nodes[i].role == IoRole::Input)
            roots.push_back(i);
    if (roots.empty())
        return; // W210 says why nothing can be reached
    const std::vector<bool> seen = ix_reachable(c.inf.adjacency, roots);
    for (std::uint32_t i = 0; i < v.nodes.size(); ++i)
        if (!seen[i])
            c.diags
                .warning("NIRB-W204",
                         fmt::format("node {} is not reachable from any Input node", c.label(i)),
                         v.nodes[i].path)
                .fix = "connect it or remove it (nirb::prune_unreachable removes every such node)";
}

void check_levels(const Checker& c) {
    // Which levels hold an Input / Output node (a nested graph's own node is a NIRGraph,
    // never one of them, so the flat nodes tell).
    std::vector<bool> level_has_in(c.inf.view.levels.size()), level_has_out(level_has_in.size());
    for (const FlatNode& n : c.inf.view.nodes) {
        level_has_in[n.level] = level_has_in[n.level] || n.role == IoRole::Input;
        level_has_out[n.level] = level_has_out[n.level] || n.role == IoRole::Output;
    }
    for (std::size_t l = 0; l < c.inf.view.levels.size(); ++l) {
        const FlatLevel& L = c.inf.view.levels[l];
        const bool has_in = level_has_in[l], has_out = level_has_out[l];
        const std::string what = L.path.empty() ? "the root graph" : "subgraph '" + L.path + "'";
        if (L.path.empty() && !has_in && L.graph->size() > 0)
            c.diags.warning("NIRB-W210", "the root graph has no Input node")
                .notes.push_back(
                    "nir 1.0.7 adds an Input node 'input_<node>' for every node without incoming "
                    "edges when reading (nirb::normalize_io does the same explicitly)");
        if (L.path.empty() && !has_out && L.graph->size() > 0)
            c.diags.warning("NIRB-W211", "the root graph has no Output node")
                .notes.push_back(
                    "nir 1.0.7 adds an Output node 'output_<node>' for every node without outgoing "
                    "edges when reading");
        if (!L.path.empty() && (!has_in || !has_out))
            c.diags
                .warning("NIRB-W212",
                         fmt::format("{} has no {} node", what, !has_in ? "Input" : "Output"),
                         L.path)
                .notes.push_back("edges into it enter at its nodes without incoming edges, "
                                 "edges out of it leave from its nodes without outgoing edges");
    }
}

void check_node_types(const Checker& c) {
    if (c.options.skip_read_checks)
        return;
    for (std::uint32_t i = 0; i < c.inf.view.nodes.size(); ++i)
        if (!c.inf.schema[i])
            c.diags.error("NIRB-E213",
                          fmt::format("node '{}' has the unknown type '{}'",
                                      c.inf.view.nodes[i].path, c.type(i)),
                          c.inf.view.nodes[i].path);
}

} // namespace

void check_structure(const Checker& c) {
    check_node_types(c);
    check_level_edges(c);
    check_output_sources(c);
    check_levels(c);
    check_reachability(c);
}

} // namespace nirb::detail
