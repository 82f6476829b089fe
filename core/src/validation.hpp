#pragma once
// The three validation passes over one inference result (validate.cpp runs them).
#include "inference.hpp"

#include "nirb/validate.hpp"

#include <string>

namespace nirb::detail {

/// What every check needs.
struct Checker {
    const Inference& inf;
    const ValidateOptions& options;
    Diagnostics& diags;

    /// "'path' (Type)" for a flat node.
    std::string label(std::uint32_t v) const;
    /// The type name of a flat node.
    const std::string& type(std::uint32_t v) const { return inf.view.nodes[v].node->type(); }
};

/// Dangling, duplicate, ambiguous and fanned-out edges, Output nodes with outgoing edges,
/// unreachable nodes, graphs without Input nodes, unknown node types.
void check_structure(const Checker& c);
/// Shape mismatches across every edge (with the likely cause: transposed weight, batch
/// dimension, torch Flatten dims, 0-d parameters), nodes whose type stays unknown.
void check_edge_types(const Checker& c);
/// Per node: required fields, neuron parameter shapes, 0-d parameters, NaN/Inf, time
/// constants, conv geometry and bias, dense weight rank and bias.
void check_parameters(const Checker& c);

/// The three checks over `inf`, after the problems inference `found`; --strict applied.
Diagnostics validate_inference(const Inference& inf, const ValidateOptions& options,
                               Diagnostics found);

} // namespace nirb::detail
