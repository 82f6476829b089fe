// nirb_host entries for the core algorithms (execution order, type inference, validation):
// thin wrappers over libnirb's own functions so plugins never re-implement them.
#include "abi_bridge.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/validate.hpp"

#include <algorithm>

namespace nirb::abi {
namespace {

nirb_status execution_order(const nirb_graph* g, nirb_string_list* out, char* err, size_t size) {
    if (!g || !g->graph || !out) {
        write_error(err, size, "execution_order: null argument");
        return NIRB_INVALID_INPUT;
    }
    const ExecutionOrder order = nirb::execution_order(*g->graph);
    std::vector<std::string> names;
    for (auto i : order.nodes)
        names.push_back(g->graph->nodes()[i].name);
    out->count = names.size();
    out->items = g->ctx->keep(std::move(names));
    return NIRB_OK;
}

/// Infer and remember the types of `g` for inferred_shape.
const TypeMap& infer_into_context(const nirb_graph* g, Diagnostics& diags) {
    TypeMap map = nirb::infer_types(*g->graph, InferOptions{}, diags);
    auto& types = g->ctx->types;
    auto it = std::find_if(types.begin(), types.end(),
                           [&](const auto& entry) { return entry.first == g->graph; });
    if (it == types.end())
        return types.emplace_back(g->graph, std::move(map)).second;
    it->second = std::move(map);
    return it->second;
}

void forward(const Diagnostics& from, nirb_diag* to) {
    if (to && to->diags)
        to->diags->append(from);
}

nirb_status infer_types(nirb_graph* g, nirb_diag* d) {
    if (!g || !g->graph)
        return NIRB_INVALID_INPUT;
    Diagnostics diags;
    infer_into_context(g, diags);
    forward(diags, d);
    return diags.has_errors() ? NIRB_INVALID_INPUT : NIRB_OK;
}

nirb_status validate(const nirb_graph* g, nirb_diag* d) {
    if (!g || !g->graph)
        return NIRB_INVALID_INPUT;
    Diagnostics diags;
    validate_graph(*g->graph, ValidateOptions{}, diags);
    forward(diags, d);
    return diags.has_errors() ? NIRB_INVALID_INPUT : NIRB_OK;
}

nirb_status inferred_shape(const nirb_graph* g, const char* node, int32_t which, int64_t* dims,
                           size_t capacity, size_t* rank) {
    if (!g || !g->graph || !node)
        return NIRB_NOT_FOUND;
    auto& types = g->ctx->types;
    auto it = std::find_if(types.begin(), types.end(),
                           [&](const auto& entry) { return entry.first == g->graph; });
    Diagnostics ignored;
    const TypeMap& map = it != types.end() ? it->second : infer_into_context(g, ignored);
    const NodeTypes* t = map.find(node);
    const MaybeShape shape =
        t ? single_shape(which == 0 ? t->input_type : t->output_type) : std::nullopt;
    if (!shape)
        return NIRB_NOT_FOUND;
    if (rank)
        *rank = shape->size();
    for (size_t i = 0; dims && i < std::min(capacity, shape->size()); ++i)
        dims[i] = (*shape)[i];
    return NIRB_OK;
}

} // namespace

void fill_algorithm_functions(nirb_host& h) {
    h.execution_order = execution_order;
    h.infer_types = infer_types;
    h.validate = validate;
    h.inferred_shape = inferred_shape;
}

} // namespace nirb::abi
