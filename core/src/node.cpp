#include "nirb/node.hpp"

#include "nirb/error.hpp"
#include "nirb/graph.hpp"

namespace nirb {

Node::Node() = default;
Node::Node(std::string type) : m_type(std::move(type)) {}
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

Node::Node(const Node& other)
    : m_type(other.m_type), m_fields(other.m_fields), m_metadata(other.m_metadata),
      m_extras(other.m_extras),
      m_graph(other.m_graph ? std::make_unique<Graph>(*other.m_graph) : nullptr) {}

Node& Node::operator=(const Node& other) {
    if (this != &other) {
        Node copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Node Node::make_graph(Graph graph) {
    Node n("NIRGraph");
    n.set_graph(std::move(graph));
    return n;
}

const Tensor* Node::tensor(std::string_view field) const {
    const Value* v = m_fields.find(field);
    return v && v->is_tensor() ? &v->as_tensor() : nullptr;
}

Tensor* Node::tensor(std::string_view field) {
    Value* v = m_fields.find(field);
    return v && v->is_tensor() ? &v->as_tensor() : nullptr;
}

const Tensor& Node::require_tensor(const std::string& field) const {
    if (const Tensor* t = tensor(field))
        return *t;
    throw Error(m_type + " node has no array field '" + field + "'");
}

const std::string* Node::string_field(std::string_view field) const {
    const Value* v = m_fields.find(field);
    return v && v->is_string() ? &v->as_string() : nullptr;
}

const Graph& Node::graph() const {
    if (!m_graph)
        throw Error(m_type + " node has no nested graph");
    return *m_graph;
}

Graph& Node::graph() {
    if (!m_graph)
        throw Error(m_type + " node has no nested graph");
    return *m_graph;
}

void Node::set_graph(Graph graph) {
    m_graph = std::make_unique<Graph>(std::move(graph));
}

bool Node::operator==(const Node& other) const {
    if (m_type != other.m_type || !(m_fields == other.m_fields) ||
        !(m_metadata == other.m_metadata) || !(m_extras == other.m_extras))
        return false;
    if (!m_graph || !other.m_graph)
        return !m_graph && !other.m_graph;
    return *m_graph == *other.m_graph;
}

} // namespace nirb
