#pragma once
/// \file normalize.hpp
/// The explicit, opt-in form of what nir 1.0.7 does silently when it reads a graph: add an
/// Input node for every node without incoming edges and an Output node for every node
/// without outgoing edges (nir-format.md §4.1 steps 2 and 5). A plain read never does this.

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"

#include <string>
#include <vector>

namespace nirb {

/// One node the reference adds.
struct AutoIoNode {
    bool is_input = true; ///< Input (before `node`) or Output (after `node`)
    std::string node;     ///< the node it attaches to
    std::string name;     ///< `input_<node>` / `output_<node>`, `_0`, `_1`, ... when taken
};

/// The nodes nir 1.0.7 adds to one graph level, in the order it adds them (Inputs for the
/// nodes in node order, then Outputs), with its naming.
std::vector<AutoIoNode> reference_auto_io(const Graph& g);

/// A copy of `g` with the reference's auto I/O applied to every graph level (nested graphs
/// first, as the reference builds them). The new Input/Output shapes come from
/// reference-compatible inference; a node whose type is unknown gets no Input/Output and an
/// error NIRB-E320 (the reference fails there too). Each added node is reported as a note
/// NIRB-N321.
Graph normalize_io(const Graph& g, Diagnostics& diags);

} // namespace nirb
