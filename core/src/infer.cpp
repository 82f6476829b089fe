// Inference: each node's own types from its schema rule, then propagation along the flat
// edges in execution order (a node with an unknown input takes the output of its first
// predecessor, in edge order, whose output is known); back edges are followed too, so a
// cycle typed only from inside still resolves. Each node is decided at most once, so the
// cost is linear in nodes + edges.
#include "inference.hpp"

#include "nirb/schema.hpp"

#include <fmt/format.h>

#include <mutex>
#include <unordered_map>

namespace nirb {

const Port* find_port(const PortTypes& ports, std::string_view name) {
    for (const Port& p : ports)
        if (p.name == name)
            return &p;
    return nullptr;
}

MaybeShape single_shape(const PortTypes& ports) {
    return ports.size() == 1 ? ports[0].shape : std::nullopt;
}

std::string maybe_shape_to_string(const MaybeShape& shape) {
    return shape ? shape_to_string(*shape) : std::string("unknown");
}

struct TypeMap::Index {
    std::once_flag built;
    std::unordered_map<std::string, std::size_t> positions;
};

TypeMap::TypeMap() : m_index(std::make_shared<Index>()) {}

NodeTypes& TypeMap::set(const std::string& path, NodeTypes types) {
    if (find(path)) {
        const std::size_t at = m_index->positions.at(path);
        return m_entries[at].second = std::move(types);
    }
    return append(path, std::move(types));
}

NodeTypes& TypeMap::append(std::string path, NodeTypes types) {
    m_entries.emplace_back(std::move(path), std::move(types));
    m_index = std::make_shared<Index>();
    return m_entries.back().second;
}

const NodeTypes* TypeMap::find(const std::string& path) const {
    Index& ix = *m_index;
    std::call_once(ix.built, [&] {
        ix.positions.reserve(m_entries.size());
        for (std::size_t i = 0; i < m_entries.size(); ++i)
            ix.positions.emplace(m_entries[i].first, i);
    });
    auto it = ix.positions.find(path);
    return it == ix.positions.end() ? nullptr : &m_entries[it->second].second;
}

namespace detail {
namespace {

/// In-edges per node as CSR (sources in edge order).
struct InEdges {
    std::vector<std::size_t> start;
    std::vector<std::uint32_t> src;
};

InEdges in_edges(std::size_t n, const std::vector<IxEdge>& edges) {
    InEdges r{std::vector<std::size_t>(n + 1, 0), std::vector<std::uint32_t>(edges.size())};
    for (const IxEdge& e : edges)
        ++r.start[e.dst + 1];
    for (std::size_t i = 0; i < n; ++i)
        r.start[i + 1] += r.start[i];
    std::vector<std::size_t> pos(r.start.begin(), r.start.end() - 1);
    for (const IxEdge& e : edges)
        r.src[pos[e.dst]++] = e.src;
    return r;
}

class Propagator {
public:
    Propagator(Inference& inf, const InferOptions& opt)
        : m_inf(inf), m_opt(opt), m_preds(in_edges(inf.view.nodes.size(), inf.view.edges)) {
        const std::size_t n = inf.view.nodes.size();
        inf.schema.resize(n, nullptr);
        m_fed.resize(n);
        inf.in.resize(n);
        inf.out.resize(n);
        inf.unknown_type.resize(n, false);
        for (std::size_t v = 0; v < n; ++v) {
            m_inf.schema[v] = find_primitive(inf.view.nodes[v].node->type());
            inf.unknown_type[v] =
                m_inf.schema[v] == nullptr || m_inf.schema[v]->type_rule == nullptr;
            apply(static_cast<std::uint32_t>(v), std::nullopt, nullptr);
        }
    }

    void propagate() {
        const auto& order = m_inf.order.nodes;
        std::vector<bool> done(m_inf.view.nodes.size(), false);
        std::vector<std::uint32_t> stack;
        for (std::uint32_t v : order) {
            stack.push_back(v);
            while (!stack.empty()) {
                std::uint32_t u = stack.back();
                stack.pop_back();
                done[u] = true;
                if (!settle(u))
                    continue;
                // u's output just became known: revisit earlier nodes fed by it (back edges).
                for (std::uint32_t w : m_inf.adjacency.successors(u))
                    if (done[w] && !complete(w))
                        stack.push_back(w);
            }
        }
    }

    /// Run every rule once more with the input it was decided with, now reporting.
    void report(Diagnostics& diags) {
        for (std::uint32_t v = 0; v < m_inf.view.nodes.size(); ++v)
            if (!m_inf.unknown_type[v] && m_inf.schema[v]->type_rule_reports)
                m_inf.schema[v]->type_rule({*m_inf.schema[v], *m_inf.view.nodes[v].node, m_fed[v],
                                            m_opt.reference_compatible, &diags,
                                            m_inf.view.nodes[v].path});
    }

private:
    bool complete(std::uint32_t v) const { return m_inf.in[v] && m_inf.out[v]; }

    void apply(std::uint32_t v, const MaybeShape& input, Diagnostics* diags) {
        if (m_inf.unknown_type[v])
            return;
        m_fed[v] = input;
        TypeRuleResult r = m_inf.schema[v]->type_rule({*m_inf.schema[v],
                                                       *m_inf.view.nodes[v].node,
                                                       input,
                                                       m_opt.reference_compatible,
                                                       diags,
                                                       {}});
        m_inf.in[v] = std::move(r.input);
        m_inf.out[v] = std::move(r.output);
    }

    /// Try to complete v from its predecessors; true when its output became known.
    bool settle(std::uint32_t v) {
        if (complete(v) || m_inf.unknown_type[v])
            return false;
        const bool had_out = m_inf.out[v].has_value();
        MaybeShape input = m_inf.in[v];
        for (std::size_t i = m_preds.start[v]; !input && i < m_preds.start[v + 1]; ++i)
            input = m_inf.out[m_preds.src[i]];
        if (!input)
            return false;
        apply(v, input, nullptr);
        return !had_out && m_inf.out[v].has_value();
    }

    Inference& m_inf;
    const InferOptions& m_opt;
    InEdges m_preds;
    std::vector<MaybeShape> m_fed;
};

} // namespace

Inference::Inference(const Graph& g)
    : view(build_flat_view(g)), adjacency(view.nodes.size(), view.edges),
      order(ix_execution_order(adjacency, view.edges, flat_input_nodes(view))) {}

Inference run_inference(const Graph& g, const InferOptions& options, Diagnostics& diags) {
    Inference inf(g);
    Propagator p(inf, options);
    p.propagate();
    p.report(diags);
    return inf;
}

namespace {

/// One leaf's types, each shape copied once (an initializer list would copy it twice: its
/// elements cannot be moved from, and a million nodes pass here).
NodeTypes leaf_types(const Inference& inf, std::uint32_t v) {
    NodeTypes t;
    t.input_type.push_back({"input", inf.in[v]});
    t.output_type.push_back({"output", inf.out[v]});
    return t;
}

void add_level(const Inference& inf, std::uint32_t level, TypeMap& map) {
    const FlatLevel& L = inf.view.levels[level];
    NodeTypes graph_types;
    for (std::size_t c = 0; c < L.graph->size(); ++c) {
        if (L.child_is_level[c])
            continue;
        const std::string& name = L.graph->nodes()[c].name;
        const std::string& type = L.graph->nodes()[c].node.type();
        if (type == "Input")
            graph_types.input_type.push_back({name, inf.in[L.slot[c]]});
        if (type == "Output")
            graph_types.output_type.push_back({name, inf.out[L.slot[c]]});
    }
    map.append(L.path, std::move(graph_types));
    for (std::size_t c = 0; c < L.graph->size(); ++c) {
        std::uint32_t slot = L.slot[c];
        if (L.child_is_level[c])
            add_level(inf, slot, map);
        else
            map.append(inf.view.nodes[slot].path, leaf_types(inf, slot));
    }
}

} // namespace

TypeMap make_type_map(const Inference& inf) {
    TypeMap map;
    map.reserve(inf.view.nodes.size() + inf.view.levels.size());
    add_level(inf, 0, map);
    return map;
}

} // namespace detail

TypeMap infer_types(const Graph& g, const InferOptions& options, Diagnostics& diags) {
    return detail::make_type_map(detail::run_inference(g, options, diags));
}

} // namespace nirb
