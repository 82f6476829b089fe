#pragma once
/// \file tensor.hpp
/// A dense, contiguous, row-major array with its dtype and shape: one HDF5 dataset.

#include "nirb/dtype.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nirb {

/// Shape of a tensor; an empty shape is a 0-d (scalar) tensor.
using Shape = std::vector<std::int64_t>;

/// Product of the dimensions; throws nirb::Error on overflow or a negative dimension.
std::int64_t shape_element_count(const Shape& shape);

/// "[2, 3]" style rendering used in messages.
std::string shape_to_string(const Shape& shape);

/// std::allocator whose value-less construct default-initialises: `resize(n)` of a vector of
/// bytes then leaves the new bytes unwritten instead of zeroing them. Used by Tensor so that
/// a reader can fill a 1 GiB buffer once instead of zeroing it first.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
    /// Rebinding keeps the default-initialising behaviour.
    template <typename U>
    struct rebind {
        using other = DefaultInitAllocator<U>; ///< the same allocator for U
    };
    DefaultInitAllocator() noexcept = default;
    /// Converting copy from the allocator of another element type.
    template <typename U>
    DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
    /// Default-initialise (for std::byte: leave uninitialised).
    template <typename U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    /// Construct from arguments, as std::allocator would.
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// The raw element storage of a Tensor.
using ByteBuffer = std::vector<std::byte, DefaultInitAllocator<std::byte>>;

/// Dense row-major array. Numeric data is stored as raw little-endian bytes of its dtype so
/// that a read/write round trip is bit-exact; strings are kept as a vector of UTF-8 strings.
class Tensor {
public:
    /// An empty float64 tensor of shape (0,).
    Tensor();
    /// Zero-filled tensor of the given dtype and shape (strings: empty strings).
    Tensor(DType dtype, Shape shape);

    /// A tensor of the given dtype and shape whose contents are unspecified until written
    /// (strings: empty strings). For readers that fill every byte of `mutable_bytes()` before
    /// anyone else sees the tensor, and discard it when filling fails; everyone else uses
    /// the zero-filling constructor.
    static Tensor uninitialized(DType dtype, Shape shape);

    /// A float64 tensor holding `values` with `shape` (size must match).
    static Tensor from_doubles(const std::vector<double>& values, Shape shape, DType dtype);
    /// A 1-D int64 tensor, the form NIR uses for shapes and pairs.
    static Tensor from_ints(const std::vector<std::int64_t>& values);
    /// A 0-d tensor holding one value.
    static Tensor scalar(double value, DType dtype = DType::Float64);
    /// A tensor of strings with the given shape.
    static Tensor from_strings(std::vector<std::string> values, Shape shape);
    /// A tensor holding a copy of raw little-endian bytes (size must equal
    /// count * dtype_size).
    static Tensor from_bytes(DType dtype, Shape shape, std::span<const std::byte> bytes);

    DType dtype() const { return m_dtype; }
    const Shape& shape() const { return m_shape; }
    std::size_t rank() const { return m_shape.size(); }
    /// Number of elements (1 for a 0-d tensor).
    std::int64_t size() const;

    /// Raw element bytes (numeric dtypes only).
    std::span<const std::byte> bytes() const { return m_bytes; }
    std::span<std::byte> mutable_bytes() { return m_bytes; }
    /// String elements (String dtype only).
    const std::vector<std::string>& strings() const { return m_strings; }

    /// Element i converted to double (numeric and Bool dtypes).
    double at(std::int64_t i) const;
    /// Set element i from a double, converting to the stored dtype.
    void set(std::int64_t i, double value);
    /// Every element converted to double, row-major.
    std::vector<double> to_doubles() const;
    /// Every element converted to int64 (truncating), row-major.
    std::vector<std::int64_t> to_ints() const;

    /// A copy converted to another numeric dtype.
    Tensor cast(DType dtype) const;
    /// Same data, new shape with the same element count.
    Tensor reshaped(Shape shape) const;

    /// Exact equality: dtype, shape and every byte (or string).
    bool operator==(const Tensor& other) const = default;

private:
    DType m_dtype;
    Shape m_shape;
    ByteBuffer m_bytes;
    std::vector<std::string> m_strings;
};

} // namespace nirb
