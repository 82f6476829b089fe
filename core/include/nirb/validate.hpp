#pragma once
/// \file validate.hpp
/// Validation: every structural, type and parameter problem of a document, collected (never
/// stopping at the first) as diagnostics with stable codes (docs/diagnostics.md).

#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"

namespace nirb {

/// What to check and how.
struct ValidateOptions {
    /// Infer types as nir 1.0.7 does (bugs included) and report where the reference would
    /// fail or change the graph on read (auto I/O, multi-port subgraph edges).
    bool reference_compatible = false;
    /// Report warnings as errors (their codes stay NIRB-W###).
    bool strict = false;
    /// Skip the checks a file reader already made (unknown node types, missing or
    /// ill-typed required fields, 0-d parameters, a leading 1 in an Input shape), so
    /// `nirb validate` does not report them twice.
    bool skip_read_checks = false;
};

/// Check the document's root graph (and every nested graph) and append each problem found
/// to `diags`: structure (NIRB-x2xx), types and shapes (x3xx), parameters (x4xx).
/// Never throws on bad input; never modifies the document.
void validate(const Document& doc, const ValidateOptions& options, Diagnostics& diags);

/// The same for a graph not wrapped in a document.
void validate_graph(const Graph& g, const ValidateOptions& options, Diagnostics& diags);

} // namespace nirb
