// validate(): one inference, then the structure, edge-type and parameter checks over it
// (analysis.cpp runs the checks).
#include "validation.hpp"

#include <fmt/format.h>

namespace nirb {
namespace detail {

std::string Checker::label(std::uint32_t v) const {
    return fmt::format("'{}' ({})", inf.view.nodes[v].path, type(v));
}

} // namespace detail

void validate_graph(const Graph& g, const ValidateOptions& options, Diagnostics& diags) {
    Diagnostics found;
    const detail::Inference inf =
        detail::run_inference(g, {.reference_compatible = options.reference_compatible}, found);
    diags.append(detail::validate_inference(inf, options, std::move(found)));
}

void validate(const Document& doc, const ValidateOptions& options, Diagnostics& diags) {
    if (doc.root.is_graph()) {
        validate_graph(doc.root.graph(), options, diags);
        return;
    }
    // A bare node at the root: check it as the only node of a graph.
    Graph g;
    g.add_node("node", doc.root);
    validate_graph(g, options, diags);
}

} // namespace nirb
