#pragma once
/// \file analysis.hpp
/// One analysis of a graph: its flattened nodes, their execution order, strongly connected
/// components and cycles, every node's inferred shapes and every validation problem, all
/// from one name resolution and one adjacency. `nirb info` and `nirb validate` use it; the
/// separate functions of algorithms.hpp, infer.hpp and validate.hpp each resolve the graph
/// on their own, which costs several times more on big graphs. See docs/algorithms.md.

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"
#include "nirb/infer.hpp"
#include "nirb/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nirb {

namespace detail {
struct AnalysisData;
}

/// A connection between two nodes of the flattened graph (indices into the analysis' nodes).
struct FlatEdge {
    std::uint32_t src;
    std::uint32_t dst;
};

/// The result of analyze(). Nodes are the leaves of the flattened graph in preorder (each
/// nested NIRGraph replaced by its children, Input/Output nodes kept), exactly as
/// flatten_subgraphs() would name and order them. The analysed graph must outlive this.
class GraphAnalysis {
public:
    /// Number of flattened nodes.
    std::size_t node_count() const;
    /// Dotted path of a flattened node ("G.lif").
    const std::string& path(std::size_t v) const;
    /// The node itself (never a NIRGraph).
    const Node& node(std::size_t v) const;

    /// Number of resolved edges (edges into a subgraph count once per entry node).
    std::size_t edge_count() const;
    /// One resolved edge, in flatten_subgraphs() edge order.
    FlatEdge edge(std::size_t e) const;

    /// Execution order of the flattened graph (the rules of nirb::execution_order).
    std::span<const std::uint32_t> execution_order() const;
    /// Ids of the edges that close a cycle (delayed by one step), ascending.
    std::span<const std::size_t> back_edges() const;
    /// Strongly connected component of every node, numbered by smallest member.
    std::span<const std::uint32_t> components() const;
    /// The components that contain a cycle (more than one node, or a self loop), each
    /// ascending, ordered by smallest member.
    std::vector<std::vector<std::uint32_t>> cycles() const;

    /// Inferred input and output shape of a node (nullopt: unknown).
    const MaybeShape& input_shape(std::size_t v) const;
    const MaybeShape& output_shape(std::size_t v) const;
    /// The same types as infer_types() (built on each call: a map of every path).
    TypeMap types() const;

    /// Every problem validate_graph() reports with the same options.
    const Diagnostics& diagnostics() const;

private:
    friend GraphAnalysis analyze(const Graph& g, const ValidateOptions& options);
    explicit GraphAnalysis(std::shared_ptr<const detail::AnalysisData> data);
    std::shared_ptr<const detail::AnalysisData> m_data;
};

/// Analyse `g` and everything nested in it. Never throws on bad input (problems become
/// diagnostics); never modifies the graph.
GraphAnalysis analyze(const Graph& g, const ValidateOptions& options = {});

} // namespace nirb
