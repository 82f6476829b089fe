// The DOT source of a drawing: HTML-like labels (name bold, type, shapes), one cluster per
// nested graph, back edges dashed and excluded from ranking so the forward flow stays
// top-down.
#include "draw_model.hpp"

#include <fmt/core.h>

namespace nirb {
namespace {

using namespace nirb::draw;

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string node_line(const DrawnNode& n, std::size_t id) {
    std::string label = "<B>" + html_escape(n.name) + "</B><BR/>" + html_escape(n.type);
    if (!n.shape.empty())
        label +=
            "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#444444\">" + html_escape(n.shape) + "</FONT>";
    const RoleStyle& style = role_style(n.role);
    return fmt::format("n{} [label=<{}>, tooltip={}, {}, fillcolor=\"{}\"];\n", id, label,
                       quoted(n.path), style.dot_shape, style.fill);
}

} // namespace

std::string graph_to_dot(const Graph& g, const DrawOptions& options) {
    const DrawModel m = build_model(g, options);
    std::string out = "digraph nir {\n";
    out += fmt::format("  graph [rankdir={}, fontname=\"Helvetica\", fontsize=11, "
                       "nodesep=0.3, ranksep=0.35, newrank=true];\n",
                       options.top_down ? "TB" : "LR");
    out += "  node [fontname=\"Helvetica\", fontsize=11, style=filled, margin=\"0.12,0.05\"];\n";
    out += "  edge [color=\"#555555\", arrowsize=0.7, fontname=\"Helvetica\"];\n";
    ClusterVisitor visit;
    visit.open = [&](std::size_t c, int depth) {
        const std::string label = quoted(m.clusters[c].path);
        out += fmt::format("{}subgraph cluster_{} {{\n{}  label={}; tooltip={};\n",
                           indent(depth - 1), c, indent(depth - 1), label, label);
        out +=
            indent(depth) + "style=\"rounded,dashed\"; color=\"#777777\"; fontcolor=\"#333333\";\n";
    };
    visit.node = [&](std::size_t v, int depth) { out += indent(depth) + node_line(m.nodes[v], v); };
    visit.close = [&](std::size_t, int depth) { out += indent(depth - 1) + "}\n"; };
    visit_clusters(m, visit);
    for (const auto& e : m.edges) {
        out += fmt::format("  n{} -> n{}", e.src, e.dst);
        std::string attrs;
        if (e.back)
            attrs = "style=dashed, color=\"#c0392b\", fontcolor=\"#c0392b\", label=\"t-1\", "
                    "fontsize=9, constraint=false";
        if (e.mismatch)
            attrs += std::string(attrs.empty() ? "" : ", ") +
                     "color=\"#e67e22\", penwidth=2.5, fontcolor=\"#d35400\", fontsize=9, "
                     "label=\"shapes differ\"";
        out += attrs.empty() ? ";\n" : " [" + attrs + "];\n";
    }
    return out + "}\n";
}

} // namespace nirb
