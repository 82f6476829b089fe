// Leaky neurons in integer arithmetic (profile key integer_neuron, decay multiply_shift): the
// coefficients of neuron_coefficients() rounded once to integers, then every step in int64 as
// a digital neuron core computes it. States are kept in the lane buffer in graph units
// (integer / 2^input_shift), which double holds exactly; docs/profiles.md has the formulas.
#include "neuron_coefficients.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace nirb::sim::detail {
namespace {

using Int = std::int64_t;

/// x * (2^bits - d) / 2^bits, the quotient truncated toward zero (sign-magnitude shift).
Int decay_toward_zero(Int x, Int d, int bits) {
    const Int product = x * ((Int{1} << bits) - d);
    const Int magnitude = std::llabs(product) >> bits;
    return product < 0 ? -magnitude : magnitude;
}

/// `x` brought into `bits` bits: saturated symmetrically to +/-(2^(bits-1) - 1), or wrapped
/// modulo 2^bits into (-2^(bits-1), 2^(bits-1)] (the interval digital neuron cores use: the
/// most negative code is folded to the most positive one).
Int fit(Int x, int bits, Overflow overflow) {
    const Int half = Int{1} << (bits - 1);
    if (overflow == Overflow::Saturate)
        return std::clamp(x, -(half - 1), half - 1);
    const Int span = Int{1} << bits;
    Int r = ((x % span) + span) % span; // [0, span)
    if (r > half)
        r -= span;
    return r;
}

template <typename T>
class IntegerNeuronKernel final : public Kernel<T> {
public:
    IntegerNeuronKernel(const Node& node, const BuildContext& ctx)
        : m_settings(ctx.profile->integer_neuron), m_profile(*ctx.profile) {
        if (sizeof(T) < sizeof(double))
            throw Error(fmt::format("node '{}': integer_neuron needs arithmetic float64 or "
                                    "fixed (float32 cannot hold the integer states)",
                                    ctx.node_name));
        const Int n = shape_element_count(ctx.input_shape);
        this->in_size = this->out_size = n;
        m_cuba = !ctx.schema->neuron.synapse_tau.empty();
        m_spiking = ctx.schema->is_spiking;
        m_unit = std::ldexp(1.0, m_settings.input_shift);
        const Coefficients c = neuron_coefficients(node, ctx);
        const double full = std::ldexp(1.0, m_settings.decay_bits);
        const auto decays = [&](const std::vector<double>& a) {
            std::vector<Int> d(a.size());
            for (std::size_t j = 0; j < a.size(); ++j) {
                d[j] = std::llround((1.0 - a[j]) * full);
                if (d[j] < 0 || d[j] > (Int{1} << m_settings.decay_bits))
                    throw Error(fmt::format("node '{}': decay {} is outside [0, 1] (a time "
                                            "constant shorter than dt)",
                                            ctx.node_name, 1.0 - a[j]));
            }
            return d;
        };
        m_d_m = decays(c.a_m);
        m_g_m = scaled(c.g_m);
        m_bias = scaled(c.c_m);
        m_v0 = scaled(c.v0);
        if (m_cuba) {
            m_d_s = decays(c.a_s);
            m_g_s = scaled(c.g_s);
        }
        if (m_spiking) {
            m_th = scaled(c.th);
            m_v_reset = scaled(c.v_reset);
        }
    }

    std::vector<StateVar> state_vars() const override {
        return neuron_state_vars(this->in_size, m_cuba, m_spiking);
    }

    void init_state(T* state, int batch) const override {
        const Int n = this->in_size;
        const int blocks = (m_cuba ? 2 : 1) + (m_spiking ? 1 : 0);
        for (int k = 0; k < blocks; ++k)
            for (int b = 0; b < batch; ++b)
                for (Int j = 0; j < n; ++j)
                    state[(k * batch + b) * n + j] =
                        (k == 1 && m_cuba) ? T(0) : graph_value(m_v0[j]);
    }

    void step(const T* in, T* out, T* state, const StepContext& ctx) const override {
        const Int n = this->in_size;
        for (int b = 0; b < ctx.batch; ++b) {
            T* v = state + b * n;
            T* i = m_cuba ? state + (ctx.batch + b) * n : nullptr;
            T* pre = m_spiking ? state + ((m_cuba ? 2 : 1) * ctx.batch + b) * n : nullptr;
            for (Int j = 0; j < n; ++j)
                out[b * n + j] = step_neuron(in[b * n + j], v[j], i ? &i[j] : nullptr,
                                             pre ? &pre[j] : nullptr, j);
        }
    }

private:
    std::vector<Int> scaled(const std::vector<double>& values) const {
        std::vector<Int> out(values.size());
        for (std::size_t j = 0; j < values.size(); ++j)
            out[j] = std::llround(values[j] * m_unit);
        return out;
    }
    T graph_value(Int x) const { return static_cast<T>(static_cast<double>(x) / m_unit); }
    Int integer_of(T x) const { return std::llround(static_cast<double>(x) * m_unit); }

    T step_neuron(T input, T& v_state, T* i_state, T* pre, Int j) const {
        const int bits = m_settings.decay_bits;
        const int shift = m_settings.input_shift;
        const Int x = static_cast<Int>(std::floor(static_cast<double>(input)));
        Int drive = x * m_g_m[j]; // membrane input of LI/LIF: x << input_shift when g = 1
        if (m_cuba) {
            const Int old = integer_of(*i_state);
            const Int now = fit(decay_toward_zero(old, m_d_s[j], bits) + x * m_g_s[j],
                                m_settings.current_bits, m_settings.current_overflow);
            *i_state = graph_value(now);
            const Int current =
                m_profile.synaptic_ordering == SynapticOrdering::NewCurrent ? now : old;
            drive = (current * m_g_m[j]) >> shift; // arithmetic shift: floor
        }
        Int v = fit(decay_toward_zero(integer_of(v_state), m_d_m[j], bits) + drive + m_bias[j],
                    m_settings.voltage_bits, m_settings.voltage_overflow);
        if (!m_spiking) {
            v_state = graph_value(v);
            return v_state;
        }
        *pre = graph_value(v);
        const bool fire = m_profile.comparator == Comparator::Greater ? v > m_th[j] : v >= m_th[j];
        if (fire)
            v = m_profile.reset == ResetMode::Subtract ? v - m_th[j]
                : m_profile.reset == ResetMode::None   ? v
                                                       : m_v_reset[j];
        v_state = graph_value(v);
        return fire ? T(1) : T(0);
    }

    const IntegerNeuron m_settings;
    const Profile m_profile;
    bool m_cuba = false;
    bool m_spiking = false;
    double m_unit = 64.0; ///< 2^input_shift
    std::vector<Int> m_d_m, m_g_m, m_bias, m_v0, m_d_s, m_g_s, m_th, m_v_reset;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_integer_neuron_kernel(const Node& node, const BuildContext& ctx) {
    return std::make_unique<IntegerNeuronKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_integer_neuron_kernel<float>(const Node&,
                                                                          const BuildContext&);
template std::unique_ptr<Kernel<double>> make_integer_neuron_kernel<double>(const Node&,
                                                                            const BuildContext&);

} // namespace nirb::sim::detail
