#pragma once
/// \file dtype.hpp
/// Element types that NIR datasets use, independent of HDF5.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nirb {

/// Element type of a tensor. Covers every real numeric dtype seen in .nir files plus strings.
enum class DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    Float32,
    Float64,
    String,
};

/// Size in bytes of one element (0 for String, whose elements live in a string vector).
std::size_t dtype_size(DType t);

/// numpy-style name: "float32", "int64", "bool", "str".
std::string_view dtype_name(DType t);

/// Inverse of dtype_name; nullopt for an unknown name.
std::optional<DType> dtype_from_name(std::string_view name);

/// True for the integer types (signed or unsigned), not Bool.
bool dtype_is_integer(DType t);

/// True for Float16, Float32 and Float64.
bool dtype_is_float(DType t);

} // namespace nirb
