#pragma once
// Type rules of the primitives, one function per primitive family (nir-format.md §3).
#include "nirb/schema.hpp"

namespace nirb {

/// The type rule for a primitive type name; nullptr for NIRGraph and unknown types.
TypeRule type_rule_for(std::string_view type);

/// True for the primitives whose rule can report diagnostics (convs, pools, Flatten); the
/// others are pure shape arithmetic, so inference skips their reporting pass.
bool type_rule_reports(std::string_view type);

} // namespace nirb
