#pragma once
/// \file graph.hpp
/// A NIR graph: named nodes in insertion order, edges in order, metadata.

#include "nirb/node.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace nirb {

/// A directed identity connection from the output of `src` to the input of `dst`.
/// Names may be dotted paths into subgraphs (`G.X`); they are kept verbatim.
struct Edge {
    std::string src;
    std::string dst;
    bool operator==(const Edge&) const = default;
};

/// A node together with its name inside its graph.
struct NamedNode {
    std::string name;
    Node node;
    bool operator==(const NamedNode&) const = default;
};

/// Named nodes (insertion order kept), ordered edges and metadata. Lookup by name is O(1).
class Graph {
public:
    Graph() = default;

    /// Append a node; throws nirb::Error if the name is empty or already used.
    Node& add_node(std::string name, Node node);
    /// Remove a node and every edge touching it; false when absent.
    bool remove_node(const std::string& name);
    /// Rename a node and the edges that name it; throws when `to` exists or `from` is absent.
    void rename_node(const std::string& from, const std::string& to);

    /// The node with this exact name, or nullptr.
    const Node* find(const std::string& name) const;
    Node* find(const std::string& name);
    /// The node with this exact name; throws nirb::Error when absent.
    const Node& node(const std::string& name) const;
    Node& node(const std::string& name);
    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    /// Position of the node in insertion order, or -1.
    long index_of(const std::string& name) const;

    const std::vector<NamedNode>& nodes() const { return m_nodes; }
    /// Mutable access to node values; do not rename through this (use rename_node).
    std::vector<NamedNode>& nodes() { return m_nodes; }
    std::size_t size() const { return m_nodes.size(); }

    const std::vector<Edge>& edges() const { return m_edges; }
    std::vector<Edge>& edges() { return m_edges; }
    void add_edge(std::string src, std::string dst);

    const Metadata& metadata() const { return m_metadata; }
    Metadata& metadata() { return m_metadata; }

    /// Nodes, edges (in order) and metadata equal; node order must match too.
    bool operator==(const Graph& other) const;

private:
    void rebuild_index();

    std::vector<NamedNode> m_nodes;
    std::unordered_map<std::string, std::size_t> m_index;
    std::vector<Edge> m_edges;
    Metadata m_metadata;
};

} // namespace nirb
