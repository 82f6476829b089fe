// Fixed-point emulation: scale, round, saturate or wrap, scale back.
#include "nirb/sim/fixed_point.hpp"

#include "round_saturate.hpp"
#include "simd.hpp"

#include <cmath>

namespace nirb::sim {

Quantizer::Quantizer(FixedFormat format, Rounding rounding, Overflow overflow)
    : m_enabled(true), m_scale(std::ldexp(1.0, format.fraction_bits)),
      m_min(-std::ldexp(1.0, format.total_bits() - 1)),
      m_max(std::ldexp(1.0, format.total_bits() - 1) - 1.0),
      m_span(std::ldexp(1.0, format.total_bits())), m_rounding(rounding), m_overflow(overflow) {}

double Quantizer::operator()(double x) const {
    if (!m_enabled)
        return x;
    if (std::isnan(x))
        return 0.0; // hardware has no NaN; 0 keeps the run going and is documented
    double k = x * m_scale;
    switch (m_rounding) {
    case Rounding::NearestEven:
        k = std::nearbyint(k); // default FE_TONEAREST mode rounds half to even
        break;
    case Rounding::NearestUp:
        k = std::floor(k + 0.5);
        break;
    case Rounding::Floor:
        k = std::floor(k);
        break;
    case Rounding::TowardZero:
        k = std::trunc(k);
        break;
    }
    if (k > m_max || k < m_min) {
        if (m_overflow == Overflow::Saturate || std::isinf(k)) {
            k = k > m_max ? m_max : m_min;
        } else {
            k = std::fmod(k - m_min, m_span);
            if (k < 0)
                k += m_span;
            k += m_min;
        }
    }
    return k / m_scale;
}

namespace {

/// Quantizer::apply's loop for the common quantiser, vectorised.
NIRB_SIMD_CLONES void apply_round_saturate(detail::RoundSaturate q, double* values, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        values[i] = q(values[i]);
}

} // namespace

void Quantizer::apply(double* values, std::size_t n) const {
    if (!m_enabled)
        return;
    if (const auto inline_form = detail::RoundSaturate::of(*this)) {
        apply_round_saturate(*inline_form, values, n);
        return;
    }
    for (std::size_t i = 0; i < n; ++i)
        values[i] = (*this)(values[i]);
}

void Quantizer::apply(float* values, std::size_t n) const {
    if (!m_enabled)
        return;
    for (std::size_t i = 0; i < n; ++i)
        values[i] = static_cast<float>((*this)(values[i]));
}

Quantizers make_quantizers(const Arithmetic& a) {
    Quantizers q;
    if (a.kind != NumberKind::Fixed)
        return q;
    q.state = Quantizer(a.state, a.rounding, a.overflow);
    q.weight = Quantizer(a.weight.value_or(a.state), a.rounding, a.overflow);
    return q;
}

} // namespace nirb::sim
