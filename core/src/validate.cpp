// validate(): one inference, then the structure, edge-type and parameter checks over it.
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
    const detail::Checker c{inf, options, found};
    detail::check_structure(c);
    detail::check_edge_types(c);
    detail::check_parameters(c);
    for (Diagnostic d : found.items()) {
        if (options.strict && d.severity == Severity::Warning) {
            d.severity = Severity::Error;
            d.notes.push_back("reported as an error because of --strict");
        }
        diags.add(d.severity, d.code, d.message, d.node_path, d.location) = d;
    }
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
