#include "half.hpp"

#include <cmath>
#include <cstring>

namespace nirb::detail {

double half_to_double(std::uint16_t h) {
    const int sign = (h >> 15) & 1;
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    double value;
    if (exponent == 0)
        value = std::ldexp(mantissa, -24);
    else if (exponent == 31)
        value = mantissa ? std::nan("") : INFINITY;
    else
        value = std::ldexp(mantissa + 1024, exponent - 25);
    return sign ? -value : value;
}

std::uint16_t double_to_half(double d) {
    // Through float: round-to-nearest-even on the float bits is enough for parameter data.
    float f = static_cast<float>(d);
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000);
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    std::uint32_t mantissa = bits & 0x7fffff;
    if (std::isnan(f))
        return static_cast<std::uint16_t>(sign | 0x7e00);
    if (exponent >= 31)
        return static_cast<std::uint16_t>(sign | 0x7c00);
    if (exponent <= 0) {
        if (exponent < -10)
            return sign;
        mantissa |= 0x800000;
        const int shift = 14 - exponent;
        std::uint32_t half_mant = mantissa >> shift;
        const std::uint32_t rest = mantissa & ((1u << shift) - 1);
        const std::uint32_t halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (half_mant & 1)))
            ++half_mant;
        return static_cast<std::uint16_t>(sign | half_mant);
    }
    std::uint32_t half = (static_cast<std::uint32_t>(exponent) << 10) | (mantissa >> 13);
    const std::uint32_t rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
        ++half;
    return static_cast<std::uint16_t>(sign | half);
}

} // namespace nirb::detail
