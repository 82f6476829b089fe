// Dispatch from a primitive name to its kernel family, and the field helpers all families use.
#include "kernel.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

namespace nirb::sim::detail {

std::vector<double> field_values(const Node& node, const std::string& field, std::int64_t n,
                                 const BuildContext& ctx, const double* fallback) {
    const Tensor* t = node.tensor(field);
    if (!t) {
        if (const Value* v = node.fields().find(field); v && v->number())
            return std::vector<double>(static_cast<std::size_t>(n), *v->number());
        if (fallback)
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
                                     const BuildContext& ctx, std::int64_t fallback) {
    std::vector<std::int64_t> values;
    if (const Tensor* t = node.tensor(field))
        values = t->to_ints();
    else if (const Value* v = node.fields().find(field); v && v->number())
        values = {static_cast<std::int64_t>(*v->number())};
    else
        values = {fallback};
    if (values.size() == 1)
        values.assign(n, values[0]);
    if (values.size() != n)
        throw Error(fmt::format("node '{}' ({}): field '{}' must have 1 or {} values, has {}",
                                ctx.node_name, node.type(), field, n, values.size()));
    return values;
}

template <typename T>
std::unique_ptr<Kernel<T>> make_kernel(const Node& node, const BuildContext& ctx) {
    const auto& type = node.type();
    if (type == "LIF" || type == "IF" || type == "LI" || type == "I" || type == "CubaLIF" ||
        type == "CubaLI")
        return make_neuron_kernel<T>(node, ctx);
    if (type == "Affine" || type == "Linear")
        return make_dense_kernel<T>(node, ctx);
    if (type == "Conv1d" || type == "Conv2d")
        return make_conv_kernel<T>(node, ctx);
    if (type == "SumPool2d" || type == "AvgPool2d")
        return make_pool_kernel<T>(node, ctx);
    if (type == "Input" || type == "Output" || type == "Flatten" || type == "Scale" ||
        type == "Threshold" || type == "Delay")
        return make_elementwise_kernel<T>(node, ctx);
    throw Error(fmt::format("node '{}': primitive '{}' cannot be simulated (not one of the 18 "
                            "NIR primitives)",
                            ctx.node_name, type));
}

template std::unique_ptr<Kernel<float>> make_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_kernel<double>(const Node&, const BuildContext&);

} // namespace nirb::sim::detail
