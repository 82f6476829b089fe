// Boost.Graph behind the integer-graph interface: a compressed sparse row graph whose edge
// property is the original edge id, so out-edges keep edge order (the graph is built from a
// stable counting sort by source) and results map back to the caller's edges.
#include "index_graph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/range/iterator_range.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>

namespace nirb::detail {
namespace {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, std::size_t,
                                               boost::no_property, std::uint32_t, std::size_t>;

Csr make_csr(std::size_t n, const std::vector<IxEdge>& edges) {
    // Stable counting sort by source keeps each node's out-edges in edge order.
    std::vector<std::size_t> start(n + 1, 0);
    for (const IxEdge& e : edges)
        ++start[e.src + 1];
    for (std::size_t i = 0; i < n; ++i)
        start[i + 1] += start[i];
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sorted(edges.size());
    std::vector<std::size_t> ids(edges.size());
    for (std::size_t id = 0; id < edges.size(); ++id) {
        std::size_t pos = start[edges[id].src]++;
        sorted[pos] = {edges[id].src, edges[id].dst};
        ids[pos] = id;
    }
    return Csr(boost::edges_are_sorted, sorted.begin(), sorted.end(), ids.begin(),
               static_cast<std::uint32_t>(n));
}

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

IxOrder ix_execution_order(std::size_t n, const std::vector<IxEdge>& edges,
                           const std::vector<std::uint32_t>& start) {
    const Csr g = make_csr(n, edges);
    const std::vector<std::uint32_t> roots = root_order(n, start);
    IxOrder out;
    out.is_back = find_back_edges(g, n, edges.size(), roots);
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
        for (auto e : boost::make_iterator_range(out_edges(v, g))) {
            if (out.is_back[g[e]])
                continue;
            std::uint32_t w = static_cast<std::uint32_t>(target(e, g));
            if (--indegree[w] == 0) {
                queued[w] = true;
                queue.push_back(w);
            }
        }
    }
    return out;
}

std::vector<std::uint32_t> ix_components(std::size_t n, const std::vector<IxEdge>& edges) {
    const Csr g = make_csr(n, edges);
    std::vector<std::uint32_t> comp(n, 0);
    boost::strong_components(
        g, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, g)));
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

std::vector<bool> ix_reachable(std::size_t n, const std::vector<IxEdge>& edges,
                               const std::vector<std::uint32_t>& roots) {
    const Csr g = make_csr(n, edges);
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> stack;
    for (std::uint32_t r : roots)
        if (!seen[r]) {
            seen[r] = true;
            stack.push_back(r);
        }
    while (!stack.empty()) {
        std::uint32_t v = stack.back();
        stack.pop_back();
        for (auto w : boost::make_iterator_range(adjacent_vertices(v, g)))
            if (!seen[w]) {
                seen[w] = true;
                stack.push_back(static_cast<std::uint32_t>(w));
            }
    }
    return seen;
}

} // namespace nirb::detail
