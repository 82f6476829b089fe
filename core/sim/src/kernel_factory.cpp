// Dispatch from a primitive's schema record to its kernel family, and the field helpers all
// families use (absent fields take the record's simulator defaults).
#include "kernel.hpp"
#include "latency_kernel.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

namespace nirb::sim::detail {

namespace {

/// The record's value for an absent field, if it has one.
std::optional<double> default_of(const BuildContext& ctx, const std::string& field) {
    const FieldSchema* f = ctx.schema ? ctx.schema->field(field) : nullptr;
    return f ? f->simulator_default() : std::nullopt;
}

} // namespace

std::vector<double> field_values(const Node& node, const std::string& field, std::int64_t n,
                                 const BuildContext& ctx) {
    const Tensor* t = node.tensor(field);
    if (!t) {
        if (const Value* v = node.fields().find(field); v && v->number())
            return std::vector<double>(static_cast<std::size_t>(n), *v->number());
        if (const auto fallback = default_of(ctx, field))
            return std::vector<double>(static_cast<std::size_t>(n), *fallback);
        throw Error(fmt::format("node '{}' ({}): field '{}' is missing", ctx.node_name, node.type(),
                                field));
    }
    auto values = t->to_doubles();
    if (static_cast<std::int64_t>(values.size()) == n)
        return values;
    if (values.size() == 1)
        return std::vector<double>(static_cast<std::size_t>(n), values[0]);
    throw Error(fmt::format("node '{}' ({}): field '{}' has {} values {}, but the node has {} "
                            "inputs (shape {})",
                            ctx.node_name, node.type(), field, values.size(),
                            shape_to_string(t->shape()), n, shape_to_string(ctx.input_shape)));
}

std::vector<std::int64_t> field_ints(const Node& node, const std::string& field, std::size_t n,
                                     const BuildContext& ctx) {
    std::vector<std::int64_t> values;
    if (const Tensor* t = node.tensor(field))
        values = t->to_ints();
    else if (const Value* v = node.fields().find(field); v && v->number())
        values = {static_cast<std::int64_t>(*v->number())};
    else if (const auto fallback = default_of(ctx, field))
        values = {static_cast<std::int64_t>(*fallback)};
    else
        throw Error(fmt::format("node '{}' ({}): field '{}' is missing", ctx.node_name, node.type(),
                                field));
    if (values.size() == 1)
        values.assign(n, values[0]);
    if (values.size() != n)
        throw Error(fmt::format("node '{}' ({}): field '{}' must have 1 or {} values, has {}",
                                ctx.node_name, node.type(), field, n, values.size()));
    return values;
}

template <typename T>
std::unique_ptr<Kernel<T>> make_kernel(const Node& node, const BuildContext& ctx) {
    BuildContext with_record = ctx;
    with_record.schema = find_primitive(node.type());
    switch (with_record.schema ? with_record.schema->kernel : KernelFamily::None) {
    case KernelFamily::Neuron:
        return make_neuron_kernel<T>(node, with_record);
    case KernelFamily::Dense:
        return with_weight_latency(make_dense_kernel<T>(node, with_record),
                                   ctx.profile->weight_latency);
    case KernelFamily::Conv:
        return with_weight_latency(make_conv_kernel<T>(node, with_record),
                                   ctx.profile->weight_latency);
    case KernelFamily::SumPool:
    case KernelFamily::AvgPool:
        return make_pool_kernel<T>(node, with_record);
    case KernelFamily::Identity:
    case KernelFamily::Reshape:
    case KernelFamily::Scale:
    case KernelFamily::Threshold:
    case KernelFamily::Delay:
        return make_elementwise_kernel<T>(node, with_record);
    case KernelFamily::None:
        break;
    }
    throw Error(fmt::format("node '{}': primitive '{}' cannot be simulated (not one of the 18 "
                            "NIR primitives)",
                            ctx.node_name, node.type()));
}

template std::unique_ptr<Kernel<float>> make_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_kernel<double>(const Node&, const BuildContext&);

} // namespace nirb::sim::detail
