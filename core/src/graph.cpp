#include "nirb/graph.hpp"

#include "nirb/document.hpp"
#include "nirb/error.hpp"

#include <algorithm>

namespace nirb {

Node& Graph::add_node(std::string name, Node node) {
    if (name.empty())
        throw Error("node names must not be empty");
    if (contains(name))
        throw Error("duplicate node name '" + name + "'");
    m_index.emplace(name, m_nodes.size());
    m_nodes.push_back({std::move(name), std::move(node)});
    return m_nodes.back().node;
}

bool Graph::remove_node(const std::string& name) {
    auto it = m_index.find(name);
    if (it == m_index.end())
        return false;
    m_nodes.erase(m_nodes.begin() + static_cast<long>(it->second));
    std::erase_if(m_edges, [&](const Edge& e) { return e.src == name || e.dst == name; });
    rebuild_index();
    return true;
}

void Graph::rename_node(const std::string& from, const std::string& to) {
    auto it = m_index.find(from);
    if (it == m_index.end())
        throw Error("cannot rename missing node '" + from + "'");
    if (from == to)
        return;
    if (to.empty() || contains(to))
        throw Error("cannot rename '" + from + "' to '" + to + "': name empty or taken");
    m_nodes[it->second].name = to;
    for (Edge& e : m_edges) {
        if (e.src == from)
            e.src = to;
        if (e.dst == from)
            e.dst = to;
    }
    rebuild_index();
}

const Node* Graph::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_nodes[it->second].node;
}

Node* Graph::find(const std::string& name) {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_nodes[it->second].node;
}

const Node& Graph::node(const std::string& name) const {
    if (const Node* n = find(name))
        return *n;
    throw Error("no node named '" + name + "'");
}

Node& Graph::node(const std::string& name) {
    if (Node* n = find(name))
        return *n;
    throw Error("no node named '" + name + "'");
}

long Graph::index_of(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? -1 : static_cast<long>(it->second);
}

void Graph::add_edge(std::string src, std::string dst) {
    m_edges.push_back({std::move(src), std::move(dst)});
}

bool Graph::operator==(const Graph& other) const {
    return m_nodes == other.m_nodes && m_edges == other.m_edges && m_metadata == other.m_metadata;
}

void Graph::rebuild_index() {
    m_index.clear();
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        m_index.emplace(m_nodes[i].name, i);
}

const Graph& Document::graph() const {
    return root.graph();
}
Graph& Document::graph() {
    return root.graph();
}

} // namespace nirb
