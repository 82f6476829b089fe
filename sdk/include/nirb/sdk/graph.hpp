#pragma once
/// \file sdk/graph.hpp
/// C++ view over the host's opaque graph handle: nodes, parameters, edges, metadata and the
/// core algorithms, with failures turned into exceptions. Header-only; part of plugin.hpp.
/// A Graph is a non-owning view, valid only during the call that received the handle.

#include "nirb/sdk/tensor.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nirb::sdk {

/// Thrown by plugin code to fail with a specific status; caught at the ABI boundary and
/// turned into that status plus the message. Any other exception becomes
/// NIRB_INTERNAL_ERROR.
class Error : public std::runtime_error {
public:
    Error(nirb_status status, const std::string& message)
        : std::runtime_error(message), m_status(status) {}
    nirb_status status() const { return m_status; }

private:
    nirb_status m_status;
};

/// The graph or options are not acceptable (NIRB_INVALID_INPUT).
inline Error invalid_input(const std::string& message) {
    return Error(NIRB_INVALID_INPUT, message);
}
/// Valid input this plugin cannot handle (NIRB_UNSUPPORTED).
inline Error unsupported(const std::string& message) {
    return Error(NIRB_UNSUPPORTED, message);
}

/// Diagnostics sink of the running call.
class Diagnostics {
public:
    Diagnostics(const nirb_host* host, nirb_diag* diag) : m_host(host), m_diag(diag) {}
    void error(const std::string& message, const std::string& node = {},
               const std::string& code = {}) {
        add(NIRB_SEVERITY_ERROR, message, node, code);
    }
    void warning(const std::string& message, const std::string& node = {},
                 const std::string& code = {}) {
        add(NIRB_SEVERITY_WARNING, message, node, code);
    }
    void note(const std::string& message, const std::string& node = {},
              const std::string& code = {}) {
        add(NIRB_SEVERITY_NOTE, message, node, code);
    }
    nirb_diag* handle() const { return m_diag; }

private:
    void add(nirb_severity s, const std::string& msg, const std::string& node,
             const std::string& code) {
        if (m_diag)
            m_host->report(m_diag, s, code.empty() ? nullptr : code.c_str(),
                           node.empty() ? nullptr : node.c_str(), msg.c_str());
    }
    const nirb_host* m_host;
    nirb_diag* m_diag;
};

/// One edge: output of `src` feeds the input of `dst`.
struct Edge {
    std::string src;
    std::string dst;
};

/// Non-owning view of a host graph. Node arguments name nodes of this graph; metadata calls
/// take an empty node name for the graph's own metadata.
class Graph {
public:
    Graph(const nirb_host* host, nirb_graph* graph) : m_host(host), m_graph(graph) {}

    const nirb_host* host() const { return m_host; }
    nirb_graph* handle() const { return m_graph; }

    // --- nodes ---
    /// Node names in insertion order.
    std::vector<std::string> nodes() const {
        std::vector<std::string> out;
        const auto n = m_host->node_count(m_graph);
        for (std::size_t i = 0; i < n; ++i)
            out.emplace_back(m_host->node_name(m_graph, i));
        return out;
    }
    bool has_node(const std::string& node) const {
        return m_host->node_type(m_graph, node.c_str()) != nullptr;
    }
    /// Primitive type of a node; throws NIRB_NOT_FOUND when absent.
    std::string type(const std::string& node) const {
        const char* t = m_host->node_type(m_graph, node.c_str());
        if (!t)
            throw Error(NIRB_NOT_FOUND, "no node '" + node + "'");
        return t;
    }
    /// The nested graph of a NIRGraph node, or nullopt.
    std::optional<Graph> subgraph(const std::string& node) const {
        nirb_graph* g = m_host->subgraph(m_graph, node.c_str());
        if (!g)
            return std::nullopt;
        return Graph(m_host, g);
    }
    void add_node(const std::string& node, const std::string& type) {
        char err[512] = {0};
        check(m_host->add_node(m_graph, node.c_str(), type.c_str(), err, sizeof err), err);
    }
    void remove_node(const std::string& node) {
        check(m_host->remove_node(m_graph, node.c_str()), "no node '" + node + "'");
    }
    void rename_node(const std::string& from, const std::string& to) {
        char err[512] = {0};
        check(m_host->rename_node(m_graph, from.c_str(), to.c_str(), err, sizeof err), err);
    }
    void set_type(const std::string& node, const std::string& type) {
        check(m_host->set_node_type(m_graph, node.c_str(), type.c_str()), "no node '" + node + "'");
    }

    // --- parameters ---
    /// Field names of a node in file order.
    std::vector<std::string> params(const std::string& node) const {
        std::vector<std::string> out;
        const auto n = m_host->param_count(m_graph, node.c_str());
        for (std::size_t i = 0; i < n; ++i)
            out.emplace_back(m_host->param_name(m_graph, node.c_str(), i));
        return out;
    }
    /// True when the node has a tensor field of that name.
    bool has_param(const std::string& node, const std::string& name) const {
        nirb_tensor_view v{};
        return m_host->get_param(m_graph, node.c_str(), name.c_str(), &v) == NIRB_OK;
    }
    /// A copy of a tensor field; throws when absent or not a tensor.
    Tensor param(const std::string& node, const std::string& name) const {
        nirb_tensor_view v{};
        check(m_host->get_param(m_graph, node.c_str(), name.c_str(), &v),
              "node '" + node + "' has no tensor parameter '" + name + "'");
        return Tensor::from_view(v);
    }
    /// The raw view of a tensor field (valid until the graph changes), or nullopt.
    std::optional<nirb_tensor_view> param_view(const std::string& node,
                                               const std::string& name) const {
        nirb_tensor_view v{};
        if (m_host->get_param(m_graph, node.c_str(), name.c_str(), &v) != NIRB_OK)
            return std::nullopt;
        return v;
    }
    void set_param(const std::string& node, const std::string& name, const Tensor& value) {
        ViewStorage storage(value);
        char err[512] = {0};
        check(
            m_host->set_param(m_graph, node.c_str(), name.c_str(), &storage.view, err, sizeof err),
            err);
    }
    void remove_param(const std::string& node, const std::string& name) {
        check(m_host->remove_param(m_graph, node.c_str(), name.c_str()),
              "node '" + node + "' has no parameter '" + name + "'");
    }

    // --- edges ---
    std::vector<Edge> edges() const {
        std::vector<Edge> out;
        const auto n = m_host->edge_count(m_graph);
        for (std::size_t i = 0; i < n; ++i) {
            const char* s = nullptr;
            const char* d = nullptr;
            if (m_host->edge(m_graph, i, &s, &d) == NIRB_OK)
                out.push_back({s, d});
        }
        return out;
    }
    void connect(const std::string& src, const std::string& dst) {
        check(m_host->connect(m_graph, src.c_str(), dst.c_str()), "cannot connect");
    }
    /// Remove every edge src -> dst; false when there was none.
    bool disconnect(const std::string& src, const std::string& dst) {
        return m_host->disconnect(m_graph, src.c_str(), dst.c_str()) == NIRB_OK;
    }

    // --- metadata (node "" = the graph itself) ---
    std::vector<std::string> metadata_keys(const std::string& node = {}) const {
        std::vector<std::string> out;
        const auto n = m_host->metadata_count(m_graph, cnode(node));
        for (std::size_t i = 0; i < n; ++i)
            out.emplace_back(m_host->metadata_key(m_graph, cnode(node), i));
        return out;
    }
    std::optional<std::string> metadata_string(const std::string& node,
                                               const std::string& key) const {
        const char* s = nullptr;
        if (m_host->get_metadata_string(m_graph, cnode(node), key.c_str(), &s) != NIRB_OK)
            return std::nullopt;
        return std::string(s);
    }
    std::optional<double> metadata_number(const std::string& node, const std::string& key) const {
        double v = 0;
        if (m_host->get_metadata_number(m_graph, cnode(node), key.c_str(), &v) != NIRB_OK)
            return std::nullopt;
        return v;
    }
    std::optional<Tensor> metadata_tensor(const std::string& node, const std::string& key) const {
        nirb_tensor_view v{};
        if (m_host->get_metadata_tensor(m_graph, cnode(node), key.c_str(), &v) != NIRB_OK)
            return std::nullopt;
        return Tensor::from_view(v);
    }
    void set_metadata(const std::string& node, const std::string& key, const std::string& v) {
        check(m_host->set_metadata_string(m_graph, cnode(node), key.c_str(), v.c_str()), key);
    }
    void set_metadata(const std::string& node, const std::string& key, const char* v) {
        set_metadata(node, key, std::string(v));
    }
    void set_metadata(const std::string& node, const std::string& key, double v) {
        check(m_host->set_metadata_number(m_graph, cnode(node), key.c_str(), v), key);
    }
    void set_metadata(const std::string& node, const std::string& key, const Tensor& v) {
        ViewStorage storage(v);
        char err[512] = {0};
        check(m_host->set_metadata_tensor(m_graph, cnode(node), key.c_str(), &storage.view, err,
                                          sizeof err),
              err);
    }
    bool remove_metadata(const std::string& node, const std::string& key) {
        return m_host->remove_metadata(m_graph, cnode(node), key.c_str()) == NIRB_OK;
    }

    // --- core algorithms ---
    /// Deterministic execution order (cycles broken at their back edges).
    std::vector<std::string> execution_order() const {
        nirb_string_list list{0, nullptr};
        char err[512] = {0};
        check(m_host->execution_order(m_graph, &list, err, sizeof err), err);
        return std::vector<std::string>(list.items, list.items + list.count);
    }
    /// Infer input/output types; returns false when inference reported an error.
    bool infer_types(Diagnostics& diag) {
        return m_host->infer_types(m_graph, diag.handle()) == NIRB_OK;
    }
    /// Validate; returns false when any problem is an error.
    bool validate(Diagnostics& diag) const {
        return m_host->validate(m_graph, diag.handle()) == NIRB_OK;
    }

    /// Inferred shape of a node's single input (or output) port, or nullopt when unknown.
    /// Uses the types of the last infer_types() on this graph (inferred on first use).
    std::optional<std::vector<std::int64_t>> inferred_shape(const std::string& node,
                                                            bool output = true) const {
        if (m_host->struct_size <= offsetof(nirb_host, inferred_shape) || !m_host->inferred_shape)
            return std::nullopt;
        std::vector<std::int64_t> dims(16);
        std::size_t rank = 0;
        if (m_host->inferred_shape(m_graph, node.c_str(), output ? 1 : 0, dims.data(), dims.size(),
                                   &rank) != NIRB_OK)
            return std::nullopt;
        if (rank > dims.size()) {
            dims.resize(rank);
            m_host->inferred_shape(m_graph, node.c_str(), output ? 1 : 0, dims.data(), dims.size(),
                                   &rank);
        }
        dims.resize(rank);
        return dims;
    }

private:
    static const char* cnode(const std::string& node) {
        return node.empty() ? nullptr : node.c_str();
    }
    static void check(nirb_status s, const std::string& message) {
        if (s != NIRB_OK)
            throw Error(s, message);
    }
    /// For the host's error buffer: read only after the call has filled it (a std::string
    /// argument would be built from the still empty buffer before the call runs).
    static void check(nirb_status s, const char* error_buffer) {
        if (s != NIRB_OK)
            throw Error(s, error_buffer);
    }
    const nirb_host* m_host;
    nirb_graph* m_graph;
};

} // namespace nirb::sdk
