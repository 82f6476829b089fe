// Boost.Graph behind the integer-graph interface: a compressed sparse row graph whose edge
// property is the original edge id, so out-edges keep edge order (the rows come from a
// stable counting sort by source) and results map back to the caller's edges.
#include "index_graph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/range/iterator_range.hpp>

#include <deque>
#include <limits>
#include <utility>

namespace nirb::detail {

struct IxAdjacency::Boost {
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, std::uint32_t,
                                       boost::no_property, std::uint32_t, std::size_t>
        csr;
};

IxAdjacency::IxAdjacency(std::size_t n, const std::vector<IxEdge>& edges)
    : m_start(n + 1, 0), m_ids(edges.size()), m_targets(edges.size()) {
    // Stable counting sort by source keeps each node's out-edges in edge order.
    for (const IxEdge& e : edges)
        ++m_start[e.src + 1];
    for (std::size_t i = 0; i < n; ++i)
        m_start[i + 1] += m_start[i];
    std::vector<std::size_t> pos(m_start.begin(), m_start.end() - 1);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sorted(edges.size());
    for (std::size_t id = 0; id < edges.size(); ++id) {
        const std::size_t at = pos[edges[id].src]++;
        m_ids[at] = static_cast<std::uint32_t>(id);
        m_targets[at] = edges[id].dst;
        sorted[at] = {edges[id].src, edges[id].dst};
    }
    m_boost = std::make_unique<Boost>(Boost{{boost::edges_are_sorted, sorted.begin(), sorted.end(),
                                             m_ids.begin(), static_cast<std::uint32_t>(n)}});
}

IxAdjacency::IxAdjacency(IxAdjacency&&) noexcept = default;
IxAdjacency& IxAdjacency::operator=(IxAdjacency&&) noexcept = default;
IxAdjacency::~IxAdjacency() = default;

namespace {

using Csr = decltype(IxAdjacency::Boost::csr);

/// Records back edges (edges into a node still on the DFS stack, self loops included).
class BackEdgeRecorder : public boost::default_dfs_visitor {
public:
    explicit BackEdgeRecorder(std::vector<bool>& is_back) : m_is_back(&is_back) {}
    template <class E, class G>
    void back_edge(E e, const G& g) {
        (*m_is_back)[g[e]] = true;
    }

private:
    std::vector<bool>* m_is_back;
};

std::vector<bool> find_back_edges(const Csr& g, std::size_t n, std::size_t edge_count,
                                  const std::vector<std::uint32_t>& roots) {
    std::vector<bool> is_back(edge_count, false);
    std::vector<boost::default_color_type> color(n, boost::white_color);
    auto color_map = boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, g));
    BackEdgeRecorder recorder(is_back);
    for (std::uint32_t r : roots)
        if (color[r] == boost::white_color)
            boost::depth_first_visit(g, r, recorder, color_map);
    return is_back;
}

std::vector<std::uint32_t> root_order(std::size_t n, const std::vector<std::uint32_t>& start) {
    std::vector<std::uint32_t> roots(start);
    roots.reserve(start.size() + n);
    for (std::uint32_t v = 0; v < n; ++v)
        roots.push_back(v);
    return roots;
}

} // namespace

IxOrder ix_execution_order(const IxAdjacency& g, const std::vector<IxEdge>& edges,
                           const std::vector<std::uint32_t>& start) {
    const std::size_t n = g.node_count();
    const std::vector<std::uint32_t> roots = root_order(n, start);
    IxOrder out;
    out.is_back = find_back_edges(g.boost().csr, n, edges.size(), roots);
    std::vector<std::uint32_t> indegree(n, 0);
    for (std::size_t id = 0; id < edges.size(); ++id) {
        if (out.is_back[id])
            out.back_edges.push_back(id);
        else
            ++indegree[edges[id].dst];
    }
    // Kahn with a FIFO seeded in root order: Inputs first, then insertion order.
    std::vector<bool> queued(n, false);
    std::deque<std::uint32_t> queue;
    for (std::uint32_t r : roots)
        if (indegree[r] == 0 && !queued[r]) {
            queued[r] = true;
            queue.push_back(r);
        }
    out.nodes.reserve(n);
    while (!queue.empty()) {
        std::uint32_t v = queue.front();
        queue.pop_front();
        out.nodes.push_back(v);
        const auto ids = g.out_edge_ids(v);
        const auto targets = g.successors(v);
        for (std::size_t k = 0; k < ids.size(); ++k) {
            if (out.is_back[ids[k]])
                continue;
            if (--indegree[targets[k]] == 0) {
                queued[targets[k]] = true;
                queue.push_back(targets[k]);
            }
        }
    }
    return out;
}

std::vector<std::uint32_t> ix_components(const IxAdjacency& g) {
    const std::size_t n = g.node_count();
    const Csr& csr = g.boost().csr;
    std::vector<std::uint32_t> comp(n, 0);
    boost::strong_components(
        csr, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, csr)));
    // Renumber by smallest member so ids do not depend on Tarjan's visiting order.
    constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> renumber(n, unset);
    std::uint32_t next = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
        if (renumber[comp[v]] == unset)
            renumber[comp[v]] = next++;
        comp[v] = renumber[comp[v]];
    }
    return comp;
}

std::vector<std::vector<std::uint32_t>>
ix_component_members(const std::vector<std::uint32_t>& comp) {
    std::vector<std::vector<std::uint32_t>> members;
    for (std::uint32_t v = 0; v < comp.size(); ++v) {
        if (comp[v] >= members.size())
            members.resize(comp[v] + 1);
        members[comp[v]].push_back(v);
    }
    return members;
}

std::vector<std::vector<std::uint32_t>> ix_cyclic_components(const std::vector<std::uint32_t>& comp,
                                                             const std::vector<IxEdge>& edges) {
    std::vector<bool> self_loop(comp.size(), false);
    for (const IxEdge& e : edges)
        if (e.src == e.dst)
            self_loop[e.src] = true;
    std::vector<std::vector<std::uint32_t>> out;
    for (auto& c : ix_component_members(comp))
        if (c.size() > 1 || self_loop[c[0]])
            out.push_back(std::move(c));
    return out;
}

std::vector<bool> ix_reachable(const IxAdjacency& g, const std::vector<std::uint32_t>& roots) {
    // A sweep in node order expands every reached node when it passes it, reading the rows
    // sequentially (graphs are mostly stored in feed-forward order); a node reached from a
    // later one (behind the sweep) is expanded at once from a stack, with the same rule.
    // Every reached node is expanded exactly once, so this stays linear.
    std::vector<bool> seen(g.node_count(), false);
    for (std::uint32_t r : roots)
        seen[r] = true;
    std::vector<std::uint32_t> behind;
    auto expand = [&](std::uint32_t v, std::uint32_t sweep) {
        for (std::uint32_t w : g.successors(v))
            if (!seen[w]) {
                seen[w] = true;
                if (w < sweep)
                    behind.push_back(w);
            }
    };
    for (std::uint32_t v = 0; v < g.node_count(); ++v) {
        if (!seen[v])
            continue;
        expand(v, v);
        while (!behind.empty()) {
            const std::uint32_t u = behind.back();
            behind.pop_back();
            expand(u, v);
        }
    }
    return seen;
}

} // namespace nirb::detail
