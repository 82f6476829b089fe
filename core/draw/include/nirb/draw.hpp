#pragma once
/// \file draw.hpp
/// Pictures of a graph: Graphviz DOT and Mermaid text built from one analysis (nodes with
/// type and shapes, nested graphs as clusters, back edges of cycles marked, Input and Output
/// drawn distinctly), and SVG or PNG laid out by the Graphviz library (libgvc). Nothing here
/// lays out a graph by hand. See docs/cli/draw.md.
#include "nirb/graph.hpp"

#include <string>

namespace nirb {

/// Output formats of a drawing, chosen by extension.
enum class DrawFormat {
    Svg,     ///< `.svg`, laid out and rendered by Graphviz `dot`
    Png,     ///< `.png`, laid out and rendered by Graphviz `dot` (cairo)
    Dot,     ///< `.dot` / `.gv`: the DOT source, not laid out (render it with any Graphviz)
    Mermaid, ///< `.mmd`: a Mermaid flowchart (GitHub and many editors render it)
};

/// The format implied by a path's extension; throws nirb::UsageError for any other.
DrawFormat draw_format_from_path(const std::string& path);

/// What to draw besides names and types.
struct DrawOptions {
    /// Show each node's inferred input and output shapes.
    bool shapes = true;
    /// Top-to-bottom (true) or left-to-right layout.
    bool top_down = true;
};

/// The DOT source of `g`: one node per leaf (nested NIRGraphs become clusters), one edge per
/// resolved connection; back edges of cycles are dashed, red, labelled "t-1" and do not
/// constrain the ranking. Never throws on a malformed graph (unresolved edges are left out).
std::string graph_to_dot(const Graph& g, const DrawOptions& options = {});

/// The same picture as a Mermaid flowchart (subgraphs for nested graphs, back edges dotted).
std::string graph_to_mermaid(const Graph& g, const DrawOptions& options = {});

/// The drawing in `format` (SVG text, PNG bytes, DOT or Mermaid text). Throws nirb::Error when
/// Graphviz fails or lacks a renderer for the format.
std::string draw_graph(const Graph& g, DrawFormat format, const DrawOptions& options = {});

/// Draw `g` into `path` (format from its extension), atomically; refuses to replace an
/// existing file unless `overwrite`.
void write_drawing(const Graph& g, const std::string& path, const DrawOptions& options = {},
                   bool overwrite = false);

} // namespace nirb
