#pragma once
/// \file node.hpp
/// One NIR node: its primitive type, its fields, metadata, unknown extras and, for a
/// NIRGraph, the nested graph.

#include "nirb/value.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace nirb {

class Graph;

/// A node of a NIR graph. Fields hold the primitive's parameters exactly as read or set:
/// numeric datasets are Tensors (0-d for scalars), string datasets are std::string.
/// `extras` holds datasets and groups the schema does not know; they are written back.
class Node {
public:
    Node();
    /// A node of the given primitive type with no fields yet.
    explicit Node(std::string type);
    Node(const Node& other);
    Node& operator=(const Node& other);
    Node(Node&&) noexcept;
    Node& operator=(Node&&) noexcept;
    ~Node();

    /// A NIRGraph node owning `graph`.
    static Node make_graph(Graph graph);

    /// Primitive class name as stored in the `type` dataset, e.g. "LIF" or "NIRGraph".
    const std::string& type() const { return m_type; }
    void set_type(std::string type) { m_type = std::move(type); }

    /// Schema fields in file order (excluding `type`, `metadata`, `nodes`, `edges`).
    const ValueMap& fields() const { return m_fields; }
    ValueMap& fields() { return m_fields; }

    /// The tensor stored under a field, or nullptr when absent or not a tensor.
    const Tensor* tensor(std::string_view field) const;
    Tensor* tensor(std::string_view field);
    /// The tensor stored under a field; throws nirb::Error naming the field when absent.
    const Tensor& require_tensor(const std::string& field) const;
    /// The string stored under a field, or nullptr.
    const std::string* string_field(std::string_view field) const;
    /// Set (or replace) a field.
    void set_field(const std::string& field, Value value) { m_fields.set(field, std::move(value)); }

    const Metadata& metadata() const { return m_metadata; }
    Metadata& metadata() { return m_metadata; }

    /// Datasets and groups in the node's HDF5 group that no schema field names.
    const ValueMap& extras() const { return m_extras; }
    ValueMap& extras() { return m_extras; }

    /// True when this node carries a nested graph (type NIRGraph).
    bool is_graph() const { return m_graph != nullptr; }
    const Graph& graph() const;
    Graph& graph();
    void set_graph(Graph graph);

    /// Deep, exact equality (type, fields, metadata, extras, nested graph).
    bool operator==(const Node& other) const;

private:
    std::string m_type;
    ValueMap m_fields;
    Metadata m_metadata;
    ValueMap m_extras;
    std::unique_ptr<Graph> m_graph;
};

} // namespace nirb
