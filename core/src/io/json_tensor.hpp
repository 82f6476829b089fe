#pragma once
// Exact JSON encoding of tensors (internal; nlohmann-json stays inside src/).
#include "nirb/tensor.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nirb::io {

using Json = nlohmann::ordered_json;

/// {"dtype", "shape", "data"} with data as a flat row-major list of numbers (or booleans,
/// strings); non-finite floats as "nan"/"inf"/"-inf". When that text would not give back the
/// identical bytes (a NaN with a payload), "hex" (the raw little-endian bytes) replaces
/// "data".
Json tensor_to_json(const Tensor& t);

/// Inverse of tensor_to_json; `where` is the JSON path used in error messages.
Tensor tensor_from_json(const Json& j, const std::string& where);

} // namespace nirb::io
