#pragma once
/// \file infer.hpp
/// Type and shape inference: every node's input and output type, with the correct formulas
/// by default or nir 1.0.7's results (bugs included) in reference-compatible mode.
/// See docs/inference.md.

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"
#include "nirb/tensor.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nirb {

/// A shape that may not be known (the reference's `None`).
using MaybeShape = std::optional<Shape>;

/// One named port of a node type ("input", "output", or an Input/Output node name for a
/// NIRGraph).
struct Port {
    std::string name;
    MaybeShape shape;
    bool operator==(const Port&) const = default;
};

/// Ordered map port name -> shape (order: the node's ports in node order).
using PortTypes = std::vector<Port>;

/// The port named `name`, or nullptr.
const Port* find_port(const PortTypes& ports, std::string_view name);

/// `input_type` and `output_type` of one node.
struct NodeTypes {
    PortTypes input_type;
    PortTypes output_type;
    bool operator==(const NodeTypes&) const = default;
};

/// Inferred types by node path. Paths are dotted for nested nodes ("sub.lif"); the root graph
/// itself has the path "". Entries are in preorder: a NIRGraph node, then its children.
/// The path index is built on the first find() (thread-safe), so building a map for a
/// million nodes costs no hashing unless it is searched.
class TypeMap {
public:
    TypeMap();
    /// Add (or replace) the types of a path.
    NodeTypes& set(const std::string& path, NodeTypes types);
    /// Add a path known not to be present yet (no lookup).
    NodeTypes& append(std::string path, NodeTypes types);
    /// Make room for `count` paths.
    void reserve(std::size_t count) { m_entries.reserve(count); }
    /// The types of a path, or nullptr.
    const NodeTypes* find(const std::string& path) const;
    /// Every (path, types) pair in preorder.
    const std::vector<std::pair<std::string, NodeTypes>>& entries() const { return m_entries; }
    std::size_t size() const { return m_entries.size(); }

private:
    struct Index;
    std::vector<std::pair<std::string, NodeTypes>> m_entries;
    std::shared_ptr<Index> m_index; ///< replaced (never mutated after building) on change
};

/// How to infer.
struct InferOptions {
    /// Reproduce nir 1.0.7 exactly, bugs included (Conv2d non-square kernels use K_h for both
    /// axes; grouped convs take weight.shape[1] input channels; "same" padding ignores stride;
    /// 0-d parameters give the type []), with a warning naming each difference from the
    /// correct result and each node the reference would add on read (auto I/O).
    bool reference_compatible = false;
};

/// Infer every node's types. Problems found on the way (a Flatten dim out of range, a conv
/// kernel larger than its input, reference differences) go to `diags`; shape mismatches
/// across edges are left to validate(). Never modifies the graph; never throws on bad input.
TypeMap infer_types(const Graph& g, const InferOptions& options, Diagnostics& diags);

/// The single shape of a one-port type, or nullopt (unknown, or not exactly one port).
MaybeShape single_shape(const PortTypes& ports);

/// "[2, 3]" for a known shape, "unknown" otherwise.
std::string maybe_shape_to_string(const MaybeShape& shape);

} // namespace nirb
