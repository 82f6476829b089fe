#pragma once
/// \file sdk/tensor.hpp
/// Plugin-side tensor: a dtype, a shape and the elements as doubles (or strings), converted
/// from and to the ABI's raw nirb_tensor_view. Header-only; part of plugin.hpp.

#include "nirb/plugin.h"
#include "nirb/sdk/half.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace nirb::sdk {

/// Size in bytes of one element of `dtype` (0 for strings).
inline std::size_t dtype_bytes(nirb_dtype dtype) {
    switch (dtype) {
    case NIRB_DTYPE_BOOL:
    case NIRB_DTYPE_INT8:
    case NIRB_DTYPE_UINT8:
        return 1;
    case NIRB_DTYPE_INT16:
    case NIRB_DTYPE_UINT16:
    case NIRB_DTYPE_FLOAT16:
        return 2;
    case NIRB_DTYPE_INT32:
    case NIRB_DTYPE_UINT32:
    case NIRB_DTYPE_FLOAT32:
        return 4;
    case NIRB_DTYPE_INT64:
    case NIRB_DTYPE_UINT64:
    case NIRB_DTYPE_FLOAT64:
        return 8;
    default:
        return 0;
    }
}

namespace detail {

template <class T>
double load(const void* data, std::size_t i) {
    T v;
    std::memcpy(&v, static_cast<const char*>(data) + i * sizeof(T), sizeof(T));
    return static_cast<double>(v);
}

template <class T>
void store(std::vector<unsigned char>& out, std::size_t i, double value) {
    const T v = static_cast<T>(value);
    std::memcpy(out.data() + i * sizeof(T), &v, sizeof(T));
}

} // namespace detail

/// A tensor owned by the plugin. Numeric elements are held as doubles (exact for every
/// dtype up to 53-bit integers); `dtype` records what it is stored as in the graph.
struct Tensor {
    nirb_dtype dtype = NIRB_DTYPE_FLOAT64;
    std::vector<std::int64_t> shape;  ///< empty = scalar
    std::vector<double> values;       ///< numeric dtypes, row-major
    std::vector<std::string> strings; ///< NIRB_DTYPE_STRING only

    /// Number of elements (1 for a scalar).
    std::int64_t size() const {
        std::int64_t n = 1;
        for (auto d : shape)
            n *= d;
        return n;
    }
    /// A 0-d tensor.
    static Tensor scalar(double v, nirb_dtype dtype = NIRB_DTYPE_FLOAT64) {
        return Tensor{dtype, {}, {v}, {}};
    }
    /// A tensor of `shape` holding `values` (sizes must match).
    static Tensor of(std::vector<double> values, std::vector<std::int64_t> shape,
                     nirb_dtype dtype = NIRB_DTYPE_FLOAT32) {
        Tensor t{dtype, std::move(shape), std::move(values), {}};
        if (t.size() != static_cast<std::int64_t>(t.values.size()))
            throw std::invalid_argument("tensor: value count does not match shape");
        return t;
    }

    /// Copy out of an ABI view.
    static Tensor from_view(const nirb_tensor_view& v) {
        Tensor t;
        t.dtype = v.dtype;
        t.shape.assign(v.shape, v.shape + v.rank);
        const auto n = static_cast<std::size_t>(t.size());
        if (v.dtype == NIRB_DTYPE_STRING) {
            auto items = static_cast<const char* const*>(v.data);
            for (std::size_t i = 0; i < n; ++i)
                t.strings.emplace_back(items[i]);
            return t;
        }
        t.values.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            t.values[i] = element(v, i);
        return t;
    }

    /// Element i of a numeric view as double.
    static double element(const nirb_tensor_view& v, std::size_t i) {
        switch (v.dtype) {
        case NIRB_DTYPE_BOOL:
            return detail::load<std::uint8_t>(v.data, i) != 0 ? 1.0 : 0.0;
        case NIRB_DTYPE_INT8:
            return detail::load<std::int8_t>(v.data, i);
        case NIRB_DTYPE_INT16:
            return detail::load<std::int16_t>(v.data, i);
        case NIRB_DTYPE_INT32:
            return detail::load<std::int32_t>(v.data, i);
        case NIRB_DTYPE_INT64:
            return detail::load<std::int64_t>(v.data, i);
        case NIRB_DTYPE_UINT8:
            return detail::load<std::uint8_t>(v.data, i);
        case NIRB_DTYPE_UINT16:
            return detail::load<std::uint16_t>(v.data, i);
        case NIRB_DTYPE_UINT32:
            return detail::load<std::uint32_t>(v.data, i);
        case NIRB_DTYPE_UINT64:
            return detail::load<std::uint64_t>(v.data, i);
        case NIRB_DTYPE_FLOAT16: {
            std::uint16_t h;
            std::memcpy(&h, static_cast<const char*>(v.data) + 2 * i, 2);
            return half_to_double(h);
        }
        case NIRB_DTYPE_FLOAT32:
            return detail::load<float>(v.data, i);
        case NIRB_DTYPE_FLOAT64:
            return detail::load<double>(v.data, i);
        default:
            throw std::invalid_argument("tensor: unknown dtype");
        }
    }

    /// Raw little-endian bytes of the values in `dtype` (numeric dtypes).
    std::vector<unsigned char> bytes() const {
        std::vector<unsigned char> out(values.size() * dtype_bytes(dtype));
        for (std::size_t i = 0; i < values.size(); ++i)
            store_element(out, i, values[i]);
        return out;
    }

private:
    void store_element(std::vector<unsigned char>& out, std::size_t i, double x) const {
        switch (dtype) {
        case NIRB_DTYPE_BOOL:
            return detail::store<std::uint8_t>(out, i, x != 0 ? 1 : 0);
        case NIRB_DTYPE_INT8:
            return detail::store<std::int8_t>(out, i, x);
        case NIRB_DTYPE_INT16:
            return detail::store<std::int16_t>(out, i, x);
        case NIRB_DTYPE_INT32:
            return detail::store<std::int32_t>(out, i, x);
        case NIRB_DTYPE_INT64:
            return detail::store<std::int64_t>(out, i, x);
        case NIRB_DTYPE_UINT8:
            return detail::store<std::uint8_t>(out, i, x);
        case NIRB_DTYPE_UINT16:
            return detail::store<std::uint16_t>(out, i, x);
        case NIRB_DTYPE_UINT32:
            return detail::store<std::uint32_t>(out, i, x);
        case NIRB_DTYPE_UINT64:
            return detail::store<std::uint64_t>(out, i, x);
        case NIRB_DTYPE_FLOAT16: {
            const std::uint16_t h = double_to_half(x);
            std::memcpy(out.data() + 2 * i, &h, 2);
            return;
        }
        case NIRB_DTYPE_FLOAT32:
            return detail::store<float>(out, i, x);
        case NIRB_DTYPE_FLOAT64:
            return detail::store<double>(out, i, x);
        default:
            throw std::invalid_argument("tensor: unknown dtype");
        }
    }
};

/// Keeps the bytes and string pointers a view refers to alive while the view is used.
struct ViewStorage {
    std::vector<unsigned char> bytes;
    std::vector<const char*> string_ptrs;
    nirb_tensor_view view{};

    explicit ViewStorage(const Tensor& t) {
        view.dtype = t.dtype;
        view.rank = static_cast<std::uint32_t>(t.shape.size());
        view.shape = t.shape.data();
        if (t.dtype == NIRB_DTYPE_STRING) {
            for (const auto& s : t.strings)
                string_ptrs.push_back(s.c_str());
            view.data = string_ptrs.data();
        } else {
            bytes = t.bytes();
            view.data = bytes.data();
        }
    }
};

} // namespace nirb::sdk
