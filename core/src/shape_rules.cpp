#include "shape_rules.hpp"

namespace nirb::detail {

std::optional<std::vector<std::int64_t>> field_ints(const Node& node, const std::string& field) {
    const Value* v = node.fields().find(field);
    if (!v)
        return std::nullopt;
    if (v->is_int())
        return std::vector<std::int64_t>{v->as_int()};
    if (v->is_tensor() && v->as_tensor().dtype() != DType::String)
        return v->as_tensor().to_ints();
    return std::nullopt;
}

std::optional<std::vector<std::int64_t>> field_per_axis(const Node& node, const std::string& field,
                                                        std::size_t dims) {
    auto values = field_ints(node, field);
    if (!values)
        return std::nullopt;
    if (values->size() == 1 && dims > 1)
        values->assign(dims, (*values)[0]);
    if (values->size() != dims)
        return std::nullopt;
    return values;
}

std::int64_t conv_length(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t p,
                         std::int64_t d) {
    const std::int64_t span = n + 2 * p - d * (k - 1) - 1;
    if (s <= 0)
        return 0;
    // floor division that is right for negative spans too
    std::int64_t q = span / s;
    if (span % s != 0 && span < 0)
        --q;
    return q + 1;
}

std::optional<Shape> flatten_shape(const Shape& in, std::int64_t start, std::int64_t end) {
    const auto rank = static_cast<std::int64_t>(in.size());
    if (start < 0)
        start += rank;
    if (end < 0)
        end += rank;
    if (start < 0 || end < 0 || start >= rank || end >= rank || start > end)
        return std::nullopt;
    Shape out(in.begin(), in.begin() + start);
    std::int64_t prod = 1;
    for (std::int64_t i = start; i <= end; ++i)
        prod *= in[static_cast<std::size_t>(i)];
    out.push_back(prod);
    out.insert(out.end(), in.begin() + end + 1, in.end());
    return out;
}

} // namespace nirb::detail
