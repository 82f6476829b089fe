// nir.cast and nir.broadcast-scalars: parameter tensor rewrites driven by the primitive schema.
#include "core_pass.hpp"

#include "nirb/schema.hpp"

#include <fmt/core.h>

#include <functional>

namespace nirb::passes {
namespace {

/// Call `fn(path, node)` for every node, descending into nested graphs.
void for_each_node(Graph& g, const std::string& prefix,
                   const std::function<void(const std::string&, Node&)>& fn) {
    for (auto& nn : g.nodes()) {
        const std::string path = prefix.empty() ? nn.name : prefix + "." + nn.name;
        fn(path, nn.node);
        if (nn.node.is_graph())
            for_each_node(nn.node.graph(), path, fn);
    }
}

class Cast : public sdk::Pass {
public:
    Cast() : Pass("nir.cast", "Cast every floating-point parameter to one float dtype") {
        add_choice("dtype", {"float16", "float32", "float64"}, "float32",
                   "Target dtype of floating-point parameters (integer fields are kept)");
    }

    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics& diag) override {
        const DType target = *dtype_from_name(options.string("dtype"));
        int changed = 0;
        for_each_node(core_graph(graph), "", [&](const std::string&, Node& node) {
            for (auto& [name, value] : node.fields().entries())
                if (value.is_tensor() && dtype_is_float(value.as_tensor().dtype()) &&
                    value.as_tensor().dtype() != target) {
                    value = Value(value.as_tensor().cast(target));
                    ++changed;
                }
        });
        diag.note(fmt::format("cast {} parameter(s) to {}", changed, options.string("dtype")));
    }
};

/// Shape of the largest non-scalar Array field of an elementwise node, or empty.
Shape population_shape(const PrimitiveSchema& schema, const Node& node) {
    Shape best;
    std::int64_t best_count = 0;
    for (const auto& f : schema.fields) {
        const Tensor* t = f.kind == FieldKind::Array ? node.tensor(std::string(f.name)) : nullptr;
        if (t && t->rank() > 0 && t->size() > best_count) {
            best = t->shape();
            best_count = t->size();
        }
    }
    return best;
}

class BroadcastScalars : public sdk::Pass {
public:
    BroadcastScalars()
        : Pass("nir.broadcast-scalars",
               "Expand 0-d parameters of elementwise nodes to the population shape") {}

    void run(sdk::Graph& graph, const sdk::Options&, sdk::Diagnostics& diag) override {
        for_each_node(core_graph(graph), "", [&](const std::string& path, Node& node) {
            const PrimitiveSchema* schema = find_primitive(node.type());
            if (schema && !schema->population_field.empty())
                broadcast(*schema, path, node, diag);
        });
    }

private:
    static void broadcast(const PrimitiveSchema& schema, const std::string& path, Node& node,
                          sdk::Diagnostics& diag) {
        const Shape shape = population_shape(schema, node);
        for (const auto& f : schema.fields) {
            Tensor* t = f.kind == FieldKind::Array ? node.tensor(std::string(f.name)) : nullptr;
            if (!t || t->rank() != 0)
                continue;
            if (shape.empty()) {
                diag.warning(fmt::format("'{}' is 0-d and no other parameter gives the "
                                         "population shape; left as is",
                                         f.name),
                             path);
                return;
            }
            Tensor full(t->dtype(), shape);
            const double v = t->at(0);
            for (std::int64_t i = 0; i < full.size(); ++i)
                full.set(i, v);
            *t = std::move(full);
        }
    }
};

} // namespace

void add_tensor_passes(sdk::Plugin& plugin) {
    plugin.add_pass<Cast>();
    plugin.add_pass<BroadcastScalars>();
}

} // namespace nirb::passes
