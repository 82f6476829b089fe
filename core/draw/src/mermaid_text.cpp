// The Mermaid form of a drawing: a flowchart with one subgraph per nested graph, Input and
// Output as stadium shapes, back edges dotted and labelled "t-1", colours by class.
#include "draw_model.hpp"

#include <fmt/core.h>

namespace nirb {
namespace {

using namespace nirb::draw;

/// Mermaid labels are quoted; quotes and the characters Mermaid treats as markup become
/// entity codes.
std::string label_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '"':
            out += "#quot;";
            break;
        case '<':
            out += "#lt;";
            break;
        case '>':
            out += "#gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string node_line(const DrawnNode& n, std::size_t id) {
    std::string label = "<b>" + label_escape(n.name) + "</b><br/>" + label_escape(n.type);
    if (!n.shape.empty())
        label += "<br/><small>" + label_escape(n.shape) + "</small>";
    const bool io = n.role == NodeRole::Input || n.role == NodeRole::Output;
    return fmt::format("n{}{}\"{}\"{}:::{}\n", id, io ? "([" : "[", label, io ? "])" : "]",
                       role_style(n.role).name);
}

} // namespace

std::string graph_to_mermaid(const Graph& g, const DrawOptions& options) {
    const DrawModel m = build_model(g, options);
    std::string out = fmt::format("flowchart {}\n", options.top_down ? "TD" : "LR");
    ClusterVisitor visit;
    visit.open = [&](std::size_t c, int depth) {
        out += fmt::format("{}subgraph c{}[\"{}\"]\n", indent(depth - 1), c,
                           label_escape(m.clusters[c].path));
    };
    visit.node = [&](std::size_t v, int depth) { out += indent(depth) + node_line(m.nodes[v], v); };
    visit.close = [&](std::size_t, int depth) { out += indent(depth - 1) + "end\n"; };
    visit_clusters(m, visit);
    for (const auto& e : m.edges)
        out += fmt::format("  n{} {}{} n{}\n", e.src, e.back ? "-.->" : "-->",
                           e.back ? (e.mismatch ? "|t-1, shapes differ|" : "|t-1|")
                                  : (e.mismatch ? "|shapes differ|" : ""),
                           e.dst);
    for (NodeRole role : kAllRoles)
        out += fmt::format("  classDef {} fill:{},stroke:#333\n", role_style(role).name,
                           role_style(role).fill);
    return out;
}

} // namespace nirb
