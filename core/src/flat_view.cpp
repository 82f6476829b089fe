// Flattening as a view: nodes in preorder, then edges resolved level by level with the
// nir-format.md §5.4 rule (literal name first, then a dotted path into a subgraph).
#include "flat_view.hpp"

#include "name_index.hpp"

#include <algorithm>
#include <span>
#include <string_view>

namespace nirb::detail {
namespace {

IoRole io_role(const Node& n) {
    return n.type() == "Input"    ? IoRole::Input
           : n.type() == "Output" ? IoRole::Output
                                  : IoRole::None;
}

/// Marks "literal index not looked up yet" for Builder::resolve.
constexpr std::uint32_t kNotLookedUp = kNoNode - 1;

struct Resolved {
    EndStatus status = EndStatus::Missing;
    std::span<const std::uint32_t> nodes; ///< points into the view's level data
};

class Builder {
public:
    explicit Builder(FlatView& view) : m_view(view) {}

    void add_level(const Graph& g, std::string path, const Node* node, std::uint32_t parent) {
        const auto id = static_cast<std::uint32_t>(m_view.levels.size());
        m_view.levels.push_back({std::move(path), &g, node, parent, {}, {}, {}, {}, {}, {}});
        const std::string prefix =
            m_view.levels[id].path.empty() ? std::string() : m_view.levels[id].path + ".";
        for (const NamedNode& child : g.nodes()) {
            const bool nested = child.node.is_graph();
            std::uint32_t slot = 0;
            if (nested) {
                slot = static_cast<std::uint32_t>(m_view.levels.size());
                add_level(child.node.graph(), prefix + child.name, &child.node, id);
            } else {
                slot = static_cast<std::uint32_t>(m_view.nodes.size());
                m_view.nodes.push_back({prefix + child.name, &child.node, id, io_role(child.node)});
            }
            m_view.levels[id].has_subgraphs = m_view.levels[id].has_subgraphs || nested;
            m_view.levels[id].slot.push_back(slot);
            m_view.levels[id].child_is_level.push_back(nested);
        }
    }

    /// Entries/exits bottom-up: levels are in preorder, so children come after parents.
    void compute_ports() {
        // The root's own ports are never used; skipping it saves a pass over big graphs.
        for (std::size_t i = m_view.levels.size(); i-- > 1;)
            compute_level_ports(static_cast<std::uint32_t>(i));
    }

    void resolve_edges() {
        std::uint32_t origin = 0;
        for (std::uint32_t l = 0; l < m_view.levels.size(); ++l) {
            const auto& edges = m_view.levels[l].graph->edges();
            m_view.levels[l].first_edge = origin;
            origin += static_cast<std::uint32_t>(edges.size());
            std::vector<std::uint32_t> src, dst;
            NameIndex(*m_view.levels[l].graph).resolve_edges(src, dst);
            const FlatLevel& L = m_view.levels[l];
            for (std::size_t e = 0; e < edges.size(); ++e) {
                // The common case, node to node in a level without subgraphs: a literal
                // name cannot be ambiguous there and each end is one flat node.
                if (!L.has_subgraphs && src[e] != kNoNode && dst[e] != kNoNode) {
                    m_view.edges.push_back({L.slot[src[e]], L.slot[dst[e]]});
                    m_view.edge_origin.push_back(L.first_edge + static_cast<std::uint32_t>(e));
                    continue;
                }
                resolve_edge(l, e, edges[e], src[e], dst[e]);
            }
        }
    }

private:
    /// The flat nodes a child stands for: itself, or a nested graph's entries/exits.
    std::span<const std::uint32_t> child_nodes(std::uint32_t level, std::size_t child,
                                               bool as_dst) const {
        const FlatLevel& L = m_view.levels[level];
        if (!L.child_is_level[child])
            return {&L.slot[child], 1};
        const FlatLevel& sub = m_view.levels[L.slot[child]];
        return as_dst ? sub.entries : sub.exits;
    }

    void compute_level_ports(std::uint32_t id) {
        FlatLevel& L = m_view.levels[id];
        const Graph& g = *L.graph;
        std::vector<bool> has_in(g.size(), false), has_out(g.size(), false);
        for (const Edge& e : g.edges()) {
            long s = g.index_of(e.src), d = g.index_of(e.dst);
            if (s >= 0 && d >= 0) {
                has_out[static_cast<std::size_t>(s)] = true;
                has_in[static_cast<std::size_t>(d)] = true;
            }
        }
        std::vector<std::uint32_t> roots, leaves;
        for (std::size_t c = 0; c < g.size(); ++c) {
            const std::string& type = g.nodes()[c].node.type();
            auto as_dst = child_nodes(id, c, true);
            auto as_src = child_nodes(id, c, false);
            if (type == "Input")
                L.inputs.insert(L.inputs.end(), as_dst.begin(), as_dst.end());
            if (type == "Output")
                L.outputs.insert(L.outputs.end(), as_src.begin(), as_src.end());
            if (!has_in[c])
                roots.insert(roots.end(), as_dst.begin(), as_dst.end());
            if (!has_out[c])
                leaves.insert(leaves.end(), as_src.begin(), as_src.end());
        }
        L.entries = L.inputs.empty() ? roots : L.inputs;
        L.exits = L.outputs.empty() ? leaves : L.outputs;
    }

    /// Dotted path `G.X` inside `level`: try every split point, leftmost first.
    Resolved resolve_path(std::uint32_t level, std::string_view name, bool as_dst) const {
        if (!m_view.levels[level].has_subgraphs)
            return {};
        const Graph& g = *m_view.levels[level].graph;
        for (std::size_t dot = name.find('.'); dot != std::string_view::npos;
             dot = name.find('.', dot + 1)) {
            long c = g.index_of(std::string(name.substr(0, dot)));
            if (c < 0 || !m_view.levels[level].child_is_level[static_cast<std::size_t>(c)])
                continue;
            std::uint32_t sub = m_view.levels[level].slot[static_cast<std::size_t>(c)];
            Resolved r = resolve(sub, name.substr(dot + 1), as_dst);
            if (r.status != EndStatus::Missing)
                return {EndStatus::Path, r.nodes};
        }
        return {};
    }

    /// Resolve `name` in `level`; `literal` is its index when already known (kNoNode: none
    /// or not looked up yet).
    Resolved resolve(std::uint32_t level, std::string_view name, bool as_dst,
                     std::uint32_t literal = kNotLookedUp) const {
        const Graph& g = *m_view.levels[level].graph;
        long c = literal == kNotLookedUp ? g.index_of(std::string(name))
                 : literal == kNoNode    ? -1
                                         : static_cast<long>(literal);
        if (c < 0)
            return resolve_path(level, name, as_dst);
        Resolved r{EndStatus::Literal, child_nodes(level, static_cast<std::size_t>(c), as_dst)};
        if (m_view.levels[level].has_subgraphs && name.find('.') != std::string_view::npos &&
            resolve_path(level, name, as_dst).status != EndStatus::Missing)
            r.status = EndStatus::Ambiguous;
        return r;
    }

    void resolve_edge(std::uint32_t level, std::size_t index, const Edge& e, std::uint32_t src,
                      std::uint32_t dst) {
        Resolved s = resolve(level, e.src, false, src);
        Resolved d = resolve(level, e.dst, true, dst);
        const auto origin = m_view.levels[level].first_edge + static_cast<std::uint32_t>(index);
        if (s.status != EndStatus::Literal || d.status != EndStatus::Literal ||
            s.nodes.size() != 1 || d.nodes.size() != 1)
            m_view.special_resolutions.push_back({level, index, s.status, d.status,
                                                  static_cast<std::uint32_t>(s.nodes.size()),
                                                  static_cast<std::uint32_t>(d.nodes.size())});
        for (std::uint32_t a : s.nodes)
            for (std::uint32_t b : d.nodes) {
                m_view.edges.push_back({a, b});
                m_view.edge_origin.push_back(origin);
            }
    }

    FlatView& m_view;
};

} // namespace

FlatView build_flat_view(const Graph& root) {
    FlatView view;
    view.nodes.reserve(root.size());
    view.edges.reserve(root.edges().size());
    view.edge_origin.reserve(root.edges().size());
    Builder b(view);
    b.add_level(root, "", nullptr, 0);
    b.compute_ports();
    b.resolve_edges();
    return view;
}

EdgeRef FlatView::origin_edge(std::uint32_t origin) const {
    // Levels are few and in origin order: the last level starting at or before `origin`.
    auto after =
        std::upper_bound(levels.begin(), levels.end(), origin,
                         [](std::uint32_t o, const FlatLevel& L) { return o < L.first_edge; });
    const auto level = static_cast<std::uint32_t>(after - levels.begin() - 1);
    return {level, origin - levels[level].first_edge};
}

std::vector<std::uint32_t> flat_input_nodes(const FlatView& view) {
    std::vector<std::uint32_t> inputs;
    for (std::uint32_t i = 0; i < view.nodes.size(); ++i)
        if (view.nodes[i].role == IoRole::Input)
            inputs.push_back(i);
    return inputs;
}

} // namespace nirb::detail
