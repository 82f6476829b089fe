#include "info_analysis.hpp"

#include "nirb/analysis.hpp"
#include "nirb/recurrence.hpp"

#include <fmt/format.h>

namespace nirb::cli {
namespace {

using Json = nlohmann::ordered_json;

Json ports_json(const PortTypes& ports) {
    Json j = Json::object();
    for (const Port& p : ports)
        j[p.name] = p.shape ? Json(*p.shape) : Json(nullptr);
    return j;
}

Json level_types(const Graph& g, const std::string& prefix, const TypeMap& types) {
    Json nodes = Json::object();
    for (const NamedNode& n : g.nodes()) {
        const std::string path = prefix + n.name;
        Json j = Json::object();
        if (const NodeTypes* t = types.find(path)) {
            j["input_type"] = ports_json(t->input_type);
            j["output_type"] = ports_json(t->output_type);
        }
        if (n.node.is_graph())
            j["nodes"] = level_types(n.node.graph(), path + ".", types);
        nodes[n.name] = std::move(j);
    }
    return nodes;
}

struct Cycle {
    std::vector<std::string> nodes;
    std::vector<Edge> back_edges;
};

/// Cycles of the flattened graph (so cycles through subgraphs show), with their back edges.
std::vector<Cycle> find_cycles(const GraphAnalysis& analysis) {
    std::vector<long> comp_of(analysis.node_count(), -1);
    std::vector<Cycle> out;
    for (const auto& c : analysis.cycles()) {
        Cycle cy;
        for (std::uint32_t v : c) {
            cy.nodes.push_back(analysis.path(v));
            comp_of[v] = static_cast<long>(out.size());
        }
        out.push_back(std::move(cy));
    }
    for (std::size_t id : analysis.back_edges()) {
        const FlatEdge e = analysis.edge(id);
        if (long c = comp_of[e.src]; c >= 0)
            out[static_cast<std::size_t>(c)].back_edges.push_back(
                {analysis.path(e.src), analysis.path(e.dst)});
    }
    return out;
}

const Graph* root_graph(const Document& doc) {
    return doc.root.is_graph() ? &doc.root.graph() : nullptr;
}

} // namespace

Json analysis_json(const Document& doc) {
    Json j = Json::object();
    const Graph* g = root_graph(doc);
    if (!g)
        return j;
    const GraphAnalysis analysis = analyze(*g);
    const TypeMap types = analysis.types();
    Json t = Json::object();
    t["input_type"] = ports_json(types.find("")->input_type);
    t["output_type"] = ports_json(types.find("")->output_type);
    t["nodes"] = level_types(*g, "", types);
    j["types"] = std::move(t);
    Json cycles_j = Json::array();
    for (const Cycle& c : find_cycles(analysis)) {
        Json back = Json::array();
        for (const Edge& e : c.back_edges)
            back.push_back({e.src, e.dst});
        cycles_j.push_back({{"nodes", c.nodes}, {"back_edges", back}});
    }
    j["cycles"] = std::move(cycles_j);
    Json rec = Json::array();
    for (const RecurrenceMatch& m : find_recurrences(*g))
        rec.push_back({{"form", std::string(recurrence_form_name(m.form))},
                       {"neuron", m.neuron},
                       {"weight", m.weight},
                       {"group", m.group}});
    j["recurrences"] = std::move(rec);
    return j;
}

std::string analysis_text(const Document& doc) {
    const Graph* g = root_graph(doc);
    if (!g)
        return {};
    const GraphAnalysis analysis = analyze(*g);
    const TypeMap types = analysis.types();
    auto ports = [](const PortTypes& p) {
        std::string s;
        for (const Port& x : p)
            s += fmt::format("{}{}={}", s.empty() ? "" : ", ", x.name,
                             maybe_shape_to_string(x.shape));
        return s.empty() ? std::string("-") : s;
    };
    std::string out = "inferred types:\n";
    for (const auto& [path, t] : types.entries())
        if (!path.empty())
            out += fmt::format("  {}: {} -> {}\n", path, ports(t.input_type), ports(t.output_type));
    const auto cyc = find_cycles(analysis);
    out += cyc.empty() ? "cycles: none\n" : "cycles:\n";
    for (const Cycle& c : cyc) {
        std::string back;
        for (const Edge& e : c.back_edges)
            back += fmt::format("{}'{}' -> '{}'", back.empty() ? "" : ", ", e.src, e.dst);
        out += fmt::format("  {{{}}}, delayed by one step on {}\n", fmt::join(c.nodes, ", "), back);
    }
    for (const RecurrenceMatch& m : find_recurrences(*g))
        out += fmt::format("recurrent layer: '{}' <-> '{}' ({})\n", m.neuron, m.weight,
                           recurrence_form_name(m.form));
    return out;
}

} // namespace nirb::cli
