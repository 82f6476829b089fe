#pragma once
// The common fixed-point quantiser (round half to even, saturate) as an inline, branch-free
// function, so that the vectorised loops (simd.hpp) can quantise in place of calling
// Quantizer::operator() per value. Same results as Quantizer bit for bit: k = nearbyint(x 2^f)
// clamped to the integer codes, NaN to 0, then k 2^-f (Quantizer divides by 2^f: the same
// exact value, since scaling by a power of two is exact, but a multiply is several times
// cheaper than a vector division).
#include "nirb/sim/fixed_point.hpp"

#include <cmath>
#include <optional>

namespace nirb::sim::detail {

/// Quantizer for NearestEven + Saturate, inlinable.
struct RoundSaturate {
    double scale = 1.0;    ///< 2^fraction_bits
    double lsb = 1.0;      ///< 2^-fraction_bits
    double min_code = 0.0; ///< smallest integer code
    double max_code = 0.0; ///< largest integer code

    /// The inline form of q, if q is enabled, rounds half to even and saturates.
    static std::optional<RoundSaturate> of(const Quantizer& q) {
        if (!q.enabled() || q.rounding() != Rounding::NearestEven ||
            q.overflow() != Overflow::Saturate)
            return std::nullopt;
        const double scale = 1.0 / q.lsb(); // a power of two: exact
        return RoundSaturate{scale, q.lsb(), q.min_value() * scale, q.max_value() * scale};
    }

    [[gnu::always_inline]] double operator()(double x) const {
        double k = std::nearbyint(x * scale);
        k = k > max_code ? max_code : k;
        k = k < min_code ? min_code : k;
        k = x != x ? 0.0 : k; // hardware has no NaN (Quantizer::operator())
        return k * lsb;
    }
};

} // namespace nirb::sim::detail
