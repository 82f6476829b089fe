#include "nirb/tensor.hpp"

#include "byte_access.hpp"
#include "half.hpp"
#include "nirb/error.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nirb {
namespace {

using detail::store;

double load_as_double(DType t, const std::byte* p) {
    return detail::visit_element_type(t, [p](auto tag) -> double {
        return detail::load_as_double<typename decltype(tag)::type>(p);
    });
}

void store_double(DType t, std::byte* p, double v) {
    detail::visit_element_type(t, [p, v](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, detail::Half>)
            store(p, detail::Half{detail::double_to_half(v)});
        else if constexpr (std::is_same_v<T, bool>)
            store<std::uint8_t>(p, v != 0.0 ? 1 : 0);
        else
            store(p, static_cast<T>(v));
    });
}

} // namespace

std::int64_t shape_element_count(const Shape& shape) {
    std::int64_t count = 1;
    for (std::int64_t d : shape) {
        if (d < 0)
            throw Error("negative dimension in shape " + shape_to_string(shape));
        if (d != 0 && count > std::numeric_limits<std::int64_t>::max() / d)
            throw Error("element count of shape " + shape_to_string(shape) + " overflows int64");
        count *= d;
    }
    return count;
}

std::string shape_to_string(const Shape& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

Tensor::Tensor() : m_dtype(DType::Float64), m_shape{0} {}

Tensor::Tensor(DType dtype, Shape shape) : Tensor(uninitialized(dtype, std::move(shape))) {
    std::fill(m_bytes.begin(), m_bytes.end(), std::byte{0});
}

Tensor Tensor::uninitialized(DType dtype, Shape shape) {
    Tensor t;
    t.m_dtype = dtype;
    t.m_shape = std::move(shape);
    const auto n = static_cast<std::size_t>(shape_element_count(t.m_shape));
    // The element count fits int64, the byte count may not: [2^61 + 1] float64 would wrap to
    // an 8-byte buffer that every writer then overruns.
    const std::size_t width = dtype == DType::String ? sizeof(std::string) : dtype_size(dtype);
    const auto too_large = [&] {
        return Error("tensor of shape " + shape_to_string(t.m_shape) + " and dtype " +
                     std::string(dtype_name(dtype)) + " is larger than the address space");
    };
    if (n > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max()) / width)
        throw too_large();
    try {
        if (dtype == DType::String)
            t.m_strings.resize(n);
        else
            t.m_bytes.resize(n * width); // default-init: no zero fill (ByteBuffer)
    } catch (const std::length_error&) {
        throw too_large();
    }
    return t;
}

Tensor Tensor::from_doubles(const std::vector<double>& values, Shape shape, DType dtype) {
    Tensor t(dtype, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("tensor data has " + std::to_string(values.size()) + " elements, shape " +
                    shape_to_string(t.shape()) + " needs " + std::to_string(t.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        t.set(static_cast<std::int64_t>(i), values[i]);
    return t;
}

Tensor Tensor::from_ints(const std::vector<std::int64_t>& values) {
    Tensor t = uninitialized(DType::Int64, {static_cast<std::int64_t>(values.size())});
    if (!values.empty()) // memcpy from an empty vector's null data() is undefined
        std::memcpy(t.m_bytes.data(), values.data(), values.size() * sizeof(std::int64_t));
    return t;
}

Tensor Tensor::scalar(double value, DType dtype) {
    Tensor t(dtype, {});
    t.set(0, value);
    return t;
}

Tensor Tensor::from_strings(std::vector<std::string> values, Shape shape) {
    Tensor t(DType::String, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("string tensor size does not match its shape");
    t.m_strings = std::move(values);
    return t;
}

Tensor Tensor::from_bytes(DType dtype, Shape shape, std::span<const std::byte> bytes) {
    // Check before allocating: a hostile shape with a few bytes must not reserve terabytes.
    const auto n = static_cast<std::uint64_t>(shape_element_count(shape));
    const std::uint64_t width = dtype == DType::String ? 0 : dtype_size(dtype);
    if ((width != 0 && n > UINT64_MAX / width) || n * width != bytes.size())
        throw Error("tensor byte size does not match its dtype and shape");
    Tensor t = uninitialized(dtype, std::move(shape));
    if (bytes.size() != t.m_bytes.size())
        throw Error("tensor byte size does not match its dtype and shape");
    std::copy(bytes.begin(), bytes.end(), t.m_bytes.begin());
    return t;
}

std::int64_t Tensor::size() const {
    return shape_element_count(m_shape);
}

double Tensor::at(std::int64_t i) const {
    return load_as_double(m_dtype, m_bytes.data() + i * dtype_size(m_dtype));
}

void Tensor::set(std::int64_t i, double value) {
    store_double(m_dtype, m_bytes.data() + i * dtype_size(m_dtype), value);
}

std::vector<double> Tensor::to_doubles() const {
    std::vector<double> out(static_cast<std::size_t>(size()));
    if (m_dtype == DType::Float64) {
        if (!out.empty())
            std::memcpy(out.data(), m_bytes.data(), m_bytes.size());
        return out;
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = at(static_cast<std::int64_t>(i));
    return out;
}

std::vector<std::int64_t> Tensor::to_ints() const {
    std::vector<std::int64_t> out(static_cast<std::size_t>(size()));
    if (m_dtype == DType::Int64) {
        if (!out.empty())
            std::memcpy(out.data(), m_bytes.data(), m_bytes.size());
        return out;
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::int64_t>(at(static_cast<std::int64_t>(i)));
    return out;
}

Tensor Tensor::cast(DType dtype) const {
    if (dtype == m_dtype)
        return *this;
    if (dtype == DType::String || m_dtype == DType::String)
        throw Error("cannot cast between string and numeric tensors");
    Tensor t(dtype, m_shape);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, at(i));
    return t;
}

Tensor Tensor::reshaped(Shape shape) const {
    if (shape_element_count(shape) != size())
        throw Error("cannot reshape " + shape_to_string(m_shape) + " to " + shape_to_string(shape));
    Tensor t = *this;
    t.m_shape = std::move(shape);
    return t;
}

} // namespace nirb
