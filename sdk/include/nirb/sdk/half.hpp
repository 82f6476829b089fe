#pragma once
/// \file sdk/half.hpp
/// IEEE 754 binary16 (float16) <-> double. Header-only and C++17, so plugins and libnirb
/// share the one conversion (float16 datasets are rare in NIR files, but numpy allows them).

#include <cmath>
#include <cstdint>
#include <cstring>

namespace nirb::sdk {

/// A binary16 value given by its bits, widened exactly to double.
inline double half_to_double(std::uint16_t h) {
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    double value;
    if (exponent == 0)
        value = std::ldexp(mantissa, -24);
    else if (exponent == 31)
        value = mantissa ? std::nan("") : INFINITY;
    else
        value = std::ldexp(mantissa + 1024, exponent - 25);
    return (h & 0x8000) ? -value : value;
}

/// The bits of the binary16 value nearest to `d` (ties to even; overflow gives infinity,
/// NaN a quiet NaN). Rounds through float first, which is exact enough for parameter data:
/// double rounding can only matter for values within 2^-29 relative of a half tie.
inline std::uint16_t double_to_half(double d) {
    const float f = static_cast<float>(d);
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000);
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    std::uint32_t mantissa = bits & 0x7fffff;
    if (std::isnan(f))
        return static_cast<std::uint16_t>(sign | 0x7e00);
    if (exponent >= 31)
        return static_cast<std::uint16_t>(sign | 0x7c00);
    if (exponent <= 0) { // subnormal half (or zero)
        if (exponent < -10)
            return sign;
        mantissa |= 0x800000;
        const int shift = 14 - exponent;
        std::uint32_t half_mantissa = mantissa >> shift;
        const std::uint32_t rest = mantissa & ((1u << shift) - 1);
        const std::uint32_t halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (half_mantissa & 1)))
            ++half_mantissa;
        return static_cast<std::uint16_t>(sign | half_mantissa);
    }
    std::uint32_t half = (static_cast<std::uint32_t>(exponent) << 10) | (mantissa >> 13);
    const std::uint32_t rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
        ++half; // a carry into the exponent is the correct rounding (up to infinity)
    return static_cast<std::uint16_t>(sign | half);
}

} // namespace nirb::sdk
