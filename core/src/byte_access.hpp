#pragma once
// Unaligned load/store of one element from raw tensor bytes (memcpy: no aliasing issues), and
// the one switch from a DType to the C++ type its elements are stored as.
#include "half.hpp"
#include "nirb/dtype.hpp"
#include "nirb/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

namespace nirb::detail {

template <typename T>
T load(const std::byte* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <typename T>
void store(std::byte* p, T v) {
    std::memcpy(p, &v, sizeof v);
}

/// A binary16 element, kept as its raw bits (C++20 has no half type).
struct Half {
    std::uint16_t bits;
};

/// One element of type T (bool is stored as one byte 0/1, like numpy).
template <typename T>
T load_element(const std::byte* p) {
    if constexpr (std::is_same_v<T, bool>)
        return load<std::uint8_t>(p) != 0;
    else
        return load<T>(p);
}

/// One element of storage type T as a double (bool 0/1, float16 widened exactly).
template <typename T>
double load_as_double(const std::byte* p) {
    const T v = load_element<T>(p);
    if constexpr (std::is_same_v<T, Half>)
        return half_to_double(v.bits);
    else
        return static_cast<double>(v);
}

/// Calls `f(std::type_identity<T>{})` with the storage type T of a numeric dtype (bool, the
/// integer types, Half, float, double). Every per-dtype switch goes through here.
template <typename F>
decltype(auto) visit_element_type(DType t, F&& f) {
    switch (t) {
    case DType::Bool:
        return f(std::type_identity<bool>{});
    case DType::Int8:
        return f(std::type_identity<std::int8_t>{});
    case DType::Int16:
        return f(std::type_identity<std::int16_t>{});
    case DType::Int32:
        return f(std::type_identity<std::int32_t>{});
    case DType::Int64:
        return f(std::type_identity<std::int64_t>{});
    case DType::UInt8:
        return f(std::type_identity<std::uint8_t>{});
    case DType::UInt16:
        return f(std::type_identity<std::uint16_t>{});
    case DType::UInt32:
        return f(std::type_identity<std::uint32_t>{});
    case DType::UInt64:
        return f(std::type_identity<std::uint64_t>{});
    case DType::Float16:
        return f(std::type_identity<Half>{});
    case DType::Float32:
        return f(std::type_identity<float>{});
    case DType::Float64:
        return f(std::type_identity<double>{});
    case DType::String:
        break;
    }
    throw Error("string tensors hold no numeric values");
}

/// Calls `f(double)` for every element of a numeric tensor's raw bytes, with one dtype switch
/// per tensor (not per element): checks run over every parameter of every node.
template <typename F>
void for_each_as_double(DType dtype, std::span<const std::byte> bytes, F&& f) {
    visit_element_type(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        constexpr std::size_t size = std::is_same_v<T, bool> ? 1 : sizeof(T);
        for (std::size_t at = 0; at + size <= bytes.size(); at += size)
            f(load_as_double<T>(bytes.data() + at));
    });
}

} // namespace nirb::detail
