// Components, cycles, reachability, pruning and delay insertion on one graph level.
#include "index_graph.hpp"
#include "level_index.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/error.hpp"
#include "nirb/infer.hpp"

namespace nirb {

namespace {

std::vector<std::vector<std::size_t>> widen(std::vector<std::vector<std::uint32_t>> groups) {
    std::vector<std::vector<std::size_t>> out;
    out.reserve(groups.size());
    for (const auto& g : groups)
        out.emplace_back(g.begin(), g.end());
    return out;
}

} // namespace

std::vector<std::vector<std::size_t>> strongly_connected_components(const Graph& g) {
    const detail::LevelIndex ix = detail::index_level(g);
    return widen(detail::ix_component_members(
        detail::ix_components(detail::IxAdjacency(g.size(), ix.edges))));
}

std::vector<std::vector<std::size_t>> cycles(const Graph& g) {
    const detail::LevelIndex ix = detail::index_level(g);
    return widen(detail::ix_cyclic_components(
        detail::ix_components(detail::IxAdjacency(g.size(), ix.edges)), ix.edges));
}

namespace {

std::vector<std::uint32_t> feed_nodes(const Graph& g, const detail::LevelIndex& ix) {
    if (!ix.inputs.empty())
        return ix.inputs;
    std::vector<bool> has_in(g.size(), false);
    for (const auto& e : ix.edges)
        has_in[e.dst] = true;
    std::vector<std::uint32_t> roots;
    for (std::uint32_t v = 0; v < g.size(); ++v)
        if (!has_in[v])
            roots.push_back(v);
    return roots;
}

void prune_into(const Graph& g, const std::string& prefix, Graph& out,
                std::vector<std::string>* removed) {
    const std::vector<bool> keep = reachable_from_inputs(g);
    out.metadata() = g.metadata();
    for (std::size_t v = 0; v < g.size(); ++v) {
        const NamedNode& n = g.nodes()[v];
        if (!keep[v]) {
            if (removed)
                removed->push_back(prefix + n.name);
            continue;
        }
        if (!n.node.is_graph()) {
            out.add_node(n.name, n.node);
            continue;
        }
        Graph sub;
        prune_into(n.node.graph(), prefix + n.name + ".", sub, removed);
        Node copy = n.node;
        copy.set_graph(std::move(sub));
        out.add_node(n.name, std::move(copy));
    }
    for (const Edge& e : g.edges()) {
        long s = g.index_of(e.src), d = g.index_of(e.dst);
        // keep dangling/dotted edges unless they touch a removed node
        if ((s >= 0 && !keep[static_cast<std::size_t>(s)]) ||
            (d >= 0 && !keep[static_cast<std::size_t>(d)]))
            continue;
        out.add_edge(e.src, e.dst);
    }
}

std::string unique_name(const Graph& g, const std::string& base) {
    if (!g.contains(base))
        return base;
    for (std::size_t k = 0;; ++k)
        if (!g.contains(base + "_" + std::to_string(k)))
            return base + "_" + std::to_string(k);
}

} // namespace

std::vector<bool> reachable_from_inputs(const Graph& g) {
    const detail::LevelIndex ix = detail::index_level(g);
    return detail::ix_reachable(detail::IxAdjacency(g.size(), ix.edges), feed_nodes(g, ix));
}

Graph prune_unreachable(const Graph& g, std::vector<std::string>* removed) {
    Graph out;
    prune_into(g, "", out, removed);
    return out;
}

DelayInsertion insert_cycle_delays(const Graph& g, const DelayOptions& options) {
    DelayInsertion r{g, execution_order(g).back_edges, {}};
    if (options.mode == DelayMode::MarkBackEdges || r.back_edges.empty())
        return r;
    Diagnostics ignored;
    const TypeMap types = infer_types(g, {}, ignored);
    std::vector<Edge> edges = g.edges();
    for (std::size_t id : r.back_edges) {
        const Edge e = g.edges()[id];
        const NodeTypes* t = types.find(e.src);
        MaybeShape shape = t ? single_shape(t->output_type) : std::nullopt;
        if (!shape)
            throw Error("cannot insert a Delay on back edge '" + e.src + "' -> '" + e.dst +
                        "': the output type of '" + e.src + "' is unknown");
        const std::string name = unique_name(r.graph, "delay_" + e.src + "_" + e.dst);
        Node delay("Delay");
        std::vector<double> values(static_cast<std::size_t>(shape_element_count(*shape)),
                                   options.dt);
        delay.set_field("delay", Tensor::from_doubles(values, *shape, DType::Float32));
        r.graph.add_node(name, std::move(delay));
        r.delay_nodes.push_back(name);
        edges[id] = {e.src, name};
        edges.push_back({name, e.dst});
    }
    r.graph.edges() = std::move(edges);
    return r;
}

} // namespace nirb
