#pragma once
// Inference over a flat view, shared by infer_types() and validate() so that validation
// checks exactly the shapes inference computed.
#include "flat_view.hpp"
#include "index_graph.hpp"

#include "nirb/infer.hpp"
#include "nirb/schema.hpp"

namespace nirb::detail {

/// Everything inference computed, per flat node.
struct Inference {
    /// View, adjacency and execution order of `g` (types not inferred yet).
    explicit Inference(const Graph& g);

    FlatView view;
    IxAdjacency adjacency; ///< out-edges of view.edges
    IxOrder order;
    std::vector<MaybeShape> in;                 ///< the node's input shape
    std::vector<MaybeShape> out;                ///< the node's output shape
    std::vector<bool> unknown_type;             ///< node type not in the schema (or no type rule)
    std::vector<const PrimitiveSchema*> schema; ///< per node; nullptr for an unknown type
};

/// Run inference (rules without diagnostics, propagation, then one reporting pass).
Inference run_inference(const Graph& g, const InferOptions& options, Diagnostics& diags);

/// The public TypeMap of an inference: leaves, NIRGraph nodes and the root ("").
TypeMap make_type_map(const Inference& inf);

} // namespace nirb::detail
