#include "nirb/dtype.hpp"

#include <array>
#include <utility>

namespace nirb {
namespace {

struct DTypeInfo {
    DType type;
    std::string_view name;
    std::size_t size;
};

constexpr std::array<DTypeInfo, 13> kInfo{{
    {DType::Bool, "bool", 1},
    {DType::Int8, "int8", 1},
    {DType::Int16, "int16", 2},
    {DType::Int32, "int32", 4},
    {DType::Int64, "int64", 8},
    {DType::UInt8, "uint8", 1},
    {DType::UInt16, "uint16", 2},
    {DType::UInt32, "uint32", 4},
    {DType::UInt64, "uint64", 8},
    {DType::Float16, "float16", 2},
    {DType::Float32, "float32", 4},
    {DType::Float64, "float64", 8},
    {DType::String, "str", 0},
}};

const DTypeInfo& info(DType t) {
    return kInfo[static_cast<std::size_t>(t)];
}

} // namespace

std::size_t dtype_size(DType t) {
    return info(t).size;
}

std::string_view dtype_name(DType t) {
    return info(t).name;
}

std::optional<DType> dtype_from_name(std::string_view name) {
    for (const auto& i : kInfo)
        if (i.name == name)
            return i.type;
    return std::nullopt;
}

bool dtype_is_integer(DType t) {
    return t != DType::Bool && t != DType::String && !dtype_is_float(t);
}

bool dtype_is_float(DType t) {
    return t == DType::Float16 || t == DType::Float32 || t == DType::Float64;
}

} // namespace nirb
