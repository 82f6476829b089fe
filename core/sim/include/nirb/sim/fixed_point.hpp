#pragma once
/// \file fixed_point.hpp
/// Fixed-point quantisation used to emulate hardware arithmetic: a value is scaled by
/// 2^fraction_bits, rounded, then saturated or wrapped to the signed integer range of
/// 1 + integer_bits + fraction_bits bits, and scaled back. Values are carried in double, which
/// holds every such value exactly; a product of a weight and a state, and a sum of such
/// products, stay exact while they fit in 53 bits (docs/profiles.md gives the bound), which
/// emulates an integer multiply-accumulate with a wide accumulator followed by one rounding.

#include "nirb/sim/profile.hpp"

#include <cstddef>

namespace nirb::sim {

/// Quantises doubles to one fixed-point format; a disabled quantiser is the identity.
class Quantizer {
public:
    /// The identity (floating-point arithmetic).
    Quantizer() = default;
    /// Quantiser to `format` with the given rounding and overflow behaviour.
    Quantizer(FixedFormat format, Rounding rounding, Overflow overflow);

    /// True when values are quantised.
    bool enabled() const { return m_enabled; }
    /// One value quantised.
    double operator()(double x) const;
    /// Quantise `n` values in place.
    void apply(double* values, std::size_t n) const;
    /// Quantise float values in place (never used by fixed profiles, kept for symmetry).
    void apply(float* values, std::size_t n) const;
    /// Smallest and largest representable values.
    double min_value() const { return m_min / m_scale; }
    double max_value() const { return m_max / m_scale; }
    /// Value of one least significant bit.
    double lsb() const { return 1.0 / m_scale; }
    /// How values between two codes are rounded.
    Rounding rounding() const { return m_rounding; }
    /// What happens to values outside the range.
    Overflow overflow() const { return m_overflow; }

private:
    bool m_enabled = false;
    double m_scale = 1.0; ///< 2^fraction_bits
    double m_min = 0.0;   ///< smallest integer code
    double m_max = 0.0;   ///< largest integer code
    double m_span = 0.0;  ///< 2^total_bits, the wrap-around period
    Rounding m_rounding = Rounding::NearestEven;
    Overflow m_overflow = Overflow::Saturate;
};

/// The quantiser for states/outputs and the one for weights/parameters of an arithmetic
/// (both the identity unless the arithmetic is fixed point).
struct Quantizers {
    Quantizer state;
    Quantizer weight;
};

/// Build the quantisers an arithmetic asks for.
Quantizers make_quantizers(const Arithmetic& arithmetic);

} // namespace nirb::sim
