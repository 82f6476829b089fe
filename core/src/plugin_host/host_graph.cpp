// nirb_host entries for graph structure: nodes, parameters (node fields) and edges.
// Every entry is noexcept in effect: exceptions are caught and turned into a status.
#include "abi_bridge.hpp"

#include "nirb/error.hpp"

#include <algorithm>
#include <cstring>

namespace nirb::abi {

static_assert(NIRB_DTYPE_BOOL == static_cast<int>(DType::Bool));
static_assert(NIRB_DTYPE_FLOAT64 == static_cast<int>(DType::Float64));
static_assert(NIRB_DTYPE_STRING == static_cast<int>(DType::String));

nirb_graph* CallContext::handle_for(Graph& g) {
    for (auto& h : subgraphs)
        if (h.graph == &g)
            return &h;
    subgraphs.push_back(nirb_graph{&g, this});
    return &subgraphs.back();
}

const char* const* CallContext::keep(std::vector<std::string> strings) {
    auto& kept = string_arrays.emplace_back(std::move(strings));
    auto& ptrs = pointer_arrays.emplace_back();
    for (const auto& s : kept)
        ptrs.push_back(s.c_str());
    ptrs.push_back(nullptr);
    return ptrs.data();
}

void write_error(char* err, std::size_t size, const std::string& message) {
    if (!err || size == 0)
        return;
    const std::size_t n = std::min(message.size(), size - 1);
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

Tensor tensor_from_view(const nirb_tensor_view& v) {
    if (v.dtype < NIRB_DTYPE_BOOL || v.dtype > NIRB_DTYPE_STRING)
        throw Error("tensor view has unknown dtype " + std::to_string(v.dtype));
    if (v.rank > 0 && !v.shape)
        throw Error("tensor view has rank > 0 but no shape");
    Shape shape(v.shape, v.shape + v.rank);
    const auto count = shape_element_count(shape);
    if (count > 0 && !v.data)
        throw Error("tensor view has elements but no data");
    const auto dtype = static_cast<DType>(v.dtype);
    if (dtype == DType::String) {
        auto items = static_cast<const char* const*>(v.data);
        std::vector<std::string> strings;
        for (std::int64_t i = 0; i < count; ++i)
            strings.emplace_back(items[i] ? items[i] : "");
        return Tensor::from_strings(std::move(strings), std::move(shape));
    }
    const auto bytes = static_cast<std::size_t>(count) * dtype_size(dtype);
    return Tensor::from_bytes(dtype, std::move(shape),
                              {static_cast<const std::byte*>(v.data), bytes});
}

nirb_tensor_view view_of(const Tensor& t, CallContext& ctx) {
    nirb_tensor_view v{};
    v.dtype = static_cast<nirb_dtype>(t.dtype());
    v.rank = static_cast<std::uint32_t>(t.rank());
    v.shape = t.shape().data();
    if (t.dtype() == DType::String)
        v.data = ctx.keep(t.strings());
    else
        v.data = t.bytes().data();
    return v;
}

Node* find_node(const nirb_graph* g, const char* node) {
    if (!g || !g->graph || !node)
        return nullptr;
    return g->graph->find(node);
}

nirb_status set_tensor_entry(ValueMap* target, const char* node, const char* key,
                             const nirb_tensor_view* value, const char* what, char* err,
                             std::size_t size) {
    return guarded(err, size, [&] {
        if (!target)
            throw Error(std::string("no node '") + (node ? node : "") + "'");
        if (!key || !*key || !value)
            throw Error(std::string(what) + ": empty name or null value");
        target->set(key, Value(tensor_from_view(*value)));
    });
}

namespace {

size_t node_count(const nirb_graph* g) {
    return g && g->graph ? g->graph->size() : 0;
}

const char* node_name(const nirb_graph* g, size_t i) {
    if (!g || !g->graph || i >= g->graph->size())
        return nullptr;
    return g->graph->nodes()[i].name.c_str();
}

const char* node_type(const nirb_graph* g, const char* node) {
    const Node* n = find_node(g, node);
    return n ? n->type().c_str() : nullptr;
}

nirb_graph* subgraph(nirb_graph* g, const char* node) {
    Node* n = find_node(g, node);
    if (!n || !n->is_graph())
        return nullptr;
    return g->ctx->handle_for(n->graph());
}

nirb_status add_node(nirb_graph* g, const char* node, const char* type, char* err, size_t size) {
    return guarded(err, size, [&] {
        if (!g || !node || !type)
            throw Error("add_node: null argument");
        Node n = std::string(type) == "NIRGraph" ? Node::make_graph(Graph{}) : Node(type);
        g->graph->add_node(node, std::move(n));
    });
}

nirb_status remove_node(nirb_graph* g, const char* node) {
    if (!g || !node)
        return NIRB_NOT_FOUND;
    return g->graph->remove_node(node) ? NIRB_OK : NIRB_NOT_FOUND;
}

nirb_status rename_node(nirb_graph* g, const char* from, const char* to, char* err, size_t size) {
    return guarded(err, size, [&] {
        if (!g || !from || !to)
            throw Error("rename_node: null argument");
        g->graph->rename_node(from, to);
    });
}

nirb_status set_node_type(nirb_graph* g, const char* node, const char* type) {
    Node* n = find_node(g, node);
    if (!n || !type)
        return NIRB_NOT_FOUND;
    n->set_type(type);
    return NIRB_OK;
}

size_t param_count(const nirb_graph* g, const char* node) {
    const Node* n = find_node(g, node);
    return n ? n->fields().size() : 0;
}

const char* param_name(const nirb_graph* g, const char* node, size_t i) {
    const Node* n = find_node(g, node);
    if (!n || i >= n->fields().size())
        return nullptr;
    return n->fields().entries()[i].first.c_str();
}

nirb_status get_param(const nirb_graph* g, const char* node, const char* name,
                      nirb_tensor_view* out) {
    const Node* n = find_node(g, node);
    const Value* v = n && name ? n->fields().find(name) : nullptr;
    if (!v)
        return NIRB_NOT_FOUND;
    if (!v->is_tensor())
        return NIRB_UNSUPPORTED;
    if (out)
        *out = view_of(v->as_tensor(), *g->ctx);
    return NIRB_OK;
}

nirb_status set_param(nirb_graph* g, const char* node, const char* name,
                      const nirb_tensor_view* value, char* err, size_t size) {
    Node* n = find_node(g, node);
    return set_tensor_entry(n ? &n->fields() : nullptr, node, name, value, "set_param", err, size);
}

nirb_status remove_param(nirb_graph* g, const char* node, const char* name) {
    Node* n = find_node(g, node);
    if (!n || !name)
        return NIRB_NOT_FOUND;
    return n->fields().erase(name) ? NIRB_OK : NIRB_NOT_FOUND;
}

size_t edge_count(const nirb_graph* g) {
    return g && g->graph ? g->graph->edges().size() : 0;
}

nirb_status edge(const nirb_graph* g, size_t i, const char** src, const char** dst) {
    if (!g || !g->graph || i >= g->graph->edges().size())
        return NIRB_NOT_FOUND;
    const Edge& e = g->graph->edges()[i];
    if (src)
        *src = e.src.c_str();
    if (dst)
        *dst = e.dst.c_str();
    return NIRB_OK;
}

nirb_status connect(nirb_graph* g, const char* src, const char* dst) {
    if (!g || !src || !dst || !*src || !*dst)
        return NIRB_INVALID_INPUT;
    g->graph->add_edge(src, dst);
    return NIRB_OK;
}

nirb_status disconnect(nirb_graph* g, const char* src, const char* dst) {
    if (!g || !src || !dst)
        return NIRB_NOT_FOUND;
    auto& edges = g->graph->edges();
    const auto before = edges.size();
    std::erase_if(edges, [&](const Edge& e) { return e.src == src && e.dst == dst; });
    return edges.size() < before ? NIRB_OK : NIRB_NOT_FOUND;
}

} // namespace

void fill_graph_functions(nirb_host& h) {
    h.node_count = node_count;
    h.node_name = node_name;
    h.node_type = node_type;
    h.subgraph = subgraph;
    h.add_node = add_node;
    h.remove_node = remove_node;
    h.rename_node = rename_node;
    h.set_node_type = set_node_type;
    h.param_count = param_count;
    h.param_name = param_name;
    h.get_param = get_param;
    h.set_param = set_param;
    h.remove_param = remove_param;
    h.edge_count = edge_count;
    h.edge = edge;
    h.connect = connect;
    h.disconnect = disconnect;
}

} // namespace nirb::abi
