// nirb_host entries for metadata of a node (or of the graph when the node is NULL).
#include "abi_bridge.hpp"

#include "nirb/error.hpp"

namespace nirb::abi {
namespace {

/// The metadata map addressed by (g, node): the graph's when node is NULL.
Metadata* metadata_of(const nirb_graph* g, const char* node) {
    if (!g || !g->graph)
        return nullptr;
    if (!node)
        return &g->graph->metadata();
    Node* n = g->graph->find(node);
    return n ? &n->metadata() : nullptr;
}

const Value* lookup(const nirb_graph* g, const char* node, const char* key) {
    const Metadata* m = metadata_of(g, node);
    return m && key ? m->find(key) : nullptr;
}

size_t metadata_count(const nirb_graph* g, const char* node) {
    const Metadata* m = metadata_of(g, node);
    return m ? m->size() : 0;
}

const char* metadata_key(const nirb_graph* g, const char* node, size_t i) {
    const Metadata* m = metadata_of(g, node);
    if (!m || i >= m->size())
        return nullptr;
    return m->entries()[i].first.c_str();
}

nirb_meta_kind metadata_kind(const nirb_graph* g, const char* node, const char* key) {
    const Value* v = lookup(g, node, key);
    if (!v)
        return NIRB_META_NONE;
    if (v->is_string())
        return NIRB_META_STRING;
    if (v->number())
        return NIRB_META_NUMBER;
    if (v->is_tensor())
        return NIRB_META_TENSOR;
    return NIRB_META_OTHER;
}

nirb_status get_string(const nirb_graph* g, const char* node, const char* key, const char** out) {
    const Value* v = lookup(g, node, key);
    if (!v)
        return NIRB_NOT_FOUND;
    if (!v->is_string())
        return NIRB_UNSUPPORTED;
    if (out)
        *out = v->as_string().c_str();
    return NIRB_OK;
}

nirb_status get_number(const nirb_graph* g, const char* node, const char* key, double* out) {
    const Value* v = lookup(g, node, key);
    if (!v)
        return NIRB_NOT_FOUND;
    auto number = v->number();
    if (!number)
        return NIRB_UNSUPPORTED;
    if (out)
        *out = *number;
    return NIRB_OK;
}

nirb_status get_tensor(const nirb_graph* g, const char* node, const char* key,
                       nirb_tensor_view* out) {
    const Value* v = lookup(g, node, key);
    if (!v)
        return NIRB_NOT_FOUND;
    if (!v->is_tensor())
        return NIRB_UNSUPPORTED;
    if (out)
        *out = view_of(v->as_tensor(), *g->ctx);
    return NIRB_OK;
}

nirb_status set_string(nirb_graph* g, const char* node, const char* key, const char* value) {
    Metadata* m = metadata_of(g, node);
    if (!m || !key || !*key || !value)
        return m ? NIRB_INVALID_INPUT : NIRB_NOT_FOUND;
    m->set(key, Value(std::string(value)));
    return NIRB_OK;
}

nirb_status set_number(nirb_graph* g, const char* node, const char* key, double value) {
    Metadata* m = metadata_of(g, node);
    if (!m || !key || !*key)
        return m ? NIRB_INVALID_INPUT : NIRB_NOT_FOUND;
    m->set(key, Value(value));
    return NIRB_OK;
}

nirb_status set_tensor(nirb_graph* g, const char* node, const char* key,
                       const nirb_tensor_view* value, char* err, size_t size) {
    return set_tensor_entry(metadata_of(g, node), node, key, value, "set_metadata_tensor", err,
                            size);
}

nirb_status remove_metadata(nirb_graph* g, const char* node, const char* key) {
    Metadata* m = metadata_of(g, node);
    if (!m || !key)
        return NIRB_NOT_FOUND;
    return m->erase(key) ? NIRB_OK : NIRB_NOT_FOUND;
}

} // namespace

void fill_metadata_functions(nirb_host& h) {
    h.metadata_count = metadata_count;
    h.metadata_key = metadata_key;
    h.metadata_kind = metadata_kind;
    h.get_metadata_string = get_string;
    h.get_metadata_number = get_number;
    h.get_metadata_tensor = get_tensor;
    h.set_metadata_string = set_string;
    h.set_metadata_number = set_number;
    h.set_metadata_tensor = set_tensor;
    h.remove_metadata = remove_metadata;
}

} // namespace nirb::abi
