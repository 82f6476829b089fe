#pragma once
// Shape arithmetic shared by the conv, pool and flatten type rules and by validation.
#include "nirb/node.hpp"
#include "nirb/tensor.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::detail {

/// Integer values of a field: a numeric tensor of any rank or an int; nullopt otherwise.
std::optional<std::vector<std::int64_t>> field_ints(const Node& node, const std::string& field);

/// A field as `dims` values: a scalar k means k on every axis; nullopt when absent or of
/// another length.
std::optional<std::vector<std::int64_t>> field_per_axis(const Node& node, const std::string& field,
                                                        std::size_t dims);

/// PyTorch's output length floor((n + 2p - d(k-1) - 1)/s + 1); may be <= 0.
std::int64_t conv_length(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t p,
                         std::int64_t d);

/// Flatten of `in` over [start, end] (negative dims count from the end); nullopt when a dim is
/// out of range or start > end after normalising.
std::optional<Shape> flatten_shape(const Shape& in, std::int64_t start, std::int64_t end);

} // namespace nirb::detail
