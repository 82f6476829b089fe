#pragma once
// Type rules of the primitives, one function per primitive family (nir-format.md §3). The
// schema records (schema.cpp) name the rule each primitive uses.
#include "nirb/schema.hpp"

namespace nirb::type_rules {

/// Input and Output: the stored shape, or (Output without one) the predecessor's.
TypeRuleResult io(const TypeRuleArgs& args);
/// Affine and Linear: (..., in) -> (..., out) from the weight.
TypeRuleResult dense(const TypeRuleArgs& args);
/// Conv1d and Conv2d (reports nir 1.0.7 differences and non-positive outputs).
TypeRuleResult conv1d(const TypeRuleArgs& args);
TypeRuleResult conv2d(const TypeRuleArgs& args);
/// SumPool2d and AvgPool2d.
TypeRuleResult pool(const TypeRuleArgs& args);
/// Flatten (reports dims out of range).
TypeRuleResult flatten(const TypeRuleArgs& args);
/// Elementwise nodes (Scale, Delay, Threshold, the neurons): the population's shape.
TypeRuleResult population(const TypeRuleArgs& args);

} // namespace nirb::type_rules
